"""Index maintenance: the configured encoders, and ``articles/`` → an up-to-date index under one lock.

Called by the engine at start and reload, and by the library (``bot/library/``) after every change to
``articles/``; it knows neither of them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from bot.config import Config
from bot.corpus.article import FileStamp
from bot.corpus.parse import read_folder
from bot.errors import ArticleError, IndexFormatError
from bot.index.ann import AnnSettings
from bot.index.encoders import Encoder, load_encoder
from bot.index.plan import wanted_views
from bot.index.sentence_index import SentenceIndex
from bot.index.store import EMBEDDINGS

log = logging.getLogger(__name__)

#: Per lock path, when its file cannot be created: a lock for this process's threads only.
_LOCAL: dict[Path, threading.RLock] = {}


#: How long a change waits for another one (an add, a poll, a reload) to finish before giving up.
LOCK_WAIT_S = 600


@contextmanager
def lock(config: Config) -> Iterator[None]:
    """The library's lock: held while ``articles/`` or ``index/`` are written, by this process (the bot's
    adds, polls and reloads, from any thread) and by others (``article-bot add`` while the bot runs).

    An OS file lock (released by the OS if the process dies) on a file next to the index folder, which
    is replaced whole on every save. Re-entrant in one thread: ``add`` holds it around ``commit``.
    """
    path = config.index_dir.with_name(config.index_dir.name + ".lock")
    held: FileLock | threading.RLock = FileLock(path, timeout=LOCK_WAIT_S, is_singleton=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        held.acquire()
    except Timeout:
        raise ArticleError(f"another change to the articles (an add, a feed poll, a reload) is still running "
                           f"after {LOCK_WAIT_S} s; try again later") from None
    except OSError:  # nowhere to write the lock (nor, then, the index: it is served from memory)
        held = _LOCAL.setdefault(path, threading.RLock())
        held.acquire()
    try:
        yield
    finally:
        held.release()



def load_encoders(config: Config) -> dict[str, Encoder]:
    """The configured encoders by role (``dense``, and ``topic`` unless disabled), loaded once."""
    r = config.retrieval
    encoders = {"dense": load_encoder(r.dense, config.threads)}
    if r.topic is not None:
        encoders["topic"] = load_encoder(r.topic, 1)
    return encoders


def ensure_index(config: Config, encoders: dict[str, Encoder], force: bool = False) -> SentenceIndex:
    """The index of ``articles/``, brought up to date with as little work as possible.

    Freshness is read from file stamps (size, mtime, sidecar) against the manifest: an unchanged
    corpus is loaded without reading a single article. Changed files are parsed; only articles whose
    content changed are encoded (``bot/index/sentence_index.py``). A file that cannot be used is skipped with one
    warning naming it and why; the others are served. ``force`` re-encodes everything.
    """
    r = config.retrieval
    ann = AnnSettings(threshold=r.ann_threshold, hnsw_m=r.hnsw_m, ef_search=r.ef_search)
    views = wanted_views(encoders, bare_sentences=r.sentence_weight > 0)
    expect = {
        "encoders": {role: {"id": enc.id, "dim": enc.dim} for role, enc in encoders.items()},
        "views": views,
        "search": {"threshold": ann.threshold, "hnsw_m": ann.hnsw_m, "ef_search": ann.ef_search},
    }
    with lock(config):
        return _ensure_index(config, encoders, force, ann, views, expect)


def _ensure_index(config: Config, encoders: dict[str, Encoder], force: bool, ann: AnnSettings,
                  views: tuple[str, ...], expect: dict) -> SentenceIndex:
    old = None
    SentenceIndex.recover(config.index_dir)
    if not force:
        try:
            old = SentenceIndex.load(config.index_dir, expect)
        except IndexFormatError as err:
            log.info("rebuilding the index: %s", str(err).split(": run")[0])
    found, skipped = read_folder(config.articles_dir, old.stamps() if old else None, old.skipped if old else ())
    for s in skipped:
        log.warning("skipping an article: %s (the other articles are served)", s.reason)
    if not found:
        why = "; ".join(s.reason for s in skipped)
        fix = f" that can be used ({why})" if why else "; add a UTF-8 .txt file (one article per file)"
        raise ArticleError(f"{config.articles_dir}: no article found{fix}")
    unchanged = all(isinstance(v, FileStamp) for v in found.values()) and set(found) == set(old.spans if old else ())
    if old is not None and unchanged and [s.stamp for s in skipped] == [s.stamp for s in old.skipped]:
        return old
    saved = None if force else config.index_dir / EMBEDDINGS
    index = SentenceIndex.update(old, found, encoders, ann, views, skipped, saved)
    c = index.changes
    if old is not None and c.any:
        log.info("index updated: %s", "; ".join(f"{k} {', '.join(v)}" for k, v in
                                                   (("added", c.added), ("edited", c.edited), ("removed", c.removed))
                                                   if v))
    try:
        index.save(config.index_dir)
    except OSError as err:
        log.warning("cannot write the index to %s (%s); serving from memory", config.index_dir, err.strerror)
    return index
