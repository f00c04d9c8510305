"""The Discord layer: turns the engine's answers into slash commands, mentions and embeds.

Nothing in ``bot.engine`` and before imports from here; everything here calls the one Engine.
"""
