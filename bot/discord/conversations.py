"""Conversations: which article a question is about, read from where it was asked on Discord.

A news server's library grows every day, and "when does it open?" asked in the thread under the bot's
announcement of an article is about that article, not about the library. The rules, in this order
(``article:`` given with ``/ask`` always wins, before any of them):

- ``reply``: the question replies to a message of the bot's: an answer (its article and its question)
  or an announcement of a new article (its article);
- ``thread``: the question is asked in a thread whose starter message is the bot's answer or
  announcement, or that the bot started for its answer (``thread_mode``): that article, and the thread's
  last question. In any other thread the bot answered in, the last exchange there is a conversation that
  is not anchored (``Conversation.anchored``): only a follow-up that names no subject of its own ("and how
  much?") leans on it; a question that names its subject is asked afresh (the engine decides).

The engine then answers from that article first, and from the others when it does not cover the question
(``bot/qa/engine.py``, ``Conversation``); a question that names no subject of its own is read with the
conversation's previous question (``bot/retrieval/followup.py``).

What is kept, in memory only, never written anywhere: for the last ``LIMIT`` messages the bot sent and
the last ``LIMIT`` threads it answered in, the article and the question (and the asker's id, only so that
``/forget-me`` can drop their turns at once). After a restart, or past the limit, a message of the bot's
is read again from Discord: an answer's 👍/👎 buttons name its question in the journal (which already
keeps it), an announcement names its article. A question the memory did not get from its asker (read back
from the journal, or re-asked by someone else with the "other article" button) is held as its journal id
only and read from the journal when it is needed, so ``/forget-me``, which deletes the journal's rows, drops
it too. A message that cannot be read for a passing reason (Discord's 5xx, a rate limit) is not cached:
the next question tries again.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.discord.i18n import LABELS
from bot.qa.answer import Answer
from bot.qa.engine import Conversation

if TYPE_CHECKING:  # annotations only
    from bot.discord.app import ArticleBot

log = logging.getLogger(__name__)

#: Messages and threads remembered (each); the oldest go first.
LIMIT = 2000
_VOTE = re.compile(r"^fb:(?:up|down):(?P<qid>[0-9a-f]{16})$")
#: ``_fetch``'s answer for a message that could not be read for a passing reason.
_UNREAD: discord.Message = object()  # type: ignore[assignment]


@dataclass(frozen=True)
class Turn:
    """What one message of the bot's, or the last exchange of a thread, was about."""

    article: str | None
    question: str | None = None
    user_id: int | None = None   # who asked, for /forget-me; never stored anywhere
    anchored: bool = True        # a thread's turn: its article comes from its starter (False: from an answer in it)
    qid: str | None = None       # the question's journal id, when the question is read from the journal on use


@dataclass(frozen=True)
class Context:
    """A question's conversation and the rule that found it (``reply`` or ``thread``, kept in the journal)."""

    conversation: Conversation
    rule: str


def _answer_id(message: discord.Message) -> str | None:
    """The journal's id of the question an answer message answers, from its 👍/👎 buttons."""
    for row in message.components:
        for item in getattr(row, "children", ()):
            match = _VOTE.match(getattr(item, "custom_id", None) or "")
            if match:
                return match["qid"]
    return None


def _announced(message: discord.Message) -> str | None:
    """The article an announcement (``bot/discord/articles.py``'s ``article_embed``) is about: its "Article" field."""
    names = {labels["article"] for labels in LABELS.values()}
    for embed in message.embeds:
        for field in embed.fields:
            if field.name in names and field.value:
                return field.value
    return None


