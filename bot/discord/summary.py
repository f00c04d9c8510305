"""/summary: the engine's extractive summary as an embed (paragraph or key points)."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.app import ArticleBot
from bot.discord.ask import article_autocomplete
from bot.discord.i18n import label, lang_of
from bot.discord.render import safe, summary_embed
from bot.discord.replies import defer, send_ephemeral
from bot.errors import InputError


class Summaries(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="summary", description=_("Summarise the article"))
    @app_commands.describe(length=_("How long: short, medium or long"),
                           focus=_("A topic to focus on, e.g. patents"),
                           key_points=_("Bulleted key points instead of a paragraph"),
                           article=_("Which article (when there are several)"))
    @app_commands.autocomplete(article=article_autocomplete)
    async def summary(self, interaction: discord.Interaction,
                      length: Literal["short", "medium", "long"] = "medium",
                      focus: app_commands.Range[str, 1, 100] | None = None,
                      key_points: bool = False, article: str | None = None) -> None:
        engine, scope = self.bot.engine, self.bot.scope(interaction.guild_id)
        try:
            engine.resolve_article(article, scope)
        except InputError as err:
            await send_ephemeral(interaction, label(lang_of(interaction.locale), "bad_input", reason=safe(str(err))))
            return
        if not await defer(interaction):
            return
        result = await self.bot.run_engine(engine.summary, length, focus, article, scope)
        info = engine.index.article(result.article)
        embed = summary_embed(result, lang_of(interaction.locale), key_points, info.source if info else None)
        await interaction.followup.send(embed=embed)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Summaries(bot))
