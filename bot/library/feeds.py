"""Follow RSS and Atom feeds: every new item's page becomes an article, added and indexed like ``article-bot add``.

One poll reads each feed once (the running bot: only the feeds that are due; ``article-bot feeds poll``:
all of them), fetches the page of every item it has not seen, and writes and indexes everything it
found in ONE ``library.commit``: one poll is one index update, whatever the number of feeds and items.

**What is new.** An item is known by its guid (Atom ``id``, RSS ``guid``), else its link; the keys
seen are remembered per feed. A new key's page goes through ``library.prepare`` like any added
article, so the library's own checks decide what is a duplicate: the same source URL or the same text
(SHA-256 of the extracted text) as an article already there, or as another item of the same poll. A
duplicate is counted and remembered, not reported as a failure: the same story is often in two feeds.
The article id is made from the page's title, as ``article-bot add`` makes it (``-2``, ``-3``... when
another article has it).

**Changed items.** Each key also keeps a fingerprint of its entry (updated date, title, summary,
content). When it changes, the page is read again and, if its text changed, the article is rewritten in
place (same id, same server, same ``added_at``): only it is embedded again. An article a moderator
removed meanwhile stays removed: a feed never brings back what a person took out.

**Failures.** A page that cannot be read (404, timeout, not an article) is one line in the report and
blocks nothing else; it is tried again at the next polls (from the state, even when the feed itself is
unchanged), ``MAX_ATTEMPTS`` times in all, then remembered as given up. A changed item whose page cannot
be read keeps its article as it was, and is tried again the same way. A feed that cannot be read or
parsed is one line too and changes nothing.

**Politeness.** Feeds are fetched with the ETag and Last-Modified of the last copy (``bot/corpus/fetch.py``), so
an unchanged feed costs the site a bodiless 304. The bot polls a feed every ``interval`` seconds (its
own, else ``feed_polling.interval``; never under ``MIN_FEED_INTERVAL``); after ``n`` failed polls in a
row it waits ``interval × 2^n``, at most ``feed_polling.max_backoff``, or the site's Retry-After if
that is longer. Every URL goes through fetch's rules: private addresses are refused unless
``fetch.allow_private_hosts``.

**State** lives in one JSON file, ``feed_polling.state`` (``feeds.json`` next to config.yaml by
default): per feed URL its validators, last poll, failures, Retry-After and the items of its current
entries (``{key: {id, fingerprint, status, attempts, link, title, pending}}``; ``pending``: the
fingerprint of a change whose page could not be read yet); keys that left the feed are
pruned (``check_new`` still catches a story that comes back). It is replaced atomically; a missing file
starts empty, a corrupt one too, with one warning: the worst case is pages fetched again and counted
as duplicates, and articles removed by a moderator added again if their items are still in the feed.
Records of removed articles are kept when their items leave the feed, so a story that comes back
stays removed.

**Concurrency.** Fetching and extracting run without the library lock, so an ``/article add`` need
not wait for slow sites. Then, under ``library.lock`` (which works across processes), the pages are
checked again (``check_new`` against what was added meanwhile), committed, and the state re-read and
written back with this poll's feeds replaced: ``article-bot feeds poll`` from cron while the bot runs
adds nothing twice (the later poll counts duplicates). Everything here is
synchronous: the bot runs ``poll`` in a worker thread.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import math
import time
import xml.sax
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import MIN_FEED_INTERVAL, Config, FeedConfig
from bot.corpus.article import article_files, article_id, read_sidecar
from bot.corpus.fetch import RetryLater, fetch_sync
from bot.corpus.urls import shown
from bot.errors import ArticleBotError, FetchError, InputError, one_line
from bot.files import write_atomic
from bot.index.maintenance import lock
from bot.library.ids import Duplicate, Held, base_id, check_duplicate, unique_id, without_suffix
from bot.library.store import Incoming, Prepared, check_new, commit, ids_on_disk, owner, prepare

log = logging.getLogger(__name__)

#: Tries to read an item's page (the first one included) before it is given up.
MAX_ATTEMPTS = 3
STATE_VERSION = 1

# Statuses of a remembered item.
ADDED, DUPLICATE, FAILED, GIVEN_UP, REMOVED = "added", "duplicate", "failed", "given_up", "removed"
STATUSES = frozenset({ADDED, DUPLICATE, FAILED, GIVEN_UP, REMOVED})


# ----- the report ---------------------------------------------------------------------------------

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


# ----- state ----------------------------------------------------------------------------------------

def _empty_feed() -> dict:
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
        st = _empty_feed()
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
        st = state.get(feed.url, _empty_feed())
        items = st["items"].values()
        out.append(FeedStatus(feed, st["last_poll"], st["failures"], len(items),
                              sum(i["status"] == ADDED for i in items), due_at(st, feed, config, now), st["error"]))
    return tuple(out)


# ----- one poll -------------------------------------------------------------------------------------

@dataclass
class _Job:
    """A page read in the first phase, to be written in the second."""

    key: str
    item: Prepared
    record: dict          # the item's record in the new state, completed once the commit is done
    replaces: bool = False


@dataclass
class _Work:
    """One feed's poll between the two phases: its new state, the pages to write and the lines so far."""

    feed: FeedConfig
    state: dict
    existing: frozenset[str]  # the article ids in the library when the poll began
    taken: set[str]           # those and the ids given to this poll's new pages so far (shared by the feeds)
    jobs: list[_Job] = field(default_factory=list)
    added: list[Added] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)
    error: str | None = None
    not_modified: bool = False


