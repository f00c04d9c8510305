"""article-bot: answers questions about news articles, on the console and on Discord."""

from __future__ import annotations

from bot.kernels import pin

pin()  # before anything imports numpy: the same floats on every AVX2 processor (bot/kernels.py)

__version__ = "0.1.0"
__all__ = ["create_bot"]


def __getattr__(name: str):
    # discord.py is imported only by what uses it: the console `ask` never pays for it.
    if name == "create_bot":
        from bot.discord.app import create_bot

        return create_bot
    raise AttributeError(name)
