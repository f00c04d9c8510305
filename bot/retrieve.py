"""Hybrid retrieval: contextual dense (e5) + lexical (translated BM25), then abstention.

For a question the retriever scores every answer candidate of the chosen article(s):

- ``dense``: e5 cosine of the question with the sentence embedded under its article's title
  (``dense.ctx``, see bot/index.py), plus ``sentence_weight`` times the cosine with the bare
  sentence;
- ``lexical``: BM25 over stems with the question words and their translations into the article's
  vocabulary (see bot/lexical.py), scaled to [0, 1) by ``_saturate`` and added with
  ``lexical_weight`` (in cosine units: it decides between close dense scores, never more).

Sentences that are questions or not prose are never candidates. Ties are broken by row id, so the
same question always gets the same answer.

Abstention does not depend on the ranking: three signals of whether the article covers the
question at all are mapped to a confidence in [0, 1] by a logistic model (``AbstainModel``):
how close the question is to its nearest sentence in the multilingual USE space, the best
contextual e5 cosine, and how well the least-grounded content word of the question is found in the
article's vocabulary (exactly, or through its nearest multilingual neighbour). Below
``abstain_threshold`` the engine says the article does not cover the question.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .config import RetrievalConfig
from .encoders import Encoder
from .index import SentenceIndex
from .ingest import Sentence
from .lexical import LexicalScorer, question_words


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


def _saturate(bm25: np.ndarray, damping: float = 3.0) -> np.ndarray:
    """BM25 scores → [0, 1): relative to the best candidate, damped when even the best is weak.

    Min-max would turn a single shared common word into a full-strength signal; dividing by
    ``max + damping`` keeps weak lexical evidence weak (measured: +1 to +3 points top-1 over
    min-max on both dev sets).
    """
    top = float(bm25.max()) if len(bm25) else 0.0
    return bm25 / (top + damping) if top > 0 else np.zeros_like(bm25)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(frozen=True)
class AbstainModel:
    """Logistic model over standardised coverage signals: P(the article answers the question).

    Fitted once (L2-regularised logistic regression, L2 = 1, on standardised features) on the
    pooled dev sets of three articles, two French and one English (140 on- and 40 off-topic
    questions in four languages, ``eval/``), and kept fixed; refit when the encoders change. A
    missing signal (no topic encoder) contributes nothing. Each feature is (mean, std, weight).

    Fitted on two articles only, the model abstained on 28% of the on-topic questions of the third
    (its questions paraphrase more, so they ground less): the operating point did not transfer.
    Pooled over three and read at threshold 0.45, leave-one-article-out false abstention is at most
    0.06 on the article left out.
    """

    bias: float
    weights: dict  # feature → (mean, std, weight)

    def predict(self, features: dict) -> float:
        z = self.bias
        for name, (mean, std, weight) in self.weights.items():
            value = features.get(name)
            if value is not None:
                z += weight * (value - mean) / std
        return _sigmoid(z)


ABSTAIN_MODEL = AbstainModel(
    bias=1.745,
    weights={"topic_max": (0.279, 0.120, 0.10), "dense_max": (0.828, 0.033, 0.72),
             "grounding_min": (0.621, 0.144, 1.135)},
)


class Retriever:
    """Scores, fuses and abstains over one SentenceIndex.

    Small corpora (exact search) score every answerable sentence in scope. Above the index's ANN
    threshold, the candidates are the 2 x ``candidates`` HNSW neighbours of the question in
    ``dense.ctx`` plus the ``candidates`` best BM25 rows, and only those are scored; vectors are
    read from the index, never copied whole into memory.
    """

    def __init__(self, index: SentenceIndex, dense: Encoder, topic: Encoder | None, cfg: RetrievalConfig) -> None:
        self.index, self.dense, self.topic, self.cfg = index, dense, topic, cfg
        self.rows = index.rows
        langs = {a.id: a.language for a in index.articles}
        self.lexical = LexicalScorer(self.rows, langs)
        self._answerable = np.array([r.answerable for r in self.rows], dtype=bool)
        self._article_of = np.array([r.article for r in self.rows])
        # One FAISS thread: its OpenMP pool otherwise spins against the encoders' threads on small
        # searches (measured on 2 cores: p50 21 ms with 2 threads, 15 ms with 1).
        import faiss

        faiss.omp_set_num_threads(1)
        self.has_topic = topic is not None and "topic.sent" in index.views
        self.has_vocab = self.has_topic and bool(index.vocab)
        if not index.approximate:  # small: keep the matrices for one matmul per question
            for view in ("dense.sent", "dense.ctx", "topic.sent", "topic.vocab"):
                if view in index.views:
                    index.matrix(view)

    # ----- signals --------------------------------------------------------------------------
    def _translations(self, qwords: list[str], word_vecs: np.ndarray | None) -> dict[str, list[tuple[str, float]]]:
        """Nearest article words of each question word (3 each), searched in ``topic.vocab``."""
        if not self.has_vocab or word_vecs is None or not len(qwords):
            return {}
        ids, sims = self.index.search("topic.vocab", word_vecs, 3)
        ids, sims = np.atleast_2d(ids), np.atleast_2d(sims)
        return {w: [(self.index.vocab[j], float(sim)) for j, sim in zip(ids[i], sims[i], strict=True) if j >= 0]
                for i, w in enumerate(qwords)}

    def signals(self, question: str, cand: np.ndarray | None = None, article: str | None = None) -> dict:
        """Per-candidate signals for ``question``; ``cand`` None: chosen here (see class docstring)."""
        q = self.dense.encode_queries([question])[0]
        qwords = question_words(question)
        topic_vecs = self.topic.encode_queries([question, *qwords]) if self.has_topic else None
        nearest = self._translations(qwords, topic_vecs[1:] if topic_vecs is not None else None)
        translations = None
        if self.cfg.translate_terms:
            translations = {w: [(t, sim) for t, sim in pairs if sim >= self.cfg.translate_min_sim]
                            for w, pairs in nearest.items()}
        terms = self.lexical.terms(question, translations)
        lexical = self.lexical.scores(terms)
        if cand is None:
            cand = self._pick(q, lexical, article)
        out: dict = {"cand": cand, "terms": terms, "lexical": lexical[cand],
                     "ctx": self.index.vectors("dense.ctx", cand) @ q,
                     "sent": self.index.vectors("dense.sent", cand) @ q if self.cfg.sentence_weight else None}
        if topic_vecs is not None:
            out["topic"] = self.index.vectors("topic.sent", cand) @ topic_vecs[0]
            out["topic_max"] = self._topic_max(topic_vecs[0], out["topic"], article)
        out["grounding"] = [1.0 if self.lexical.has_word(w) else max((sim for _, sim in nearest.get(w, [])),
                                                                      default=0.0)
                            for w in qwords]
        return out

    def _pick(self, q: np.ndarray, lexical: np.ndarray, article: str | None) -> np.ndarray:
        scope = self.candidates(article)
        if not self.index.approximate or article is not None:
            return scope
        k = self.cfg.candidates
        ids, _ = self.index.search("dense.ctx", q, 2 * k)
        best_lexical = np.argpartition(-lexical, k)[:k] if len(lexical) > k else np.arange(len(lexical))
        pool = np.union1d(ids[ids >= 0], best_lexical)
        pool = pool[self._answerable[pool]]
        return pool if len(pool) else scope

    def _topic_max(self, topic_q: np.ndarray, cand_scores: np.ndarray, article: str | None) -> float:
        """The best USE cosine of the question with any answerable sentence in scope.

        ``cand_scores`` are the candidates' cosines, already computed; with HNSW and no article
        filter the graph's nearest answerable rows are looked at too.
        """
        best = float(cand_scores.max()) if len(cand_scores) else -1.0
        if self.index.approximate and article is None:
            ids, sims = self.index.search("topic.sent", topic_q, 50)
            keep = self._answerable[ids]
            if keep.any():
                best = max(best, float(sims[keep].max()))
        return best

    # ----- answering ------------------------------------------------------------------------
    def candidates(self, article: str | None) -> np.ndarray:
        """Every answerable row, or those of ``article``."""
        mask = self._answerable.copy()
        if article is not None:
            mask &= self._article_of == article
        return np.flatnonzero(mask)

    def score(self, question: str, cand: np.ndarray | None = None, article: str | None = None
              ) -> tuple[np.ndarray, dict]:
        """Fused relevance of each candidate row (``sig["cand"]``) for ``question``, and the signals."""
        sig = self.signals(question, cand, article)
        fused = sig["ctx"].copy()
        if sig["sent"] is not None:
            fused += self.cfg.sentence_weight * sig["sent"]
        fused += self.cfg.lexical_weight * _saturate(sig["lexical"])
        return fused, sig

    def ask(self, question: str, k: int = 3, article: str | None = None) -> Answer:
        """Rank the candidates for ``question``; abstain when confidence is below the threshold."""
        fused, sig = self.score(question, article=article)
        cand = sig["cand"]
        order = np.lexsort((cand, -fused))  # best first, ties by row id: deterministic
        ranked = [(int(cand[i]), float(fused[i])) for i in order[: max(k, 1)]]
        confidence, details = self.confidence(sig)
        passages = tuple(self.passage(rid, score) for rid, score in ranked)
        art = next((a for a in self.index.articles if a.id == self.rows[ranked[0][0]].article), None)
        return Answer(
            question=question, abstained=confidence < self.cfg.abstain_threshold,
            confidence=round(confidence, 3), passage=passages[0], others=passages[1:],
            article_title=art.title if art else None, article_source=art.source if art else None,
            signals=details,
        )

    def confidence(self, sig: dict) -> tuple[float, dict]:
        """Whether the article covers the question, in [0, 1], with the signals behind it."""
        features = {
            "topic_max": sig.get("topic_max"),
            "dense_max": float(sig["ctx"].max()),
            "grounding_min": min(sig["grounding"], default=1.0),
        }
        return ABSTAIN_MODEL.predict(features), {k: None if v is None else round(v, 4)
                                                 for k, v in features.items()}

    def passage(self, rid: int, score: float, context: int = 1) -> Passage:
        row = self.rows[rid]

        def same_par(j: int) -> bool:
            r = self.rows[j]
            return r.article == row.article and r.paragraph == row.paragraph and r.kind != "noise"

        before = tuple(self.rows[j] for j in range(rid - 1, max(rid - 1 - context, -1), -1) if same_par(j))[::-1]
        after = tuple(self.rows[j] for j in range(rid + 1, min(rid + 1 + context, len(self.rows))) if same_par(j))
        return Passage(row, before, after, round(score, 4))
