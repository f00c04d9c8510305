"""What an index update must do: which articles stay as they are, which must be (re-)embedded, which go.

An article's vectors depend on its :func:`embedding_key`: its bytes, title and language, the encoders
and the views. An article whose key is unchanged keeps its rows and vectors.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.corpus.article import Article, FileStamp
from bot.index.encoders import Encoder
from bot.index.records import ArticleInfo, Part

if TYPE_CHECKING:  # annotations only: the index is built from plans, never the other way
    from bot.index.sentence_index import SentenceIndex

#: Bump when ingest or index contents change meaning, so saved indexes are rebuilt.
PIPELINE_VERSION = 7
#: Sentence views: one vector per row.
SENTENCE_VIEWS = ("dense.sent", "dense.ctx", "topic.sent")


def wanted_views(encoders: dict[str, Encoder], bare_sentences: bool = False) -> tuple[str, ...]:
    """The views to compute: ``dense.ctx`` always, ``dense.sent`` only when the ranking or the summary
    uses it, ``topic.*`` with a topic encoder. A view nobody reads is not embedded (it was a third
    of the build time)."""
    views = ["dense.ctx"] + (["dense.sent"] if bare_sentences else [])
    if "topic" in encoders:
        views += ["topic.sent", "topic.vocab"]
    return tuple(views)


def embedding_key(art: Article, encoders: dict[str, Encoder], views: tuple[str, ...]) -> str:
    """What an article's vectors depend on: its bytes, title and language, the encoders and views."""
    what = [PIPELINE_VERSION, art.sha256, art.title, art.language,
            sorted((role, enc.id, enc.dim) for role, enc in encoders.items()), sorted(views)]
    return hashlib.sha256(json.dumps(what, ensure_ascii=False).encode()).hexdigest()[:32]


@dataclass
class Plan:
    """The articles of an update, sorted by what happens to them."""

    kept: list[Part] = field(default_factory=list)                       # old parts that stay, in order
    pending: list[tuple[Article, str]] = field(default_factory=list)     # to embed (or read from the store)
    added: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def plan(old: SentenceIndex | None, found: dict[str, FileStamp | Article], encoders: dict[str, Encoder],
         views: tuple[str, ...]) -> Plan:
    """Sort ``found`` (a :class:`FileStamp` means "unchanged since ``old``") against ``old``."""
    p = Plan()
    old_infos = {a.id: a for a in old.articles} if old is not None else {}
    old_keys = dict(old.manifest.get("embeddings") or {}) if old is not None else {}
    for art_id, info in old_infos.items():
        item = found.get(art_id)
        if item is None:
            continue
        stamp = item if isinstance(item, FileStamp) else item.stamp
        if isinstance(item, Article):
            key = embedding_key(item, encoders, views)
            if key != old_keys.get(art_id):
                p.edited.append(art_id)
                p.pending.append((item, key))
                continue
            info = ArticleInfo.of(item)
        first, end = old.spans[art_id]  # type: ignore[union-attr]
        p.kept.append(Part(info, old.rows[first:end], {}, old_keys[art_id], stamp,  # type: ignore[union-attr]
                           terms=old.terms[first:end] or None, names=old.names.get(art_id)))  # type: ignore[union-attr]
    p.added = [a for a in found if a not in old_infos]
    for art_id in p.added:
        item = found[art_id]
        if not isinstance(item, Article):
            raise ValueError(f"{art_id}: a new article must be parsed")
        p.pending.append((item, embedding_key(item, encoders, views)))
    p.removed = [a for a in old_infos if a not in found]
    return p
