"""/reload, for moderators: re-read the articles and rebuild what changed (the /article group is in
``articles.py``, /help in ``help.py``)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.app import ArticleBot
from bot.discord.i18n import label, lang_of
from bot.discord.replies import allowed_to_manage, defer


class Admin(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description=_("Re-read the articles and rebuild what changed"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        if not await allowed_to_manage(interaction):
            return
        if not await defer(interaction, ephemeral=True):
            return
        await self.bot.run_library(self.bot.engine.reload)
        index = self.bot.engine.index
        await interaction.followup.send(label(lang, "reloaded", n=len(index.articles), s=len(index.rows)),
                                        ephemeral=True)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Admin(bot))
