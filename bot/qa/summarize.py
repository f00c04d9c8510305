"""Extractive summaries on the index's own embeddings: no language model.

Each prose sentence of the article gets a relevance: its cosine with the article centroid
(centrality, min-max scaled) plus a position prior that favours the lead, as news is written
lead-first. With a ``focus`` ("patents"), the focus is scored like a question (contextual
dense + translated lexical, so an English focus finds French sentences) and dominates instead.
Sentences are then picked by maximal marginal relevance (MMR):
``lambda * relevance - (1 - lambda) * max cosine with the already picked ones``, which keeps
two sentences saying the same thing out of one summary. The picks are returned in article order.
Question sentences and noise lines are never picked. Deterministic: ties go to the earlier
sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bot.config import SummaryConfig

if TYPE_CHECKING:  # annotations only
    from bot.corpus.article import Sentence
    from bot.retrieval.rank import Retriever

LENGTHS = {"short": 2, "medium": 4, "long": 7}


def _scale(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi - lo > 1e-9 else np.ones_like(x)


def mmr(relevance: np.ndarray, similarity: np.ndarray, n: int, lam: float) -> list[int]:
    """Indices picked by maximal marginal relevance, in pick order."""
    picked: list[int] = []
    while len(picked) < min(n, len(relevance)):
        redundancy = similarity[:, picked].max(axis=1) if picked else np.zeros(len(relevance))
        score = lam * relevance - (1 - lam) * redundancy
        score[picked] = -np.inf
        picked.append(int(np.argmax(score)))  # argmax takes the first maximum: earlier sentence
    return picked


def summarize(retriever: Retriever, article: str, length: str = "medium", focus: str | None = None,
              cfg: SummaryConfig | None = None) -> list[Sentence]:
    """The summary's sentences (``Sentence`` rows) in article order."""
    cfg = cfg or SummaryConfig()
    if length not in LENGTHS:
        from bot.errors import InputError

        raise InputError(f"length must be one of {', '.join(LENGTHS)}, got {length!r}")
    ids = retriever.candidates(article)
    if not len(ids):
        return []
    # The bare-sentence view when the index has it; else the in-context one (the title it adds is
    # shared by every sentence of the article, so centrality and redundancy compare the same way).
    view = "dense.sent" if "dense.sent" in retriever.index.views else "dense.ctx"
    vectors = retriever.index.vectors(view, ids)
    centroid = vectors.mean(axis=0)
    centrality = _scale(vectors @ (centroid / max(float(np.linalg.norm(centroid)), 1e-12)))
    order = np.arange(len(ids), dtype=np.float32)
    position = 1.0 - order / max(len(ids) - 1, 1)
    relevance = centrality + cfg.position_prior * position
    if focus:
        on_focus = _scale(retriever.score(focus, ids)[0])  # same scoring as a question, on these rows
        relevance = on_focus + 0.1 * relevance
    relevance = _scale(relevance)
    picked = mmr(relevance, vectors @ vectors.T, LENGTHS[length], cfg.mmr_lambda)
    return [retriever.rows[int(ids[i])] for i in sorted(picked)]
