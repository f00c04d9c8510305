"""One poll of the configured feeds (see the package's docstring): phase one reads each due feed and the
pages of its new and changed items without the lock (``_read_feed``), phase two checks them against the
library as it is now and writes and indexes them in one commit under the lock (``_write``)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.config import MIN_FEED_INTERVAL, Config, FeedConfig
from bot.corpus.article import article_files, article_id, read_sidecar
from bot.corpus.fetch import RetryLater, fetch_sync
from bot.corpus.urls import shown
from bot.errors import ArticleBotError, FetchError, InputError, one_line
from bot.index.maintenance import lock
from bot.library.feeds.entries import feed_entries
from bot.library.feeds.report import Added, FeedResult, PollReport
from bot.library.feeds.state import (
    ADDED,
    DUPLICATE,
    FAILED,
    GIVEN_UP,
    REMOVED,
    due_at,
    empty_feed,
    load_state,
    save_state,
)
from bot.library.ids import Duplicate, Held, check_duplicate
from bot.library.store import Encoders, Incoming, Prepared, check_new, commit, ids_on_disk, owner, prepare

if TYPE_CHECKING:  # annotations only
    from bot.index.sentence_index import SentenceIndex

log = logging.getLogger(__name__)

#: Tries to read an item's page (the first one included) before it is given up.
MAX_ATTEMPTS = 3


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


def poll(config: Config, encoders: Encoders | None = None, now: float | None = None,
         due_only: bool = False, force: bool = True,
         on_index: Callable[[SentenceIndex], None] | None = None) -> PollReport:
    """Poll the configured feeds once and add what is new; see the package's docstring (``bot/library/feeds``).

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
        st = state.get(feed.url, empty_feed())
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
    works = [_read_feed(config, feed, state.get(feed.url, empty_feed()), existing, taken, now) for feed in due]
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
    next_due = min(due_at(fresh.get(f.url, empty_feed()), f, config, now) for f in config.feeds)
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
        entries = None if fetched.not_modified else feed_entries(fetched, config.feed_polling.max_items)
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


def _write(config: Config, works: list[_Work], encoders: Encoders | None) -> SentenceIndex | None:
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
                        item = item.renamed(others)
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
