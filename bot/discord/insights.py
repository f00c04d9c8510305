"""/stats (what went unanswered, for the server's managers), /privacy and /forget-me (for everyone).

All three reply privately. ``/stats`` reads the journal (``bot/discord/journal.py``), limited to the server
it is used in; ``/forget-me`` deletes the caller's questions and votes in every server and says how
many rows went.
"""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.app import ArticleBot
from bot.discord.i18n import label, lang_of
from bot.discord.journal import Stats
from bot.discord.render import COLOUR_SUMMARY, clip, fit, safe, text_embed
from bot.discord.replies import allowed_to_manage, defer, send_ephemeral


def stats_embed(stats: Stats, lang: str, retention_days: int | None) -> discord.Embed:
    """The ``/stats`` embed: per window the questions by outcome, then what went unanswered and the
    worst-rated answers (what to add or fix)."""
    embed = discord.Embed(title=label(lang, "stats_title"), colour=COLOUR_SUMMARY)
    for w in stats.windows:
        o = w.outcomes
        line = label(lang, "stats_line", n=w.total, a=o["answer"], u=o["unsure"], c=o["not_covered"], e=o["error"])
        if w.not_covered_share is not None:
            line += f"\n{label(lang, 'stats_share', p=f'{w.not_covered_share:.0%}')}"
        embed.add_field(name=label(lang, "stats_window", d=w.days), value=line, inline=False)
    unanswered = "\n".join(f"{n}× {safe(clip(q, 120))}" for q, n in stats.unanswered) or label(lang, "stats_none")
    embed.add_field(name=label(lang, "stats_unanswered"), value=clip(unanswered, 1024), inline=False)
    worst = "\n".join(f"👎 {r.down} 👍 {r.up} · {safe(clip(r.question, 80))} → `{r.sentence_id or r.article or '—'}`"
                      for r in stats.worst) or label(lang, "stats_none")
    embed.add_field(name=label(lang, "stats_worst"), value=clip(worst, 1024), inline=False)
    kept = label(lang, "days_kept", d=retention_days) if retention_days else label(lang, "forever")
    embed.set_footer(text=label(lang, "stats_all_time", n=stats.all_time, k=kept))
    return fit(embed)


class Insights(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="stats",
                          description=_("Questions asked here, what went unanswered, worst-rated answers"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def stats(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        if not await allowed_to_manage(interaction):
            return
        if not await defer(interaction, ephemeral=True):
            return
        stats = await asyncio.to_thread(self.bot.journal.stats, interaction.guild_id)
        if stats is None:
            await interaction.followup.send(label(lang, "stats_unavailable"), ephemeral=True)
            return
        await interaction.followup.send(embed=stats_embed(stats, lang, self.bot.config.discord.retention_days),
                                        ephemeral=True)

    @app_commands.command(name="privacy", description=_("What this bot stores about you, and for how long"))
    async def privacy(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        days = self.bot.config.discord.retention_days
        kept = label(lang, "days_kept", d=days) if days else label(lang, "forever")
        channels = label(lang, "privacy_channels") if self.bot.config.discord.question_channels else ""
        text = label(lang, "privacy", kept=kept, channels=channels)
        await interaction.response.send_message(embed=text_embed("article-bot", text, COLOUR_SUMMARY),
                                                ephemeral=True)

    @app_commands.command(name="forget-me", description=_("Delete every question and vote of yours"))
    async def forget_me(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        if not await defer(interaction, ephemeral=True):  # the delete may wait on the database
            return
        self.bot.conversations.forget(interaction.user.id)  # the questions of theirs held in memory, if any
        gone = await asyncio.to_thread(self.bot.journal.forget, interaction.user.id)
        text = label(lang, "forget_failed") if gone is None else label(lang, "forgotten", q=gone[0], v=gone[1])
        await send_ephemeral(interaction, text)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Insights(bot))
