"""The only module that imports FAISS: exact and approximate inner-product indexes, read and written.

Vectors are L2-normalised float32, so inner product == cosine. A view switches from exact (flat) to
approximate (HNSW) search above :attr:`AnnSettings.threshold` rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np


@dataclass(frozen=True)
class AnnSettings:
    """When and how sentence views switch from exact (flat) to approximate (HNSW) search."""

    threshold: int = 20_000
    hnsw_m: int = 64
    ef_construction: int = 80
    ef_search: int = 256


def version() -> str:
    return faiss.__version__


def one_thread() -> None:
    """One FAISS thread: its OpenMP pool otherwise spins against the encoders' threads on small
    searches (measured on 2 cores: p50 21 ms with 2 threads, 15 ms with 1)."""
    faiss.omp_set_num_threads(1)


def flat(vectors: np.ndarray) -> faiss.Index:
    """An exact inner-product index of ``vectors``."""
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def searchable(vectors: np.ndarray, approximate: bool, ann: AnnSettings) -> faiss.Index:
    """A flat inner-product index, or an HNSW graph over inner product above the threshold."""
    if not approximate:
        return flat(vectors)
    index = faiss.IndexHNSWFlat(vectors.shape[1], ann.hnsw_m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = ann.ef_construction
    index.hnsw.efSearch = ann.ef_search
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def append(index: faiss.Index, vectors: np.ndarray) -> None:
    """Add ``vectors`` to ``index`` (also to an HNSW graph: no rebuild)."""
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))


def write(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def read(path: Path, ef_search: int) -> faiss.Index:
    """A saved index; an HNSW graph gets the search breadth of the manifest."""
    index = faiss.read_index(str(path))
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = ef_search
    return index


def all_vectors(index: faiss.Index) -> np.ndarray:
    """Every stored vector, as one (n, d) array."""
    return index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, index.d), np.float32)


def some_vectors(index: faiss.Index, ids: np.ndarray) -> np.ndarray:
    """The stored vectors of ``ids`` (exact copies, also from an HNSW graph)."""
    ids = np.asarray(ids, dtype=np.int64)
    if not len(ids):
        return np.zeros((0, index.d), np.float32)
    return index.reconstruct_batch(ids)


def top(index: faiss.Index, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top ``k`` (ids, cosines) for one query vector, or (n, k) arrays for an (n, d) array."""
    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    queries = np.ascontiguousarray(query.reshape(-1, index.d), dtype=np.float32)
    scores, ids = index.search(queries, k)
    if query.ndim == 2:
        return ids, scores
    keep = ids[0] >= 0
    return ids[0][keep], scores[0][keep]
