"""/help: what the bot does, with example questions, in the member's language."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.app import ArticleBot
from bot.discord.i18n import label, lang_of
from bot.discord.render import COLOUR_SUMMARY, text_embed

HELP = {
    "en": ("I answer questions about the article by quoting the sentence that answers, with its context, "
           "where it stands and how sure I am; if the article does not say, I tell you.\n\n"
           "**Ask**: `/ask question:…` or mention me: `@{me} {first}`\n"
           "**Examples**: {examples}\n"
           "**Conversations**: in a thread under my answer or announcement, or replying to it, I answer from "
           "that article first; a short follow-up (\"and when?\") is read with the question before it\n"
           "**Summary**: `/summary length:short` (or `focus:…`, `key_points:True`)\n"
           "**Articles**: `/article list`, `/article info` — what I read; moderators: `/article add url:…` "
           "(or `file:`), `/article remove`\n"
           "Rate answers with 👍 / 👎: it helps improve me."),
    "fr": ("Je réponds aux questions sur l'article en citant la phrase qui répond, avec son contexte, sa "
           "position et ma confiance ; si l'article ne le dit pas, je le dis.\n\n"
           "**Demander** : `/ask question:…` ou mentionnez-moi : `@{me} {first}`\n"
           "**Exemples** : {examples}\n"
           "**Conversations** : dans un fil sous ma réponse ou mon annonce, ou en y répondant, je réponds "
           "d'abord à partir de cet article ; une courte relance (« et quand ? ») est lue avec la question "
           "d'avant\n"
           "**Résumé** : `/summary length:short` (ou `focus:…`, `key_points:True`)\n"
           "**Articles** : `/article list`, `/article info` — ce que j'ai lu ; modération : `/article add url:…` "
           "(ou `file:`), `/article remove`\n"
           "Notez les réponses avec 👍 / 👎 : cela m'aide à progresser."),
}


class Help(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description=_("What this bot does, with example questions"))
    async def help(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        examples = list(self.bot.config.discord.examples) or [label("en", "default_example"),
                                                               label("fr", "default_example")]
        text = HELP[lang].format(me=self.bot.user.name if self.bot.user else "bot", first=examples[0],
                                 examples=" · ".join(f"*{e}*" for e in examples))
        await interaction.response.send_message(embed=text_embed("article-bot", text, COLOUR_SUMMARY),
                                                ephemeral=True)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Help(bot))
