"""The running bot follows the configured feeds: it polls them in the background and announces new articles.

Nothing here blocks the event loop or the answers: each poll (fetching feeds and pages, extracting,
embedding) runs in the library worker (``ArticleBot.run_library``), and the engine swaps the new
index in one step when it is ready, so questions asked meanwhile are answered from the previous one.

When to poll is decided by ``bot/library/feeds/state.py`` (each feed's interval, at least ``MIN_FEED_INTERVAL``,
longer after errors, never sooner than a server's Retry-After): the loop polls what is due, then
sleeps until the next feed is due. The first poll runs as soon as the bot is ready.

A feed configured with ``announce_channel`` gets one embed per new article in that channel (title,
language, sentences, source, and how to ask about it). A channel that is gone or closed to the bot
costs one warning in the log, never the poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.discord.app import ArticleBot
from bot.discord.articles import article_embed
from bot.discord.conversations import Turn
from bot.discord.i18n import label, lang_of

if TYPE_CHECKING:  # annotations only
    from bot.library.feeds import PollReport

log = logging.getLogger(__name__)

#: Shortest sleep between two passes of the loop (a feed due "now" after a failed pass is not hammered).
MIN_SLEEP_S = 5.0


class Polling(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot
        self.task: asyncio.Task | None = None
        self.polled = asyncio.Event()  # set after every pass: for an operator's check, and tests

    async def cog_load(self) -> None:
        if self.bot.config.feeds and not self.bot.sync_only:
            self.task = asyncio.create_task(self._loop(), name="feed-polling")

    async def cog_unload(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _loop(self) -> None:
        await self.bot.wait_until_ready()
        interval = self.bot.config.feed_polling.interval
        while not self.bot.is_closed():
            now = discord.utils.utcnow().timestamp()
            delay = interval
            try:
                report = await self.bot.run_library(self.bot.engine.poll_feeds, now, True)
            except Exception:  # noqa: BLE001 - a bug in one pass must not stop the polling for good
                log.exception("feed poll failed; trying again in %.0f s", interval)
            else:
                for line in report.lines():
                    log.info("feeds: %s", line)
                await self._announce(report)
                if report.next_due is not None:
                    delay = report.next_due - now
            self.polled.set()
            await asyncio.sleep(max(delay, MIN_SLEEP_S))

    async def _announce(self, report: PollReport) -> None:
        """One embed per new article in its feed's announce channel."""
        index = self.bot.engine.index
        for result in report.feeds:
            channel_id = result.feed.announce_channel
            if channel_id is None:
                continue
            added = [index.article(a.id) for a in result.added if index.article(a.id) is not None]
            if not added:
                continue
            try:
                channel = await self._channel(channel_id, result.feed.server)
                if channel is None:
                    log.warning("feed %s: no channel %r in server %s to announce in; check announce_channel",
                                result.feed.url, channel_id, result.feed.server)
                    continue
                guild = getattr(channel, "guild", None)
                lang = lang_of(guild.preferred_locale if guild else None)
                for info in added:
                    embed = article_embed(info, lang, "🆕")
                    embed.description = label(lang, "new_article_text", id=info.id)
                    embed.set_author(name=label(lang, "new_article"))
                    sent = await channel.send(embed=embed)
                    # a thread under the announcement, or a reply to it, is about this article
                    self.bot.conversations.sent(sent.id, Turn(info.id))
            except discord.HTTPException as err:
                log.warning("cannot announce new articles in channel %s (%s %s); they are added all the same",
                            channel_id, err.status, err.text)


    async def _channel(self, channel: int | str, server: str | None):
        """The announce channel: by id, or by name in the feed's server. A channel outside the feed's
        server is refused: a server's own articles are never announced elsewhere."""
        if isinstance(channel, int):
            found = self.bot.get_channel(channel) or await self.bot.fetch_channel(channel)
            guild = getattr(found, "guild", None)
            if server is not None and (guild is None or str(guild.id) != server):
                return None
            return found
        guild = self.bot.get_guild(int(server)) if server else None
        return discord.utils.get(guild.text_channels, name=channel) if guild else None


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Polling(bot))
