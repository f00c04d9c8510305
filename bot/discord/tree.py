"""The one error handler for every slash command and component."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.discord.i18n import label, lang_of
from bot.discord.replies import send_ephemeral
from bot.errors import ArticleBotError

log = logging.getLogger(__name__)


def error_text(lang: str, error: BaseException, where: str) -> str:
    """The one rule for what a user is told when something fails, on every path (slash commands,
    buttons, mentions): their own mistake in their words; a bug, a short apology and one traceback
    in the log."""
    original = getattr(error, "original", error)
    if isinstance(original, ArticleBotError):
        return label(lang, "bad_input", reason=str(original))
    if isinstance(error, app_commands.NoPrivateMessage):
        return label(lang, "guild_only")
    if isinstance(error, app_commands.MissingPermissions | app_commands.CheckFailure):
        return label(lang, "no_permission")
    if isinstance(error, app_commands.TransformerError):
        return label(lang, "bad_input", reason=str(error))
    log.error("%s failed", where, exc_info=original)
    return label(lang, "error")


class ArticleTree(app_commands.CommandTree):
    """Unwraps ``.original``; user errors get their message, bugs a short apology and one traceback."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        command = interaction.command.qualified_name if interaction.command else "?"
        await send_ephemeral(interaction, error_text(lang_of(interaction.locale), error, f"command /{command}"))
