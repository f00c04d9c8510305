"""What following feeds reports: an article a feed added (``Added``), one feed's poll (``FeedResult``),
a whole poll (``PollReport``: its lines, summary and JSON) and a feed as the state file has it
(``FeedStatus``, ``article-bot feeds list``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot.config import FeedConfig


@dataclass(frozen=True)
class Added:
    """An article a feed added: what an announcement needs."""

    id: str
    title: str
    language: str
    sentences: int
    url: str                      # the item's link, as fetched
    server: str | None            # the server it belongs to (the feed's ``server``); None: shared
    announce_channel: int | str | None  # where the running bot announces it (the feed's ``announce_channel``)


@dataclass(frozen=True)
class FeedResult:
    """What one poll of one feed did."""

    feed: FeedConfig
    added: tuple[Added, ...] = ()
    updated: tuple[str, ...] = ()   # ids rewritten and embedded again because their item and page changed
    duplicates: int = 0             # new items already in the library (same URL or same text)
    failed: tuple[str, ...] = ()    # one line per item whose page could not be added: its URL and why
    error: str | None = None        # the feed itself could not be read or parsed: one line
    not_modified: bool = False      # the site answered 304: nothing new
    next_due: float | None = None   # when the feed is due again (epoch seconds)

    def lines(self) -> list[str]:
        """One line per added, updated and failed article, and one for a feed that failed."""
        out = [f"added {a.id}: {a.title} [{a.language}, {a.sentences} sentences] from {self.feed.url}"
               for a in self.added]
        out += [f"updated {i}: its page changed, re-read from {self.feed.url}" for i in self.updated]
        out += [f"failed {line}" for line in self.failed]
        if self.error:
            out.append(f"feed failed: {self.error}")
        return out


@dataclass(frozen=True)
class PollReport:
    """One poll: the new index (None when nothing was written), each polled feed's result, and when to
    poll next (the earliest time any configured feed is due; None without feeds)."""

    index: Any = None  # bot.index.SentenceIndex | None
    feeds: tuple[FeedResult, ...] = ()
    next_due: float | None = None

    @property
    def added(self) -> tuple[Added, ...]:
        return tuple(a for r in self.feeds for a in r.added)

    @property
    def ok(self) -> bool:
        """True when every polled feed was read (some of its items may still have failed)."""
        return all(r.error is None for r in self.feeds)

    def wait(self, now: float | None = None) -> float | None:
        """Seconds from ``now`` until the next feed is due (0 when one is due already)."""
        if self.next_due is None:
            return None
        return max(0.0, self.next_due - (time.time() if now is None else now))

    def summary(self) -> str:
        if not self.feeds:
            return "no feed was due"
        count = lambda n, what: f"{n} {what}" + ("" if n == 1 else "s")  # noqa: E731
        parts = [f"{sum(len(r.added) for r in self.feeds)} added",
                 f"{sum(len(r.updated) for r in self.feeds)} updated",
                 count(sum(r.duplicates for r in self.feeds), "duplicate"),
                 count(sum(len(r.failed) for r in self.feeds), "item") + " failed",
                 count(sum(r.error is not None for r in self.feeds), "feed") + " failed",
                 f"{sum(r.not_modified for r in self.feeds)} not modified"]
        return f"polled {count(len(self.feeds), 'feed')}: " + ", ".join(parts)

    def lines(self) -> list[str]:
        """Every feed's lines, then the summary line."""
        return [line for r in self.feeds for line in r.lines()] + [self.summary()]

    def to_json(self) -> dict:
        return {"feeds": [{"url": r.feed.url, "server": r.feed.server,
                           "added": [a.to_json() for a in r.added], "updated": list(r.updated),
                           "duplicates": r.duplicates, "failed": list(r.failed), "error": r.error,
                           "not_modified": r.not_modified, "next_due": r.next_due} for r in self.feeds],
                "changed": self.index is not None, "next_due": self.next_due, "ok": self.ok}


@dataclass(frozen=True)
class FeedStatus:
    """What the state says about one configured feed (``article-bot feeds list``)."""

    feed: FeedConfig
    last_poll: float | None
    failures: int
    items: int          # item keys remembered (the feed's current entries)
    articles: int       # of which added as articles
    next_due: float
    error: str | None   # why the last poll failed, if it did

