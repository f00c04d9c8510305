"""Hybrid retrieval: dense (e5, sentence + window) + topic (USE) + lexical (translated BM25).

For a question the retriever scores every answer candidate of the chosen article(s):

- ``dense``: e5 cosine of the question with the sentence, mixed with its cosine with the sentence
  and its paragraph neighbours (``window_weight``), so a sentence that needs its context still wins;
- ``topic``: USE-multilingual cosine with the sentence;
- ``lexical``: BM25 over stems with the question words and their translations into the article's
  vocabulary (see bot/lexical.py).

Each signal is min-max normalised over the candidates and summed with its weight (min-max fusion
measured better than reciprocal-rank fusion on so few candidates). Sentences that are questions or
not prose are never candidates.

Abstention uses signals that do not depend on the other candidates: how close the question is to
its nearest sentence in the USE space, and how much of the question the best sentence covers
lexically; both are mapped to a confidence in [0, 1]; below ``abstain_threshold`` the engine says
the article does not cover the question.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .config import RetrievalConfig
from .encoders import Encoder
from .index import SentenceIndex
from .ingest import Sentence
from .lexical import LexicalScorer, QueryTerm, question_words, translate_words


@dataclass(frozen=True)
class Passage:
    """A quoted sentence with the sentences around it and where it stands."""

    sentence: Sentence
    before: tuple[Sentence, ...]
    after: tuple[Sentence, ...]
    score: float

    @property
    def position(self) -> str:
        return f"§{self.sentence.paragraph} · sentence {self.sentence.number}"


@dataclass(frozen=True)
class Answer:
    """What the engine says about a question: a passage, or an abstention with the closest one."""

    question: str
    abstained: bool
    confidence: float
    passage: Passage | None
    others: tuple[Passage, ...] = ()
    article_title: str | None = None
    article_source: str | None = None
    signals: dict = field(default_factory=dict, compare=False)

    @property
    def ranked(self) -> list[Passage]:
        return ([self.passage] if self.passage else []) + list(self.others)


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi - lo > 1e-9 else np.zeros_like(x)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class Retriever:
    """Scores, fuses and abstains over one SentenceIndex."""

    def __init__(self, index: SentenceIndex, dense: Encoder, topic: Encoder | None, cfg: RetrievalConfig) -> None:
        self.index, self.dense, self.topic, self.cfg = index, dense, topic, cfg
        self.rows = index.rows
        langs = {a.id: a.language for a in index.articles}
        self.lexical = LexicalScorer(self.rows, langs)
        self._answerable = np.array([r.answerable for r in self.rows], dtype=bool)
        self._article_of = np.array([r.article for r in self.rows])
        self._sent = index.matrix("dense.sent")
        self._ctx = index.matrix("dense.ctx")
        self._topic = index.matrix("topic.sent") if topic is not None and "topic.sent" in index.views else None
        self._vocab = index.matrix("topic.vocab") if self._topic is not None and index.vocab else None

    # ----- signals --------------------------------------------------------------------------
    def _terms(self, question: str, topic_vecs: np.ndarray | None, qwords: list[str]) -> list[QueryTerm]:
        translations = None
        if self.cfg.translate_terms and self._vocab is not None and topic_vecs is not None and qwords:
            translations = translate_words(qwords, topic_vecs[1:], self.index.vocab, self._vocab,
                                           self.cfg.translate_min_sim)
        return self.lexical.terms(question, translations)

    def signals(self, question: str) -> dict[str, np.ndarray | list]:
        """Raw per-row signals for ``question`` (exposed for eval and debugging)."""
        q = self.dense.encode_queries([question])[0]
        sent, ctx = self._sent @ q, self._ctx @ q
        w = self.cfg.window_weight
        out: dict = {"dense": (1 - w) * sent + w * ctx, "dense_sent": sent}
        qwords = question_words(question)
        topic_vecs = None
        if self._topic is not None and self.topic is not None:
            topic_vecs = self.topic.encode_queries([question, *qwords])
            out["topic"] = self._topic @ topic_vecs[0]
        terms = self._terms(question, topic_vecs, qwords)
        out["terms"] = terms
        out["lexical"] = self.lexical.scores(terms)
        out["qwords"] = qwords
        return out

    # ----- answering ------------------------------------------------------------------------
    def candidates(self, article: str | None) -> np.ndarray:
        mask = self._answerable.copy()
        if article is not None:
            mask &= self._article_of == article
        return np.flatnonzero(mask)

    def ask(self, question: str, k: int = 3, article: str | None = None) -> Answer:
        """Rank the candidates for ``question``; abstain when confidence is below the threshold."""
        cand = self.candidates(article)
        sig = self.signals(question)
        fused = self.cfg.dense_weight * _minmax(sig["dense"][cand])
        if "topic" in sig:
            fused = fused + self.cfg.topic_weight * _minmax(sig["topic"][cand])
        fused = fused + self.cfg.lexical_weight * _minmax(sig["lexical"][cand])
        order = np.lexsort((cand, -fused))  # best first, ties by row id: deterministic
        ranked = [(int(cand[i]), float(fused[i])) for i in order[: max(k, 1)]]
        confidence, details = self._confidence(sig, cand, ranked[0][0])
        passages = tuple(self.passage(rid, score) for rid, score in ranked)
        art = next((a for a in self.index.articles if a.id == self.rows[ranked[0][0]].article), None)
        abstained = confidence < self.cfg.abstain_threshold
        return Answer(
            question=question, abstained=abstained, confidence=round(confidence, 3),
            passage=passages[0], others=passages[1:],
            article_title=art.title if art else None, article_source=art.source if art else None,
            signals=details,
        )

    def _confidence(self, sig: dict, cand: np.ndarray, best: int) -> tuple[float, dict]:
        """Map candidate-independent evidence to [0, 1]."""
        details: dict = {}
        if "topic" in sig:
            topic_max = float(sig["topic"][cand].max())
            details["topic_max"] = round(topic_max, 4)
            z = (topic_max - 0.145) / 0.03
        else:
            dense_max = float(sig["dense_sent"][cand].max())
            details["dense_max"] = round(dense_max, 4)
            z = (dense_max - 0.78) / 0.02
        # Lexical coverage: the share of the question's words the best sentence matches.
        terms: list[QueryTerm] = sig["terms"]
        qwords: list[str] = sig["qwords"]
        if qwords:
            best_terms = set(self.lexical._doc_terms(self.rows[best]))
            covered = {t.source for t in terms if t.stem in best_terms}
            coverage = len(covered) / len(qwords)
            details["coverage"] = round(coverage, 3)
            z += 2.0 * (coverage - 0.25)
        return _sigmoid(z), details

    def passage(self, rid: int, score: float, context: int = 1) -> Passage:
        row = self.rows[rid]

        def same_par(j: int) -> bool:
            r = self.rows[j]
            return r.article == row.article and r.paragraph == row.paragraph and r.kind != "noise"

        before = tuple(self.rows[j] for j in range(rid - 1, max(rid - 1 - context, -1), -1) if same_par(j))[::-1]
        after = tuple(self.rows[j] for j in range(rid + 1, min(rid + 1 + context, len(self.rows))) if same_par(j))
        return Passage(row, before, after, round(score, 4))
