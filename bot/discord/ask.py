"""/ask and mention-to-ask (plus question-mark channels, thread mode and DMs).

A question asked in a thread, or in reply to a message of the bot's, belongs to a conversation about an
article (``bot/discord/conversations.py``): it is answered from that article first. Every answer sent is
remembered as the latest turn of its conversation (in memory, bounded), so the next question in the thread
or in reply to it can lean on it.
"""

from __future__ import annotations

import logging
import math
import re

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.app import ArticleBot, Reply
from bot.discord.i18n import label, lang_of
from bot.discord.render import clip, safe
from bot.discord.replies import defer, send_ephemeral
from bot.discord.tree import error_text
from bot.errors import InputError
from bot.qa.engine import clean_question

log = logging.getLogger(__name__)


async def article_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The articles this server sees (shared and its own), never another server's."""
    bot: ArticleBot = interaction.client  # type: ignore[assignment]
    ids = bot.engine.article_ids(bot.scope(interaction.guild_id)) if bot.engine else []
    return [app_commands.Choice(name=i, value=i) for i in ids if current.lower() in i.lower()][:25]


class Ask(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask", description=_("Ask a question about the article"))
    @app_commands.describe(question=_("Your question, in any language"),
                           article=_("Which article (when there are several)"))
    @app_commands.autocomplete(article=article_autocomplete)
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 300],
                  article: str | None = None) -> None:
        lang = lang_of(interaction.locale)
        retry = self.bot.cooldowns.retry_after(interaction.user.id, interaction.created_at)
        if retry is not None:
            await send_ephemeral(interaction, label(lang, "cooldown", s=math.ceil(retry)))
            return
        try:
            clean_question(question, self.bot.config.retrieval.max_question_chars)
            self.bot.engine.resolve_article(article, self.bot.scope(interaction.guild_id))
        except InputError as err:
            await send_ephemeral(interaction, label(lang, "bad_input", reason=str(err)))
            return
        if not await defer(interaction):
            return
        channel = interaction.channel
        context = None if article is not None else await self.bot.conversations.context(channel, None)
        reply = await self.bot.answer(question, lang, article, guild_id=interaction.guild_id,
                                      user_id=interaction.user.id, context=context)
        try:
            sent = await interaction.followup.send(embed=reply.embed, view=reply.view or discord.utils.MISSING,
                                                   wait=True)
        except discord.HTTPException as err:
            log.warning("could not send the answer to /ask (%s %s); still serving", err.status, err.text)
            return
        self._remember(sent.id, channel, question, reply, interaction.user.id)

    # ----- messages -----------------------------------------------------------------------
    def _question_from(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None when it is not for the bot."""
        me = self.bot.user
        assert me is not None
        if message.guild is None:
            return message.content
        mentioned = me in message.mentions
        roles = {r.id for r in message.role_mentions if r.is_bot_managed() and r.tags and r.tags.bot_id == me.id}
        if mentioned or roles:
            text = re.sub(rf"<@!?{me.id}>", " ", message.content)
            for role_id in roles:
                text = text.replace(f"<@&{role_id}>", " ")
            return text
        if self._watched(message.channel) and message.content.rstrip().endswith("?"):
            return message.content
        return None

    def _watched(self, channel: discord.abc.Messageable) -> bool:
        """A question-mark channel (by id or name), or a thread in one."""
        wanted = self.bot.config.discord.question_channels
        parent = getattr(channel, "parent", None)
        return any(c in wanted for ch in (channel, parent) if ch is not None
                   for c in (ch.id, getattr(ch, "name", None)))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None or message.author.id == self.bot.user.id:
            return
        question = self._question_from(message)
        if question is None:
            return
        question = " ".join(question.split())  # the mention's text, without the spaces it leaves
        lang = lang_of(message.guild.preferred_locale if message.guild else None)
        try:
            await self._reply(message, question, lang)
        except discord.HTTPException as err:
            log.warning("could not answer message %s (%s %s); still serving", message.id, err.status, err.text)
        except Exception as err:  # noqa: BLE001 - the mention path gets the same handler as slash commands
            try:
                await message.reply(error_text(lang, err, f"answering message {message.id}"), mention_author=False)
            except discord.HTTPException as send_err:
                log.warning("could not send an error message (%s %s)", send_err.status, send_err.text)

    async def _reply(self, message: discord.Message, question: str, lang: str) -> None:
        if message.guild is None and self.bot.config.discord.dms == "decline":
            await message.channel.send(label(lang, "dm_declined"))
            return
        if not question.strip():
            examples = self.bot.config.discord.examples
            example = examples[0] if examples else label(lang, "default_example")
            await message.reply(label(lang, "empty_mention", me=self.bot.user.name, example=example),
                                mention_author=False)
            return
        retry = self.bot.cooldowns.retry_after(message.author.id, message.created_at)
        if retry is not None:
            await message.reply(label(lang, "cooldown", s=math.ceil(retry)), mention_author=False)
            return
        context = await self.bot.conversations.context(message.channel, message.reference)
        try:
            async with message.channel.typing():
                reply = await self.bot.answer(question, lang, user_id=message.author.id, context=context,
                                              guild_id=message.guild.id if message.guild else None)
        except InputError as err:
            await message.reply(label(lang, "bad_input", reason=safe(str(err))), mention_author=False)
            return
        view = reply.view or discord.utils.MISSING
        if self.bot.config.discord.thread_mode and isinstance(message.channel, discord.TextChannel):
            name = clip(" ".join(question.split()) or "question", 100)
            thread = await message.create_thread(name=name)
            sent = await thread.send(embed=reply.embed, view=view)
            self._remember(sent.id, thread, question, reply, message.author.id, started=True)
            return
        sent = await message.reply(embed=reply.embed, view=view, mention_author=False)
        self._remember(sent.id, message.channel, question, reply, message.author.id)

    def _remember(self, message_id: int, channel: object, question: str, reply: Reply, user_id: int,
                  started: bool = False) -> None:
        """The answer just sent continues its conversation: a reply to it is about the article it answered
        from; the next question in its thread, about the thread's article (the conversation's, when there was
        one, even if this answer came from another), with this question as the one before it."""
        self.bot.conversations.remember(message_id, channel, question, reply.answer, user_id, started)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Ask(bot))