def poll(config: Config, encoders=None, now: float | None = None, due_only: bool = False, force: bool = True,
         on_index=None) -> PollReport:
    """Poll the configured feeds once and add what is new; see the module docstring.

    ``now``: epoch seconds (default: the clock). ``due_only``: only the feeds whose next poll time has come
    (the running bot's loop). Otherwise every feed now, except, unless ``force``, a feed polled less than
    ``MIN_FEED_INTERVAL`` ago or still waiting out its backoff or Retry-After (``article-bot feeds poll``
    from cron stays polite; ``--force`` polls anyway). ``encoders``: the bot's loaded ones; by default the
    configured ones are loaded, and only if something is to be indexed. ``on_index``: called with the new
    index while the library lock is still held (the engine swaps it in there, so swaps keep the order of
    the changes). Never raises for a feed or a page that fails (those are lines in the report); a lock
    held too long by another change raises ArticleError.
    """
    now = time.time() if now is None else now
    if not config.feeds:
        return PollReport(None, (), None)
    state = load_state(config)

    def ready(feed: FeedConfig) -> bool:
        st = state.get(feed.url, _empty_feed())
        if due_only:
            return due_at(st, feed, config, now) <= now
        last = st.get("last_poll")
        if force or last is None or last > now:
            return True
        if now - last < MIN_FEED_INTERVAL:
            return False
        return not (st.get("failures") or st.get("retry_after")) or due_at(st, feed, config, now) <= now

    due = [f for f in config.feeds if ready(f)]
    existing = frozenset(ids_on_disk(config))
    taken = set(existing)
    works = [_read_feed(config, feed, state.get(feed.url, _empty_feed()), existing, taken, now) for feed in due]
    for w in works:
        w.state["next_due"] = due_at(w.state, w.feed, config, now)
    with lock(config):
        fresh = load_state(config, warn=False)  # what another poller wrote meanwhile is kept
        index = _write(config, works, encoders)
        if index is not None and on_index is not None:
            on_index(index)
        for w in works:
            fresh[w.feed.url] = w.state
        try:
            save_state(config, fresh)
        except OSError as err:
            log.warning("feeds: cannot write %s (%s); the next poll fetches these items again and counts the "
                        "ones added as duplicates", config.feed_polling.state, err.strerror or err)
    results = tuple(FeedResult(w.feed, tuple(w.added), tuple(w.updated), w.duplicates, tuple(w.failed), w.error,
                               w.not_modified, due_at(w.state, w.feed, config, now)) for w in works)
    next_due = min(due_at(fresh.get(f.url, _empty_feed()), f, config, now) for f in config.feeds)
    for r in results:
        for line in r.lines():
            log.debug("feeds: %s", line)
    return PollReport(index, results, next_due)


