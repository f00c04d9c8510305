"""create_bot(): the discord.py Bot with the engine, feedback store and cogs wired in.

The bot never pings anyone (``AllowedMentions.none()``), runs the engine in worker threads with
bounded concurrency, syncs its commands in ``setup_hook`` only where Discord does not hold them as
they are (or on ``article-bot sync``), journals every question (``bot/discord/journal.py``), and uses
no privileged intent unless ``discord.question_channels`` is set (that mode needs Message Content).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import gc
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Config, load_config
from bot.discord.conversations import Context, Conversations
from bot.discord.feedback import AskElsewhere, VoteButton, answer_view
from bot.discord.i18n import Translator, label
from bot.discord.journal import Journal
from bot.discord.registered import differences, held, sent
from bot.discord.render import answer_embed
from bot.discord.tree import ArticleTree
from bot.errors import InputError
from bot.qa.answer import Answer, Route
from bot.qa.engine import Engine, Scope

log = logging.getLogger(__name__)

# The bot never joins a voice channel: discord.py's "PyNaCl / davey is not installed, voice will NOT be
# supported" warnings, logged when the first client of the process is made, say nothing useful here.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

T = TypeVar("T")

EXTENSIONS = ("bot.discord.ask", "bot.discord.summary", "bot.discord.help", "bot.discord.admin",
              "bot.discord.articles", "bot.discord.insights", "bot.discord.polling")

#: Changes to the articles at once (mostly waiting on web sites; their writes take turns on the lock).
LIBRARY_WORKERS = 4

#: Minimal permissions: View Channel, Send Messages, Embed Links, Read Message History,
#: Send Messages in Threads (+ Create Public Threads when thread mode is on).
PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True,
                                  read_message_history=True, send_messages_in_threads=True)


def permissions(config: Config) -> discord.Permissions:
    perms = discord.Permissions(PERMISSIONS.value)
    if config.discord.thread_mode:
        perms.create_public_threads = True
    return perms


def invite_url(application_id: int, config: Config) -> str:
    return discord.utils.oauth_url(application_id, permissions=permissions(config),
                                   scopes=("bot", "applications.commands"))


def owner_of(guild_id: int | None) -> str | None:
    """The engine's owner string for a Discord server (None outside servers: direct messages)."""
    return str(guild_id) if guild_id else None


class UserCooldowns:
    """One bucket per user shared by the slash and mention paths (``rate`` questions per ``per`` s).

    Times come from the event's own timestamp (interaction or message), as discord.py does.
    """

    PRUNE_ABOVE = 1000

    def __init__(self, rate: int, per: float) -> None:
        self.rate, self.per = rate, per
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def retry_after(self, user_id: int, when: dt.datetime) -> float | None:
        if self.per <= 0:
            return None
        now = when.timestamp()
        if len(self._buckets) > self.PRUNE_ABOVE:  # forget users whose window has passed
            self._buckets = {u: b for u, b in self._buckets.items() if b.get_tokens(now) < self.rate}
        bucket = self._buckets.setdefault(user_id, app_commands.Cooldown(self.rate, self.per))
        return bucket.update_rate_limit(now)


