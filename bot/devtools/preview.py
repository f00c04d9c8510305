"""``article-bot preview``: the real bot in a Discord-like page on 127.0.0.1, with no token and no network.

The bot is the one ``run`` starts (``ArticleBot`` with the configured articles, index and settings),
connected to SimCord's in-memory Discord instead of discord.com: a server "News Club" with a few
channels and two members, ``member`` and ``moderator`` (Manage Server, so ``/article add`` and
``/stats`` work). SimCord's preview (the ``preview`` extra) serves the channel as a page with a real
composer: slash commands with their options, mentions, buttons, and a viewer switch between the two
members. Every interaction runs the bot's own code.

What a preview changes stays in a scratch folder, deleted on exit: the articles and the index are
copied there first (so ``/article add`` and ``/article remove`` never touch the real ones), and the
journal is a scratch file unless ``--journal PATH`` keeps it. Feeds are not polled and metrics are
off: a preview never goes to the network on its own.

SimCord sends every interaction with the locale ``en-US``; ``--locale fr`` makes the preview speak
for a French Discord client instead (the interaction's locale and the server's preferred locale),
so the bot's French labels show.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import shutil
import signal
import sys
import tempfile
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Config
from bot.errors import ArticleBotError, InputError

if TYPE_CHECKING:  # annotations only: simcord comes with the ``preview`` extra
    from simcord import Env
    from simcord.actors import MemberActor
    from simcord.builders import ChannelHandle

log = logging.getLogger(__name__)

#: The port a preview listens on unless ``--port`` says otherwise (0: any free port).
DEFAULT_PORT = 8765
#: What ``--locale`` accepts, and the Discord locale each one stands for.
LOCALES = {"en": "en-US", "fr": "fr"}
SERVER_NAME = "News Club"
#: The bot's name in the preview (on Discord it is the application's, set in the developer portal).
BOT_NAME = "article-bot"
#: The server's channels and their topics; ``{me}`` is the bot's mention, which the preview's message box has
#: no picker for: typed as it shows (``<@id>``), it mentions the bot as on Discord.
CHANNELS = (("questions", "Ask about the articles: /ask, or mention the bot by typing {me} before a question"),
            ("news", "Where the moderators add articles: /article add"),
            ("general", "Anything else"))
INSTALL_HINT = "the preview needs the `preview` extra: pip install -e '.[preview]' (or: make preview)"


@dataclass(frozen=True)
class World:
    """The in-memory server the preview shows."""

    channel: ChannelHandle
    member: MemberActor
    moderator: MemberActor


def sandbox(config: Config, folder: Path, journal: Path | None) -> Config:
    """``config`` working on copies in ``folder``: articles, index and journal; no feeds, no metrics."""
    articles, index = folder / "articles", folder / "index"
    if config.articles_dir.is_dir():
        shutil.copytree(config.articles_dir, articles)
    else:
        articles.mkdir()
    if config.index_dir.is_dir():
        shutil.copytree(config.index_dir, index, ignore=shutil.ignore_patterns("*.lock"))
    polling = dataclasses.replace(config.feed_polling, state=str(folder / "feeds.json"))
    return dataclasses.replace(
        config, articles_dir=articles, index_dir=index, feeds=(), feed_polling=polling,
        metrics=dataclasses.replace(config.metrics, enabled=False),
        discord=dataclasses.replace(config.discord, feedback_db=journal or folder / "journal.sqlite3",
                                    dev_guild_ids=()))


def populate(env: Env, locale: str) -> World:
    """The server, its channels and the two members."""
    import discord

    guild = env.create_guild(name=SERVER_NAME, preferred_locale=locale)
    me = f"<@{env.bot.user.id}>"
    channels = [guild.create_text_channel(name, topic=topic.format(me=me)) for name, topic in CHANNELS]
    moderators = guild.create_role("moderators", permissions=discord.Permissions(manage_guild=True))
    member = guild.add_member(env.create_user("member", global_name="Member"))
    moderator = guild.add_member(env.create_user("moderator", global_name="Moderator"), roles=[moderators])
    return World(channels[0], member, moderator)


@contextlib.contextmanager
def client_locale(locale: str) -> Iterator[None]:
    """Interactions carry ``locale`` (SimCord 3 always sends ``en-US``), as from a client set to it."""
    from simcord import interactions

    original = interactions.base_payload

    def localised(*args: Any, **kwargs: Any) -> Any:
        record, payload = original(*args, **kwargs)
        payload["locale"] = locale
        if "guild_locale" in payload:
            payload["guild_locale"] = locale
        return record, payload

    interactions.base_payload = localised
    try:
        yield
    finally:
        interactions.base_payload = original


def can_open_browser() -> bool:
    """A graphical browser can be opened here (never a console one, which would take over the terminal)."""
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


async def serve(config: Config, *, port: int = DEFAULT_PORT, locale: str = "en", journal: Path | None = None,
                on_ready: Callable[[str], None] = print) -> None:
    """Run the preview until the page's "End preview session", SIGINT or SIGTERM."""
    from bot.devtools.simulated import import_simcord
    from bot.discord.app import ArticleBot
    from bot.qa.engine import Engine

    simcord = import_simcord(INSTALL_HINT)
    try:
        from simcord.backend.errors import SetupError
        from simcord.preview import _require_preview_runtime
        _require_preview_runtime()
    except (ImportError, SetupError):
        raise ArticleBotError(INSTALL_HINT) from None

    discord_locale = LOCALES[locale]
    with tempfile.TemporaryDirectory(prefix="article-bot-preview-") as tmp:
        scratch = sandbox(config, Path(tmp), journal)
        engine = Engine(scratch)
        env = simcord.Env(ArticleBot(scratch, engine=engine))
        with client_locale(discord_locale):
            await env.start()
            try:
                await env.bot.user.edit(username=BOT_NAME)  # as an owner names it in the developer portal
                world = populate(env, discord_locale)
                await _present(env, world, port, discord_locale, on_ready)
            finally:
                await env.shutdown()


async def _present(env: Env, world: World, port: int, locale: str, on_ready: Callable[[str], None]) -> None:
    from simcord.backend.errors import SetupError

    try:
        preview = env.preview(world.channel, viewers=[world.member, world.moderator], layout="channel",
                              locale=locale, port=port)
        async with preview:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows / other threads
                    loop.add_signal_handler(sig, lambda: asyncio.ensure_future(preview.close()))
            on_ready(preview.url)
            await preview.wait_closed()
    except (OSError, SetupError) as err:  # SimCord says SetupError("preview could not bind port N")
        why = str(getattr(err.__cause__, "strerror", None) or getattr(err, "strerror", None) or err)
        raise InputError(f"127.0.0.1:{port} cannot be used ({why.rsplit(': ', 1)[-1]}): pass another --port, "
                         "or --port 0 to pick a free one") from None


def run(config: Config, *, port: int = DEFAULT_PORT, locale: str = "en", journal: Path | None = None,
        open_browser: bool = True) -> int:
    """``article-bot preview``: print the URL (and open it where a browser can be), serve until stopped."""

    def ready(url: str) -> None:
        print(f"article-bot preview: {SERVER_NAME} is open at {url}", flush=True)
        print("  (the part after # is this session's key; Ctrl-C or \"End preview session\" stops it)", flush=True)
        if open_browser and can_open_browser():
            webbrowser.open(url)

    asyncio.run(serve(config, port=port, locale=locale, journal=journal, on_ready=ready))
    print("article-bot preview: stopped", flush=True)
    return 0
