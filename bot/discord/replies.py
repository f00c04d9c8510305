"""Replying to an interaction: privately whether or not it was answered, deferring within Discord's 3 s,
and the checks that tell a member privately why a command is refused (Manage Server, servers only)."""

from __future__ import annotations

import logging

import discord

from bot.discord.i18n import label, lang_of

log = logging.getLogger(__name__)


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Reply privately whether or not the interaction was already answered; never raise."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException as err:
        log.warning("could not send an error message (%s %s)", err.status, err.text)


async def allowed_to_manage(interaction: discord.Interaction) -> bool:
    """The Manage Server check in code, behind the commands' default permission (a server may open a
    command to everyone in its settings): False, with the user told privately, when it fails."""
    member = interaction.user
    if isinstance(member, discord.Member) and member.guild_permissions.manage_guild:
        return True
    await send_ephemeral(interaction, label(lang_of(interaction.locale), "no_permission"))
    return False


async def in_server(interaction: discord.Interaction) -> bool:
    """The "servers only" check of a subcommand (Discord's guild_only applies to whole commands):
    False, with the user told privately, in a direct message."""
    if interaction.guild_id is not None:
        return True
    await send_ephemeral(interaction, label(lang_of(interaction.locale), "guild_only"))
    return False


async def defer(interaction: discord.Interaction, **kwargs) -> bool:
    """Acknowledge now (Discord's 3 s window); False, logged, when Discord refuses (5xx, expired)."""
    try:
        await interaction.response.defer(thinking=True, **kwargs)
        return True
    except discord.HTTPException as err:
        log.warning("could not defer /%s (%s %s); skipping this interaction",
                    interaction.command.name if interaction.command else "?", err.status, err.text)
        return False
