"""``article-bot run``: the token from the environment only, clean shutdown on SIGTERM/SIGINT.

The token is read from ``DISCORD_TOKEN`` (or a ``.env`` file beside the config or in the current
folder). It is never printed or logged: messages about it describe it, never quote it.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import re
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config
from bot.errors import ArticleBotError, ConfigError

if TYPE_CHECKING:  # annotations only: discord.py is imported when the bot runs
    from bot.discord.app import ArticleBot

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")


class TokenError(ConfigError):
    """DISCORD_TOKEN is missing or malformed (exit 2)."""


def _dotenv(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep and key.strip().removeprefix("export ").strip() == "DISCORD_TOKEN":
            return value.strip().strip("'\"")
    return None


def read_token(config: Config) -> str:
    """The bot token from the environment or a .env file; TokenError saying how to fix it."""
    token = os.environ.get("DISCORD_TOKEN")
    if not token:
        for folder in (config.path.parent, Path.cwd()):
            token = _dotenv(folder / ".env")
            if token:
                break
    if not token:
        raise TokenError("DISCORD_TOKEN is not set: copy the bot token from the Discord developer portal "
                         "(your application → Bot → Reset Token) and run `export DISCORD_TOKEN=...` "
                         "or put DISCORD_TOKEN=... in a .env file")
    token = token.strip()
    if token.lower().startswith("bot "):
        token = token[4:].strip()
    if not _TOKEN.match(token):
        raise TokenError(f"DISCORD_TOKEN does not look like a bot token ({len(token)} characters, expected "
                         "three parts separated by dots); copy it again from the developer portal")
    return token


def application_id(config: Config, token: str | None) -> int | None:
    """From config, else from the token's first part (the bot's user id, base64)."""
    if config.discord.application_id:
        return config.discord.application_id
    if token:
        head = token.split(".")[0]
        try:
            return int(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode())
        except (ValueError, UnicodeDecodeError):
            return None
    return None


def check(config: Config) -> None:
    """What ``run`` needs, checked without connecting: config, articles and index (loaded), the token, the
    metrics port. Prints the articles, the index and the invite URL (when the application id is known);
    raises a ConfigError (exit 2) naming every problem that would stop ``run``, and returns only when
    ``run`` would start. The token is described, never printed."""
    from bot.discord.app import invite_url
    from bot.qa.engine import Engine

    engine = Engine(config)
    for art in engine.articles():
        print(f"article {art.id}: {art.title} [{art.language}, {art.sentences} sentences]")
    print(f"index: {config.index_dir} ({engine.index.manifest['sentences']} sentences, built "
          f"{engine.index.manifest['built_at']})")
    problems: list[ConfigError] = []
    try:
        token = read_token(config)
        print("token: DISCORD_TOKEN is set and well-formed")
    except TokenError as err:
        token = None
        problems.append(err)
    app_id = application_id(config, token)
    if app_id:
        print(f"invite URL: {invite_url(app_id, config)}")
    else:
        print("invite URL: set discord.application_id in config.yaml (or DISCORD_TOKEN) to print it")
    if config.discord.question_channels:
        print("note: discord.question_channels needs the Message Content intent: check that it is on in the "
              "developer portal (Bot → Privileged Gateway Intents); --check cannot see it")
    if config.metrics.enabled:
        from bot.discord.metrics import check_port

        try:
            check_port(config.metrics.host, config.metrics.port)
            print(f"metrics: {config.metrics.host}:{config.metrics.port} is free")
        except ConfigError as err:
            problems.append(err)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ConfigError(f"{len(problems)} problems: " + " ".join(f"({n}) {p}" for n, p in enumerate(problems, 1)))


def close_on_signals(bot: ArticleBot) -> None:
    """SIGTERM and SIGINT close the bot (gateway, HTTP session, worker pool) instead of killing it."""
    loop = asyncio.get_running_loop()

    def close(sig: signal.Signals) -> None:
        log.info("received %s: closing", sig.name)
        asyncio.ensure_future(bot.close())

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, close, sig)


def setup_logging() -> None:
    """One handler on the root logger, with times (discord.py's own ``setup_logging`` would add a second
    one next to the CLI's, and every line was printed twice)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
                        force=True)
    for name in ("bot", "discord"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:  # keep `-v`'s DEBUG
            logger.setLevel(logging.INFO)


def run(config: Config, sync_only: bool = False) -> int:
    """Connect and serve until SIGTERM/SIGINT; ``sync_only``: log in, sync the commands, stop."""
    import discord

    token = read_token(config)
    setup_logging()
    from bot.discord.app import ArticleBot

    async def main() -> None:
        bot = ArticleBot(config, sync_only=sync_only)
        if sync_only:
            async with bot:
                await bot.login(token)  # runs setup_hook, which syncs
            return
        close_on_signals(bot)
        async with bot:
            await bot.start(token)

    try:
        asyncio.run(main())
    except discord.LoginFailure:
        raise TokenError("Discord rejected DISCORD_TOKEN (improper token): reset it in the developer "
                         "portal and set it again") from None
    except (discord.GatewayNotFound, discord.ConnectionClosed, OSError, TimeoutError) as err:
        import aiohttp  # noqa: F401 - ClientConnectorError is an OSError

        raise ArticleBotError(f"cannot reach Discord ({type(err).__name__}: {' '.join(str(err).split())[:200]}); "
                              "check the network and try again") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError("discord.question_channels needs the Message Content intent: enable it in the "
                          "developer portal (Bot → Privileged Gateway Intents) or empty question_channels") \
            from None
    log.info("bot stopped")
    return 0
