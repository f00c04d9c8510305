"""The feeds' state file (``feed_polling.state``, ``feeds.json`` by default) and when a feed is due.

Per feed URL: its validators (ETag, Last-Modified), last poll, failures in a row, Retry-After, next
due time, last error and the records of its current items (``{key: {id, fingerprint, status,
attempts, link, title, pending}}``). ``load_state`` checks every field (a corrupt file is one warning
and an empty state), ``save_state`` replaces it atomically; ``due_at`` is the back-off rule and
``status`` each configured feed as the file has it.
"""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path
from typing import Any

from bot.config import MIN_FEED_INTERVAL, Config, FeedConfig
from bot.errors import one_line
from bot.files import write_atomic
from bot.library.feeds.report import FeedStatus

log = logging.getLogger(__name__)

STATE_VERSION = 1

# Statuses of a remembered item.
ADDED, DUPLICATE, FAILED, GIVEN_UP, REMOVED = "added", "duplicate", "failed", "given_up", "removed"
STATUSES = frozenset({ADDED, DUPLICATE, FAILED, GIVEN_UP, REMOVED})


def empty_feed() -> dict:
    """The state of a feed never polled: no validators, no failures, no items."""
    return {"etag": None, "last_modified": None, "last_poll": None, "failures": 0, "retry_after": None,
            "next_due": None, "error": None, "items": {}}


def _checked_state(data: Any) -> dict[str, dict]:
    """The per-feed state in ``data``, or ValueError naming what is wrong with it."""
    if not isinstance(data, dict) or not isinstance(data.get("feeds"), dict):
        raise ValueError("expected an object with 'feeds'")
    out: dict[str, dict] = {}
    for url, raw in data["feeds"].items():
        if not isinstance(raw, dict) or not isinstance(raw.get("items", {}), dict):
            raise ValueError(f"feed {url!r} is not an object with 'items'")
        st = empty_feed()
        for key in ("etag", "last_modified", "error"):
            if raw.get(key) is not None and not isinstance(raw[key], str):
                raise ValueError(f"feed {url!r}: {key} is not text")
            st[key] = raw.get(key)
        for key in ("last_poll", "retry_after", "next_due"):
            value = raw.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                      or not math.isfinite(value)):
                raise ValueError(f"feed {url!r}: {key} is not a number")
            st[key] = value
        failures = raw.get("failures", 0)
        if isinstance(failures, bool) or not isinstance(failures, int) or failures < 0:
            raise ValueError(f"feed {url!r}: failures is not a count")
        st["failures"] = failures
        for key, item in raw.get("items", {}).items():
            ok = (isinstance(item, dict) and item.get("status") in STATUSES
                  and isinstance(item.get("attempts", 0), int) and isinstance(item.get("fingerprint", ""), str)
                  and all(item.get(k) is None or isinstance(item[k], str)
                          for k in ("id", "link", "title", "pending")))
            if not ok:
                raise ValueError(f"feed {url!r}: item {key!r} is not a valid record")
            st["items"][key] = {"id": item.get("id"), "fingerprint": item.get("fingerprint", ""),
                                "status": item["status"], "attempts": item.get("attempts", 0),
                                "link": item.get("link"), "title": item.get("title"), "pending": item.get("pending")}
        out[url] = st
    return out


def load_state(config: Config, warn: bool = True) -> dict[str, dict]:
    """The feeds' state by feed URL; empty when the file is missing, and when it is corrupt (with a warning:
    everything is then fetched again, and the library's duplicate checks keep the articles single)."""
    path = Path(config.feed_polling.state)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        problem = getattr(err, "strerror", None) or one_line(err)
    else:
        try:
            return _checked_state(json.loads(text))
        except ValueError as err:  # JSONDecodeError included
            problem = one_line(err)
    if warn:
        log.warning("feeds: the state file %s cannot be used (%s); starting afresh: items are fetched again "
                    "and the ones already in the library counted as duplicates", path, problem)
    return {}


def save_state(config: Config, feeds: dict[str, dict]) -> None:
    """Write the state atomically (``bot.files.write_atomic``): a crash leaves the old file or the new."""
    path = Path(config.feed_polling.state)
    data = json.dumps({"version": STATE_VERSION, "feeds": feeds}, ensure_ascii=False, indent=1, sort_keys=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data + "\n")


def interval_of(feed: FeedConfig, config: Config) -> float:
    return max(feed.interval or config.feed_polling.interval, MIN_FEED_INTERVAL)


def due_at(st: dict, feed: FeedConfig, config: Config, now: float) -> float:
    """When ``feed`` is due: its last poll plus its interval, doubled per failure in a row (at most
    ``max_backoff``), or the site's Retry-After if longer. Never polled, or polled "in the future" (a clock
    set back, a state file from another machine): now."""
    last = st.get("last_poll")
    if last is None or last > now:
        return now
    interval = interval_of(feed, config)
    failures = min(st.get("failures", 0), 40)
    delay = interval if not failures else min(interval * 2 ** failures, max(config.feed_polling.max_backoff, interval))
    if st.get("retry_after"):
        # a site's Retry-After is honoured up to max_backoff: a typo of a year would stop the feed for good
        delay = max(delay, min(st["retry_after"], config.feed_polling.max_backoff))
    return last + delay


def status(config: Config, now: float | None = None) -> tuple[FeedStatus, ...]:
    """Each configured feed as the state file has it (read without the lock: the file is replaced whole)."""
    now = time.time() if now is None else now
    state = load_state(config)
    out = []
    for feed in config.feeds:
        st = state.get(feed.url, empty_feed())
        items = st["items"].values()
        out.append(FeedStatus(feed, st["last_poll"], st["failures"], len(items),
                              sum(i["status"] == ADDED for i in items), due_at(st, feed, config, now), st["error"]))
    return tuple(out)