class ArticleBot(commands.Bot):
    """The article bot. ``engine`` may be injected (tests share one); else it loads in setup_hook."""

    def __init__(self, config: Config, engine: Engine | None = None, sync_only: bool = False) -> None:
        intents = discord.Intents.default()
        intents.message_content = bool(config.discord.question_channels)
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, help_command=None,
                         allowed_mentions=discord.AllowedMentions.none(), tree_cls=ArticleTree)
        self.config = config
        self.engine = engine
        self.sync_only = sync_only  # `article-bot sync`: log in, sync the commands, no engine
        self.metrics = None
        if config.metrics.enabled and not sync_only:
            from bot.discord.metrics import Metrics

            self.metrics = Metrics(self)
        self.journal = Journal(config.discord.feedback_db or config.path.parent / "feedback.sqlite3",
                               config.discord.retention_days)
        self.cooldowns = UserCooldowns(config.discord.cooldown_rate, config.discord.cooldown_per)
        self.conversations = Conversations(self)
        self.engine_slots = asyncio.Semaphore(config.discord.max_concurrency)
        self._engine_pool = ThreadPoolExecutor(config.discord.max_concurrency, thread_name_prefix="engine")
        self._library_pool = ThreadPoolExecutor(LIBRARY_WORKERS, thread_name_prefix="library")

    async def setup_hook(self) -> None:
        if self.engine is None and not self.sync_only:
            self.engine = await asyncio.to_thread(Engine, self.config)
        await self.tree.set_translator(Translator())
        self.add_dynamic_items(VoteButton, AskElsewhere)
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        await self.sync_commands(force=self.sync_only)
        await asyncio.to_thread(self.journal.prune)
        if self.metrics is not None:
            m = self.config.metrics
            try:
                await self.metrics.start(m.host, m.port)
            except OSError as err:
                from bot.discord.metrics import cannot_serve

                raise cannot_serve(m.host, m.port, err) from None
        # The engine's rows, vocabularies and models live as long as the process: move them out of
        # the cyclic collector's reach so its full passes do not stall the event loop.
        gc.freeze()

    async def sync_commands(self, force: bool = False) -> bool:
        """Sync the slash commands wherever Discord does not hold them as the tree would send them, or
        everywhere when ``force`` (``article-bot sync``); True when anything was synced.

        What Discord holds is asked first, one GET per scope (the global commands, or each of
        ``discord.dev_guild_ids``), not remembered from an earlier sync: a new application, commands
        removed in the portal, another deployment's commands are all seen; commands Discord already
        holds as they are here are never sent again (Discord rate-limits syncs).
        ``bot/discord/registered.py`` says what "as they are" means."""
        synced = []
        for guild in [discord.Object(id=g) for g in self.config.discord.dev_guild_ids] or [None]:
            if guild is not None:
                self.tree.copy_global_to(guild=guild)
            why = "forced" if force else differences(await sent(self.tree, guild), await held(self, guild),
                                                     guild=guild is not None)
            if why:
                await self.tree.sync(guild=guild)
                synced.append(f"{'global' if guild is None else f'guild {guild.id}'}: {why}")
        if not synced:
            log.info("commands unchanged: Discord already holds them as they are here, not synced "
                     "(`article-bot sync` forces it)")
            return False
        log.info("commands synced (%s)", "; ".join(synced))
        return True

    async def close(self) -> None:
        if self.metrics is not None:
            await self.metrics.stop()
        await super().close()
        self._engine_pool.shutdown(wait=False, cancel_futures=True)
        self._library_pool.shutdown(wait=False, cancel_futures=True)
        self.journal.close()

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: questions by mention are handled in the ask cog."""

    async def run_engine(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run an engine call in a worker thread, at most ``max_concurrency`` at once.

        The wait is bounded in wall-clock time (``engine_timeout``) by a second thread blocking on
        the call's future, so it holds whatever the event loop's clock does; TimeoutError past it
        (the call itself finishes in the background and its result is dropped).
        """
        async with self.engine_slots:
            future = self._engine_pool.submit(func, *args, **kwargs)
            return await asyncio.to_thread(future.result, self.config.discord.engine_timeout)

    def scope(self, guild_id: int | None) -> Scope:
        """The articles a server sees: the shared ones and its own; in direct messages the shared ones."""
        return Scope(owner_of(guild_id))

    async def run_library(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a change to the articles (an add, a removal, a reload, a feed poll) in a library worker,
        off the event loop and off the question workers, so answers go on meanwhile. Fetching runs in
        parallel (a slow site holds up no other change); writing and indexing take the library lock,
        one change at a time."""
        return await asyncio.get_running_loop().run_in_executor(self._library_pool,
                                                                functools.partial(func, *args, **kwargs))

    async def answer(self, question: str, lang: str, article: str | None = None, *, guild_id: int | None = None,
                     user_id: int | None = None, context: Context | None = None, route: str | None = None,
                     asker_of: str | None = None) -> Reply:
        """The embed and buttons for a question; InputError when the engine refuses it.

        ``context``: the conversation the question belongs to (``bot/discord/conversations.py``); ``route``:
        the journal's name for how its articles were chosen, when the caller knows better (a re-ask from the
        "other article" button); ``asker_of``: the journal id of the question this one asks again, whose asker
        it is recorded as (instead of ``user_id``). Every question that reaches the engine goes into the
        journal with what became of it (an answer, an unsure one, not covered, an error) and that route, so
        ``/stats`` shows what went unanswered."""
        assert self.engine is not None
        start = time.perf_counter()

        def record(outcome: str, answer: Answer | None = None) -> str:
            sentence = None if answer is None or answer.abstained or answer.passage is None \
                else answer.passage.sentence
            if self.metrics is not None:
                self.metrics.observe(outcome, time.perf_counter() - start)
            return self.journal.record(
                question, outcome, article=sentence.article if sentence else article,
                sentence_id=sentence.id if sentence else None,
                confidence=answer.confidence if answer is not None else None,
                latency_ms=(time.perf_counter() - start) * 1000, guild_id=guild_id, user_id=user_id,
                asker_of=asker_of, route=route or (route_name(answer, context) if answer is not None else None))

        try:
            answer: Answer = await self.run_engine(self.engine.ask, question, 3, article, self.scope(guild_id),
                                                   context.conversation if context else None)
        except TimeoutError:
            log.warning("engine took longer than %.0f s", self.config.discord.engine_timeout)
            await asyncio.to_thread(record, "error")
            return Reply(discord.Embed(description=label(lang, "timeout")), None, None, None)
        except InputError:
            raise
        except Exception:
            await asyncio.to_thread(record, "error")
            raise
        question_id = await asyncio.to_thread(record, str(answer.tier), answer)
        titles = {a: info.title for a in (answer.conversation_article, answer.alternative_article)
                  if a and (info := self.engine.index.article(a)) is not None}
        return Reply(answer_embed(answer, lang, titles), answer_view(question_id, answer, lang), answer, question_id)


@dataclass(frozen=True)
class Reply:
    """What the bot sends for one question: the embed and its buttons, the engine's answer (None when the
    engine timed out) and the journal's id of the question."""

    embed: discord.Embed
    view: discord.ui.View | None
    answer: Answer | None
    question_id: str | None


def route_name(answer: Answer, context: Context | None) -> str:
    """How the articles of ``answer`` were chosen, as the journal keeps it (``journal.ROUTE_COLUMN``)."""
    if answer.route is Route.CONVERSATION and context is not None:
        return context.rule
    if answer.route is Route.FALLBACK and context is not None:
        return f"{context.rule}_fallback"
    return str(answer.route)


def create_bot(config_path: str | Path = "config.yaml", engine: Engine | None = None) -> ArticleBot:
    """The fully configured bot, not connected. The engine loads in setup_hook unless given."""
    return ArticleBot(load_config(config_path), engine=engine)
