"""What the index keeps about each article, and what an update did.

:class:`ArticleInfo` is the index's record of an article (``articles.json``, ``article-bot list``, the
Discord cards); :class:`Part` one article's share of an index being built; :class:`Changes` the
summary of an update.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.corpus.article import Article, FileStamp, Sentence
from bot.corpus.terms import article_names, doc_terms


@dataclass(frozen=True)
class ArticleInfo:
    """What the index keeps about an article (``articles.json``, ``article-bot list``)."""

    id: str
    title: str
    language: str
    sha256: str
    source: str | None = None
    url: str | None = None
    date: str | None = None
    sentences: int = 0
    author: str | None = None
    site_name: str | None = None
    added_at: str | None = None   # the sidecar's ``added_at`` (add, /article add, feeds); None: put there by hand
    file: str | None = None       # file name in ``articles/``
    server: str | None = None     # the server it belongs to (the sidecar's ``server``); None: shared by all
    feed: str | None = None       # the feed it came from, if any

    @classmethod
    def of(cls, art: Article) -> ArticleInfo:
        """What the index keeps of ``art``. ``added_at`` is only ever the sidecar's: an article dropped in
        ``articles/`` by hand has none, and no time is made up for it (the build's would be a lie)."""
        m = art.meta
        return cls(art.id, art.title, art.language, art.sha256, art.source, art.url, art.date, len(art.sentences),
                   m.get("author"), m.get("site_name"), m.get("added_at"), art.path.name, m.get("server"),
                   m.get("feed"))

    def to_json(self) -> dict[str, str | int | None]:
        """Every field by name: ``articles.json``, ``article-bot list --json``, ``info`` and feed reports."""
        return dataclasses.asdict(self)


def order_key(art_id: str) -> tuple[str, str]:
    """The one order articles are shown in: by id, alphabetically, ignoring case (ids are file names:
    the order a user sees them in ``articles/``). Used by ``article-bot list`` and ``info`` (and their
    ``--json``), ``run --check``, ``/article list``, the article autocomplete and the lists in messages;
    the index keeps them in the order they were added, which is no order a user expects."""
    return art_id.casefold(), art_id


def ordered(articles: Iterable[ArticleInfo]) -> list[ArticleInfo]:
    """``articles`` in the order they are shown (:func:`order_key`)."""
    return sorted(articles, key=lambda a: order_key(a.id))


@dataclass
class Part:
    """One article's share of the index: its info, rows and vectors per sentence view."""

    info: ArticleInfo
    rows: list[Sentence]
    vectors: dict[str, np.ndarray]
    key: str
    stamp: FileStamp | None
    words: list[str] = dataclasses.field(default_factory=list)   # its vocabulary, when freshly embedded
    word_vectors: np.ndarray | None = None
    fresh: bool = False  # embedded (or read from embeddings/) in this update, not taken from the old index
    terms: list[list[str]] | None = None  # BM25 stems of each row
    names: set[str] | None = None         # its names (capitalised mid-sentence)

    def tokens(self) -> None:
        """Stems and names of a fresh part, made once here and stored (start-up reads them)."""
        if self.terms is None:
            self.terms = [doc_terms(r, self.info.language) for r in self.rows]
        if self.names is None:
            self.names = article_names(self.rows).get(self.info.id, set())


@dataclass(frozen=True)
class Changes:
    """What an update did, for the log line and ``article-bot add``."""

    added: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    embedded: int = 0          # sentences encoded in this update
    from_store: int = 0        # sentences whose vectors came from embeddings/
    rebuilt_views: bool = False

    @property
    def any(self) -> bool:
        return bool(self.added or self.edited or self.removed)