def _read_feed(config: Config, feed: FeedConfig, old: dict, existing: frozenset[str], taken: set[str],
               now: float) -> _Work:
    """Phase one for one feed, without the lock: fetch and parse it, read the pages of its new and changed
    items. Nothing is written; the feed's new state is in the result."""
    st = json.loads(json.dumps(old))  # a deep copy: the old state stays as read if this poll fails
    work = _Work(feed, st, existing, taken)
    st["last_poll"] = now
    try:
        fetched = fetch_sync(feed.url, config.fetch, kind="feed", etag=old["etag"], last_modified=old["last_modified"])
        entries = None if fetched.not_modified else _entries(fetched, config.feed_polling.max_items)
    except RetryLater as err:
        return _feed_failed(work, str(err), err.retry_after)
    except FetchError as err:
        return _feed_failed(work, str(err))
    except Exception as err:  # noqa: BLE001 - one odd feed must not stop the others, nor its backoff
        log.exception("feeds: unexpected error reading %s", feed.url)
        return _feed_failed(work, f"{shown(feed.url)}: unexpected error ({type(err).__name__}: {one_line(err)})")
    st.update(failures=0, retry_after=None, error=None, etag=fetched.etag, last_modified=fetched.last_modified)
    if entries is None:  # 304: the items are as they were; only what failed last time is tried again
        work.not_modified = True
        for key, record in st["items"].items():
            if record["status"] == FAILED:
                _add(config, work, key, record, record["link"], record["title"])
            elif record["status"] == ADDED and record.get("pending"):
                if record["id"] not in work.existing:
                    record.update(status=REMOVED, pending=None)
                else:
                    _update(config, work, key, record, record["link"], record["pending"])
    else:
        items = {}
        for key, link, title, fingerprint in entries:
            record = st["items"].get(key)
            items[key] = _item(config, work, key, record, link, title, fingerprint)
        # keys no longer in the feed are forgotten, except those that became articles: an article a
        # moderator removes, now or later, must not come back if its item reappears
        for k, r in st["items"].items():
            if k in items or r["status"] not in (ADDED, REMOVED):
                continue
            gone = r["status"] == REMOVED or r["id"] not in existing
            items[k] = {**r, "status": REMOVED if gone else ADDED, "pending": None}
        st["items"] = items
    return work


def _feed_failed(work: _Work, message: str, retry_after: float | None = None) -> _Work:
    st = work.state
    st.update(failures=st["failures"] + 1, retry_after=retry_after, error=message)
    work.error = message
    return work


