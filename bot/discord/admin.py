"""/article, /help and /reload."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from .app import ArticleBot
from .ask import article_autocomplete
from .i18n import label, lang_of
from .render import COLOUR_SUMMARY, clip, fit, text_embed
from .tree import allowed_to_manage, defer

HELP = {
    "en": ("I answer questions about the article by quoting the sentence that answers, with its context, "
           "where it stands and how sure I am; if the article does not say, I tell you.\n\n"
           "**Ask**: `/ask question:…` or mention me: `@{me} {first}`\n"
           "**Examples**: {examples}\n"
           "**Summary**: `/summary length:short` (or `focus:…`, `key_points:True`)\n"
           "**Article**: `/article` — what I read and how it is indexed\n"
           "Rate answers with 👍 / 👎: it helps improve me."),
    "fr": ("Je réponds aux questions sur l'article en citant la phrase qui répond, avec son contexte, sa "
           "position et ma confiance ; si l'article ne le dit pas, je le dis.\n\n"
           "**Demander** : `/ask question:…` ou mentionnez-moi : `@{me} {first}`\n"
           "**Exemples** : {examples}\n"
           "**Résumé** : `/summary length:short` (ou `focus:…`, `key_points:True`)\n"
           "**Article** : `/article` — ce que j'ai lu et comment c'est indexé\n"
           "Notez les réponses avec 👍 / 👎 : cela m'aide à progresser."),
}


class Admin(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="article", description=_("What the article is and how it is indexed"))
    @app_commands.describe(article=_("Which article (when there are several)"))
    @app_commands.autocomplete(article=article_autocomplete)
    async def article(self, interaction: discord.Interaction, article: str | None = None) -> None:
        lang = lang_of(interaction.locale)
        engine = self.bot.engine
        art_id = engine.resolve_article(article) or engine.article_ids()[0]
        info = next(a for a in engine.index.articles if a.id == art_id)
        manifest = engine.index.manifest
        embed = discord.Embed(title=clip(f"📰 {info.title}", 256), colour=COLOUR_SUMMARY)
        embed.add_field(name=label(lang, "article"), value=info.id)
        embed.add_field(name=label(lang, "language"), value=info.language)
        embed.add_field(name=label(lang, "sentences"), value=str(info.sentences))
        embed.add_field(name=label(lang, "source"), value=clip(info.source or "—", 1024), inline=False)
        embed.add_field(name=label(lang, "built"), value=str(manifest.get("built_at", "?")))
        embed.add_field(name=label(lang, "encoder"),
                        value=clip(", ".join(e["id"] for e in manifest["encoders"].values()), 1024))
        if len(engine.index.articles) > 1:
            embed.set_footer(text=clip(", ".join(engine.article_ids()), 2048))
        await interaction.response.send_message(embed=fit(embed))

    @app_commands.command(name="help", description=_("What this bot does, with example questions"))
    async def help(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        examples = list(self.bot.config.discord.examples) or [label("en", "default_example"),
                                                               label("fr", "default_example")]
        text = HELP[lang].format(me=self.bot.user.name if self.bot.user else "bot", first=examples[0],
                                 examples=" · ".join(f"*{e}*" for e in examples))
        await interaction.response.send_message(embed=text_embed("article-bot", text, COLOUR_SUMMARY),
                                                ephemeral=True)

    @app_commands.command(name="reload", description=_("Re-read the articles and rebuild what changed"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        if not await allowed_to_manage(interaction):
            return
        if not await defer(interaction, ephemeral=True):
            return
        await asyncio.to_thread(self.bot.engine.reload)
        index = self.bot.engine.index
        await interaction.followup.send(label(lang, "reloaded", n=len(index.articles), s=len(index.rows)),
                                        ephemeral=True)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Admin(bot))