class Conversations:
    """The bot's recent messages and threads, and how to read the conversation a question belongs to."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot
        self._messages: OrderedDict[int, Turn] = OrderedDict()
        self._threads: OrderedDict[int, Turn] = OrderedDict()

    @staticmethod
    def _keep(table: OrderedDict[int, Turn], key: int, turn: Turn) -> None:
        table[key] = turn
        table.move_to_end(key)
        while len(table) > LIMIT:
            table.popitem(last=False)

    def sent(self, message_id: int, turn: Turn) -> None:
        """The bot sent ``message_id`` about ``turn``: a reply to it continues that turn."""
        self._keep(self._messages, message_id, turn)

    def answered_in(self, thread_id: int, turn: Turn) -> None:
        """The latest exchange in thread ``thread_id``: the next question there continues it."""
        self._keep(self._threads, thread_id, turn)

    def remember(self, message_id: int, channel: object, question: str, answer: Answer | None, user_id: int | None,
                 started: bool = False, qid: str | None = None) -> None:
        """The answer ``message_id`` just sent continues its conversation: a reply to it is about the article it
        answered from; the next question in its thread is about the thread's article (the conversation's, when
        there was one, even if this answer came from another), with ``question`` as the one before it.
        ``started``: the bot started that thread for this answer (``thread_mode``). ``qid``: hold the question as
        this journal id instead (a question ``user_id`` did not write: the "other article" button's re-ask)."""
        if answer is None:
            return
        question = " ".join(question.split())  # as the engine read it (a mention's text keeps the spaces around it)
        asked: str | None = question
        if qid is not None:
            asked, user_id = None, None
        own = answer.passage.sentence.article if answer.passage is not None and not answer.abstained else None
        self.sent(message_id, Turn(own or answer.conversation_article, asked, user_id, qid=qid))
        if isinstance(channel, discord.Thread):
            before = self._threads.get(channel.id) or self._messages.get(channel.id)
            if before is None and not started:
                return  # the thread's starter was not read (article: given, a passing failure): read it next time
            anchored = started or (before is not None and before.anchored and before.article is not None)
            # An anchored thread keeps its article, even after an answer from another (``article:`` given, a
            # fallback); a thread of its own follows its last answer.
            article = answer.conversation_article or (before.article if anchored and before is not None else own)
            self.answered_in(channel.id, Turn(article, asked, user_id, anchored, qid))

    def forget(self, user_id: int) -> int:
        """Drop every turn ``user_id`` asked (``/forget-me``); how many went."""
        gone = 0
        for table in (self._messages, self._threads):
            for key in [k for k, t in table.items() if t.user_id == user_id]:
                del table[key]
                gone += 1
        return gone

    async def context(self, channel: object, reference: discord.MessageReference | None) -> Context | None:
        """The conversation a question asked in ``channel`` (replying to ``reference``) belongs to, or None."""
        if reference is not None and reference.message_id is not None:
            turn = self._messages.get(reference.message_id)
            if turn is None:
                resolved = reference.resolved if isinstance(reference.resolved, discord.Message) else None
                turn = await self._read(resolved or await self._fetch(channel, reference.message_id))
                if reference.message_id in self._messages:  # remembered while this was read: the newer turn
                    turn = self._messages[reference.message_id]
                elif turn is not None:
                    self._keep(self._messages, reference.message_id, turn)  # read once, even when about none
            if turn is not None and turn.article:
                return Context(Conversation(turn.article, await self._question(turn)), "reply")
        if isinstance(channel, discord.Thread):
            turn = self._threads.get(channel.id)
            if turn is None:
                turn = self._messages.get(channel.id) or await self._read(
                    channel.starter_message or await self._fetch(channel.parent, channel.id))
                if channel.id in self._threads:  # an answer in the thread was remembered while this was read
                    turn = self._threads[channel.id]
                elif turn is not None:  # the thread keeps its starter's article as its answers come
                    self._keep(self._threads, channel.id, turn)
            if turn is not None and turn.article:
                return Context(Conversation(turn.article, await self._question(turn), turn.anchored), "thread")
        return None

    async def _question(self, turn: Turn) -> str | None:
        """The turn's question: held, or read from the journal by its id (None once /forget-me deleted it)."""
        if turn.question is not None or turn.qid is None:
            return turn.question
        asked = await asyncio.to_thread(self.bot.journal.asked, turn.qid)
        return asked[0] if asked else None

    async def _fetch(self, channel: object, message_id: int) -> discord.Message | None:
        """The message, or None when there is none to read (gone, not readable); ``_Unread`` for a passing
        failure (Discord's 5xx, a rate limit), which is not cached."""
        fetch = getattr(channel, "fetch_message", None)
        if fetch is None:
            return None
        try:
            return await fetch(message_id)
        except (discord.NotFound, discord.Forbidden) as err:  # no conversation; the question still goes
            log.debug("cannot read message %s for its conversation (%s)", message_id, err)
            return None
        except discord.HTTPException as err:
            log.debug("could not read message %s for its conversation now (%s)", message_id, err)
            return _UNREAD

    async def _read(self, message: discord.Message | None) -> Turn | None:
        """What a message of the bot's is about, read from the message itself (and the journal, for an answer):
        ``Turn(None)`` when it is about no article (another's message, gone); None when that is not known now
        (the message could not be fetched, or the journal has no row for its answer: past retention, deleted by
        /forget-me, or not readable), so nothing is cached."""
        if message is _UNREAD:
            return None
        me = self.bot.user
        if message is None or me is None or message.author.id != me.id:
            return Turn(None)
        qid = _answer_id(message)
        if qid is not None:
            asked = await asyncio.to_thread(self.bot.journal.asked, qid)
            return Turn(asked[1], qid=qid) if asked else None
        return Turn(_announced(message))