def _entries(fetched, max_items: int) -> list[tuple[str, str | None, str | None, str]]:
    """The newest ``max_items`` entries as (key, link, title, fingerprint), oldest first.

    Raises FetchError when the body is no feed: not XML, XML with no RSS/Atom root, or broken XML with
    no entry that could still be read.
    """
    import feedparser  # 70 ms: only when a feed is read

    # text/xml without a charset means US-ASCII to feedparser (RFC 3023); application/xml means "as the XML
    # declaration says", which is what such feeds mean.
    media = "application/xml" if fetched.content_type == "text/xml" and not fetched.charset else fetched.content_type
    headers = {"content-location": fetched.url,
               "content-type": f"{media}; charset={fetched.charset}" if fetched.charset else media}
    # A stream, never bytes or str: feedparser opens a string that looks like a path or a URL itself.
    parsed = feedparser.parse(io.BytesIO(fetched.body), response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception")
        why = ""
        if isinstance(problem, xml.sax.SAXParseException):
            why = f"broken XML at line {problem.getLineNumber()}, column {problem.getColumnNumber()}: " \
                  f"{one_line(Exception(problem.getMessage()))}"
        raise FetchError(f"{shown(fetched.url)}: not a readable RSS or Atom feed ("
                         + (why or "no <rss>, <feed> or <rdf:RDF> element") + ")")
    entries = list(parsed.entries)
    dates = [_get(e, "updated_parsed") or _get(e, "published_parsed") for e in entries]
    if entries and all(dates):  # newest first by date; otherwise the feed's own order (newest first by custom)
        entries = [e for _, e in sorted(zip(dates, entries, strict=True), key=lambda pair: pair[0], reverse=True)]
    out, keys = [], set()
    for e in entries[:max_items]:
        link = (_get(e, "link") or "").strip() or None
        key = (_get(e, "id") or "").strip() or link
        if key is None or key in keys:
            log.debug("feeds: an item of %s has no guid nor link, or the same as another; skipped", fetched.url)
            continue
        keys.add(key)
        title = " ".join((_get(e, "title") or "").split()) or None
        out.append((key, link, title, _fingerprint(e)))
    return out[::-1]


def _get(entry, key: str):
    """``entry[key]`` as parsed, without feedparser's deprecated fallbacks (``updated`` → ``published``)."""
    return dict.get(entry, key)


def _fingerprint(entry) -> str:
    """What says an entry changed: its updated date, title, summary and content."""
    parts = [_get(entry, "updated") or _get(entry, "published") or "", _get(entry, "title") or "",
             _get(entry, "summary") or "", *[c.get("value") or "" for c in _get(entry, "content") or []]]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def _item(config: Config, work: _Work, key: str, record: dict | None, link: str | None, title: str | None,
          fingerprint: str) -> dict:
    """One entry of a parsed feed: add it, update it, or leave it; returns its record in the new state."""
    if record is None or record["status"] == FAILED:
        record = record or {"id": None, "fingerprint": fingerprint, "status": FAILED, "attempts": 0, "pending": None}
        record.update(link=link, title=title, fingerprint=fingerprint)
        _add(config, work, key, record, link, title)
    elif record["status"] == ADDED:
        record.update(link=link or record["link"], title=title)
        if record["id"] not in work.existing:  # a moderator removed it: never brought back
            record.update(status=REMOVED, fingerprint=fingerprint, pending=None)
        elif fingerprint != record["fingerprint"]:
            _update(config, work, key, record, link or record["link"], fingerprint)
    return record


def _add(config: Config, work: _Work, key: str, record: dict, link: str | None, title: str | None) -> None:
    """Read a new (or failed before) item's page; a duplicate is remembered, a failure counted."""
    feed = work.feed
    if not link:
        record.update(status=GIVEN_UP, attempts=MAX_ATTEMPTS)
        work.failed.append(f"{key}: the item has no link to an article page (given up)")
        return
    try:
        item = prepare(config, link, server=feed.server, extra={"feed": feed.url, "guid": key}, taken=work.taken,
                       url_only=True)
    except Duplicate:
        record.update(status=DUPLICATE)
        work.duplicates += 1
        return
    except Exception as err:  # noqa: BLE001 - one odd page must not stop the feed for good
        _failed(work, record, link, err)
        return
    work.taken.add(item.id)
    work.jobs.append(_Job(key, item, record))


def _update(config: Config, work: _Work, key: str, record: dict, link: str | None, fingerprint: str) -> None:
    """Read a changed item's page again; when its text changed, rewrite its article in place."""
    art_id = record["id"]
    try:
        paths = [p for p in article_files(config.articles_dir) if article_id(p) == art_id]
        old_meta = read_sidecar(paths[0]) if paths else {}
        if old_meta.get("guid") != key:  # removed, or its id now names another article
            record.update(status=REMOVED, fingerprint=fingerprint, pending=None)
            return
        old_text = paths[0].read_text(encoding="utf-8-sig") if paths[0].suffix in (".txt", ".md") else None
        if not link:
            raise InputError("the item no longer has a link")
        item = prepare(config, link, art_id, server=owner(config, art_id), extra={"feed": work.feed.url, "guid": key},
                       url_only=True,
                       now=old_meta.get("added_at"), replace=True)
    except Exception as err:  # noqa: BLE001 - as in _add
        _failed(work, record, link or key, err, fingerprint)
        return
    if old_text is not None and item.text.strip() == old_text.strip():
        record.update(fingerprint=fingerprint, attempts=0, pending=None)  # a new date or summary, the same text
        return
    work.jobs.append(_Job(key, item, {**record, "fingerprint": fingerprint}, replaces=True))


def _failed(work: _Work, record: dict, link: str, err: BaseException, fingerprint: str | None = None) -> None:
    """Count a failed try at an item's page. A new item is given up after MAX_ATTEMPTS tries; a changed
    one keeps its article as it is (``fingerprint``: the entry's new one, accepted then)."""
    if not isinstance(err, ArticleBotError):
        log.exception("feeds: unexpected error reading %s", link)
    message = one_line(err) if isinstance(err, ArticleBotError) else f"unexpected error ({type(err).__name__}: " \
                                                                     f"{one_line(err)})"
    where = shown(link)
    if not message.startswith(where):
        message = f"{where}: {message}"
    attempts = record["attempts"] + 1
    if attempts < MAX_ATTEMPTS:
        record.update(attempts=attempts)
        if fingerprint is not None:  # tried again at the next poll even if the feed answers 304
            record.update(pending=fingerprint)
        work.failed.append(f"{message} (try {attempts} of {MAX_ATTEMPTS}; tried again at the next poll)")
    elif fingerprint is None:
        record.update(attempts=attempts, status=GIVEN_UP)
        work.failed.append(f"{message} (given up after {MAX_ATTEMPTS} tries)")
    else:
        record.update(attempts=0, fingerprint=fingerprint, pending=None)
        work.failed.append(f"{message} (the article stays as it was: gave up re-reading it after "
                           f"{MAX_ATTEMPTS} tries)")


def _write(config: Config, works: list[_Work], encoders):
    """Phase two, under the lock: check the pages read against the library as it is now, write and index
    them in one commit, and complete the records. Returns the new index, or None if nothing was written."""
    folder = config.articles_dir
    taken = ids_on_disk(config)
    batch: list[tuple[_Work, _Job]] = []
    for w in works:
        for job in w.jobs:
            item = job.item
            if job.replaces:
                if item.id not in taken:  # removed by a moderator while its page was read
                    job.record.update(status=REMOVED)
                    w.state["items"][job.key] = job.record
                    continue
            else:
                try:
                    _check_batch(item, [j.item for _, j in batch if not j.replaces])
                    if item.id in taken or any(item.id == j.item.id for _, j in batch):
                        others = taken | {j.item.id for _, j in batch}
                        item = dataclasses.replace(item, id=unique_id(base_id(item.meta.get("title", ""),
                                                                              without_suffix(item.id)), others))
                    check_new(folder, item.id, Incoming(item.text, item.meta, item.origin, item.id), w.feed.server)
                except Duplicate:
                    job.record.update(status=DUPLICATE)
                    w.duplicates += 1
                    continue
                except ArticleBotError as err:  # cannot happen with a fresh id; never the whole poll for it
                    _failed(w, job.record, item.origin, err)
                    continue
                job.item = item
            batch.append((w, job))
    if not batch:
        return None
    try:
        index = commit(config, [j.item for _, j in batch], encoders,
                       replacing=frozenset(j.item.id for _, j in batch if j.replaces))
    except ArticleBotError as err:  # the whole batch is tried again at the next poll
        for w, job in batch:
            if job.replaces:
                old = w.state["items"][job.key]
                _failed(w, old, job.item.origin, err, job.record["fingerprint"])
            else:
                _failed(w, job.record, job.item.origin, err)
        return None
    for w, job in batch:
        job.record.update(id=job.item.id, status=ADDED, attempts=0, pending=None)
        w.state["items"][job.key] = job.record
        if job.replaces:
            w.updated.append(job.item.id)
        else:
            w.added.append(Added(job.item.id, job.item.title, job.item.language, job.item.sentences, job.item.origin,
                                 w.feed.server, w.feed.announce_channel))
    return index


def _check_batch(item: Prepared, others: list[Prepared]) -> None:
    """The duplicate check (``ids.check_duplicate``) against the pages of the same poll, not written yet."""
    check_duplicate(item.meta.get("url"), item.text, item.origin, item.meta.get("server"),
                    (Held(f"also item {o.id!r} of this poll", o.meta.get("url"), o.meta.get("server"),
                          lambda o=o: o.text) for o in others))
