"""The sentence index: rows aligned by position with FAISS vectors per view, and a manifest.

Incremental: an update embeds only the articles whose content changed (or that are new); every
other article's vectors are taken from the previous index or from ``embeddings/``. Each article's
rows are contiguous; a new article is appended at the end, so an update that only adds articles
adds vectors to the existing FAISS indexes (also to an HNSW graph) instead of rebuilding them.
Removing or editing an article rebuilds the views from stored vectors, without encoding.

The jobs are in their own modules: what to embed (``plan.py``), embedding (``embed.py``), FAISS
(``ann.py``), the folder's format (``store.py``); :meth:`SentenceIndex.update` strings them together.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from bot.clock import now_iso
from bot.corpus.article import Article, FileStamp, Sentence
from bot.corpus.parse import Skipped
from bot.errors import IndexFormatError
from bot.index import ann, store
from bot.index.ann import AnnSettings
from bot.index.embed import embed, row_vocabulary, word_vectors
from bot.index.encoders import Encoder
from bot.index.plan import SENTENCE_VIEWS, Plan, plan, wanted_views
from bot.index.records import ArticleInfo, Changes, Part

log = logging.getLogger(__name__)


class SentenceIndex:
    """Rows, vectors by view (``dense.ctx``, ``dense.sent``, ``topic.sent``, ``topic.vocab``), manifest."""

    def __init__(self, articles: list[ArticleInfo], rows: list[Sentence], views: dict, vocab: list[str],
                 manifest: dict, folder: Path | None = None, fresh: list[Part] | None = None,
                 changes: Changes | None = None, terms: list[list[str]] | None = None,
                 names: dict[str, set[str]] | None = None) -> None:
        self.articles = articles
        self.rows = rows
        self.terms = terms if terms is not None else []   # BM25 stems per row (aligned with rows)
        self.names = names if names is not None else {}   # article id -> its names
        self.views = views
        self.vocab = vocab
        self.manifest = manifest
        self.folder = folder            # where it was loaded from (its embeddings/ are reused by saves)
        self.changes = changes or Changes()
        self._fresh = fresh or []       # parts embedded by this update, written to embeddings/ by save
        self._matrices: dict[str, np.ndarray] = {}
        self._spans: dict[str, tuple[int, int]] | None = None
        self._by_id = {a.id: a for a in articles}

    # ----- what it holds ----------------------------------------------------------------------
    def article(self, art_id: str) -> ArticleInfo | None:
        """The indexed article ``art_id``, or None."""
        return self._by_id.get(art_id)

    @property
    def spans(self) -> dict[str, tuple[int, int]]:
        """Article id → (first, end) row positions: each article's rows are contiguous."""
        if self._spans is None:
            spans: dict[str, tuple[int, int]] = {}
            for i, row in enumerate(self.rows):
                first = spans.get(row.article, (i, i))[0]
                spans[row.article] = (first, i + 1)
            self._spans = spans
        return self._spans

    def position(self, sentence_id: str) -> int:
        """The row position of a stable sentence id (``KeyError`` when it is not indexed)."""
        article = sentence_id.rsplit("#", 1)[0]
        first, end = self.spans[article]
        for i in range(first, end):
            if self.rows[i].id == sentence_id:
                return i
        raise KeyError(sentence_id)

    def stamps(self) -> dict[str, FileStamp]:
        return {a: FileStamp.from_json(s) for a, s in (self.manifest.get("stamps") or {}).items()}

    @property
    def skipped(self) -> list[Skipped]:
        return [Skipped(FileStamp.from_json(s["stamp"]), s["reason"], bool(s.get("depends")))
                for s in self.manifest.get("skipped") or []]

    # ----- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, articles: list[Article], encoders: dict[str, Encoder], settings: AnnSettings | None = None,
              views: tuple[str, ...] | None = None) -> SentenceIndex:
        """Encode every sentence of ``articles`` (in name order) into a new index."""
        return cls.update(None, {a.id: a for a in articles}, encoders, settings, views)

    @classmethod
    def update(cls, old: SentenceIndex | None, found: dict[str, FileStamp | Article], encoders: dict[str, Encoder],
               settings: AnnSettings | None = None, views: tuple[str, ...] | None = None,
               skipped: list[Skipped] | tuple = (), saved: Path | None = None) -> SentenceIndex:
        """The index of the articles ``found`` (a :class:`FileStamp` means "unchanged since ``old``").

        Only articles whose embedding key is neither in ``old`` nor in ``saved`` (an ``embeddings/``
        folder) are encoded. When
        articles were only added, their vectors are added to ``old``'s FAISS views (which ``old``
        gives up); otherwise the views are rebuilt from the vectors, without encoding.
        """
        settings = settings or AnnSettings()
        views = views or wanted_views(encoders, bare_sentences=True)
        start, now = time.perf_counter(), now_iso()
        todo = plan(old, found, encoders, views)
        fresh, encoded, from_store = _embed_pending(todo, encoders, views, saved)
        parts = todo.kept + fresh
        if not parts:
            raise IndexFormatError("no article to index")
        for p in parts:
            p.tokens()
        rows = [s for p in parts for s in p.rows]
        approximate = len(rows) > settings.threshold
        append_only = (old is not None and not todo.removed and not todo.edited
                       and all(v in old.views for v in views) and old.approximate == approximate)
        built = _sentence_views(old, todo.kept, fresh, views, append_only, approximate, settings)
        vocab = _vocabulary(old, parts, fresh, encoders, views, append_only, built)
        changes = Changes(tuple(todo.added), tuple(todo.edited), tuple(todo.removed), encoded, from_store,
                          not append_only)
        manifest = store.build_manifest(parts, encoders, views, approximate, settings, skipped, vocab, now,
                                  time.perf_counter() - start)
        kept = len(rows) - sum(len(p.rows) for p in fresh)
        log.info("indexed %d sentences of %d article(s) in %.2f s (%d encoded, %d from the store, %d kept)",
                 len(rows), len(parts), manifest["build_seconds"], changes.embedded, from_store, kept)
        return cls([p.info for p in parts], rows, built, vocab, manifest,
                   folder=old.folder if old is not None else None, fresh=fresh, changes=changes,
                   terms=[t for p in parts for t in p.terms or []],
                   names={p.info.id: set(p.names or ()) for p in parts})

    # ----- saving and loading ---------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write to a temporary sibling folder, then move it into place atomically (``store.save``)."""
        folder = Path(folder)
        stored = store.Stored(self.articles, self.rows, self.views, self.vocab, self.manifest, self.terms,
                              self.names)
        self.manifest = store.save(stored, folder, self._fresh,
                                   [self.folder / store.EMBEDDINGS] if self.folder else [])
        self.folder = folder
        self._fresh = []

    @staticmethod
    def recover(folder: Path) -> None:
        """Undo what a crash in the middle of a save left (``store.recover``)."""
        store.recover(folder)

    @classmethod
    def load(cls, folder: Path, expect: dict | None = None) -> SentenceIndex:
        """Load ``folder``; raise IndexFormatError saying why when it is missing, stale or corrupt
        (``store.read``, which says what ``expect`` may hold)."""
        folder = Path(folder)
        s = store.read(folder, expect)
        index = cls(s.articles, s.rows, s.views, s.vocab, s.manifest, folder=folder, terms=s.terms, names=s.names)
        spans = index.spans
        if set(spans) != {a.id for a in s.articles} or sum(e - f for f, e in spans.values()) != len(s.rows):
            raise IndexFormatError(f"index in {folder} has rows out of article order: run `article-bot index --force`")
        return index

    # ----- searching ------------------------------------------------------------------------
    @property
    def approximate(self) -> bool:
        return bool(self.manifest.get("search", {}).get("approximate"))

    def vectors(self, view: str, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of ``ids`` in ``view`` (exact copies, also from an HNSW graph)."""
        if view in self._matrices:
            return self._matrices[view][ids]
        return ann.some_vectors(self.views[view], ids)

    def matrix(self, view: str) -> np.ndarray:
        """All vectors of ``view`` as one (n, dim) array, reconstructed once and cached (small views)."""
        if view not in self._matrices:
            self._matrices[view] = ann.all_vectors(self.views[view])
        return self._matrices[view]

    def search(self, view: str, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (ids, cosines) of ``view`` for one query vector, or (n, k) arrays for an (n, d) array."""
        return ann.top(self.views[view], query, k)



def _embed_pending(todo: Plan, encoders: dict[str, Encoder], views: tuple[str, ...], saved: Path | None
                   ) -> tuple[list[Part], int, int]:
    """The pending articles as fresh parts, in the plan's order: their vectors read from ``saved``
    (``embeddings/``) when there, else encoded. Returns (parts, sentences encoded, sentences read)."""
    fresh: list[Part] = []
    to_encode: list[tuple[Article, str]] = []
    from_store = 0
    for art, key in todo.pending:
        part = store.read_stored(saved, key, views, len(art.sentences))
        if part is None:
            to_encode.append((art, key))
            continue
        part.info, part.rows, part.stamp = ArticleInfo.of(art), list(art.sentences), art.stamp
        fresh.append(part)
        from_store += len(art.sentences)
    encoded = embed(to_encode, encoders, views) if to_encode else {}
    fresh += [Part(ArticleInfo.of(art), list(art.sentences), encoded[art.id], key, art.stamp, fresh=True)
              for art, key in to_encode]
    order = {art.id: i for i, (art, _) in enumerate(todo.pending)}
    fresh.sort(key=lambda p: order[p.info.id])
    return fresh, sum(len(a.sentences) for a, _ in to_encode), from_store


def _sentence_views(old: SentenceIndex | None, kept: list[Part], fresh: list[Part], views: tuple[str, ...],
                    append_only: bool, approximate: bool, settings: AnnSettings) -> dict:
    """The FAISS index of each sentence view: ``old``'s with the fresh vectors appended, or rebuilt."""
    built: dict = {}
    for view in (v for v in views if v in SENTENCE_VIEWS):
        new = np.vstack([p.vectors[view] for p in fresh]) if fresh else None
        if append_only:
            index = old.views[view]  # type: ignore[union-attr]
            if new is not None:
                ann.append(index, new)
        else:
            chunks = [old.vectors(view, np.arange(*old.spans[p.info.id])) for p in kept]  # type: ignore[union-attr]
            index = ann.searchable(np.vstack(chunks + ([new] if new is not None else [])).astype(np.float32),
                                   approximate, settings)
        built[view] = index
    return built


def _vocabulary(old: SentenceIndex | None, parts: list[Part], fresh: list[Part], encoders: dict[str, Encoder],
                views: tuple[str, ...], append_only: bool, built: dict) -> list[str]:
    """The article words of ``topic.vocab`` (added to ``built``), with their vectors; [] without it."""
    if "topic.vocab" not in views:
        return []
    languages = {p.info.id: p.info.language for p in parts}
    if append_only:
        vocab = sorted(set(old.vocab).union(*(row_vocabulary(p.rows, languages) for p in fresh)))  # type: ignore[union-attr]
    else:
        vocab = row_vocabulary([s for p in parts for s in p.rows], languages)
    known: dict[str, np.ndarray] = {}
    if old is not None and old.vocab and "topic.vocab" in old.views:
        known = dict(zip(old.vocab, ann.all_vectors(old.views["topic.vocab"]), strict=True))
    built["topic.vocab"] = ann.flat(word_vectors(vocab, known, fresh, encoders["topic"], languages))
    return vocab
