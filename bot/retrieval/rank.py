"""Hybrid retrieval: contextual dense (e5) + lexical (translated BM25), read, ranked, with its evidence.

For a question the retriever scores every answer candidate of the chosen article(s):

- ``dense``: e5 cosine of the question with the sentence embedded under its article's title
  (``dense.ctx``, see bot/index/sentence_index.py), plus ``sentence_weight`` times the cosine with the bare
  sentence;
- ``lexical``: BM25 over stems with the question words and their translations into the article's
  vocabulary (see bot/retrieval/lexical.py), damped to [0, 1) (``bot.retrieval.evidence.damped``) and added with
  ``lexical_weight`` (in cosine units: it decides between close dense scores, never more).

Sentences that are questions or not prose are never candidates. Ties are broken by row id, so the
same question always gets the same answer.

When a reader is loaded (``bot/reader/``, ``retrieval.reader``), it reads the question with the
``reader.k`` best candidates (grouped by article, in article order) and those are put in the order
of its verdict: its score (best answer span minus "no answer") plus ``reader.fused_weight`` times
the fused score, which breaks the reader's near-ties in favour of the ranking. Its span becomes the
short answer. The rest of the candidates follow in the ranking's order.

The result is a :class:`~bot.retrieval.values.Ranking`: the passages, the evidence about the first
one (``bot/retrieval/evidence.py``), the reader's included, and the span that answers in the first
passage (the reader's, else the one of ``bot/retrieval/kinds.py``). The confidence stage
(``bot/confidence/tiers.py``) decides from that evidence how sure to be; the retriever never does.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.clock import moment
from bot.config import RetrievalConfig
from bot.index import ann
from bot.index.encoders import Encoder
from bot.index.sentence_index import SentenceIndex
from bot.reader import Passage as ReaderPassage
from bot.reader import Reader
from bot.retrieval.casual import expand
from bot.retrieval.evidence import damped, gather
from bot.retrieval.followup import mixed, with_previous
from bot.retrieval.kinds import answer_span, expected_kind
from bot.retrieval.lexical import LexicalScorer, question_words
from bot.retrieval.signals import ArticleWords, CandidateSignals, QuestionSignals
from bot.retrieval.values import Passage, Ranking

#: How many of an article's best sentences make its article-level evidence.
ARTICLE_BEST = 2
#: How many translation neighbours each question word gets from the topic vocabulary: enough for
#: one article's own words to be among them in a corpus of many.
NEIGHBOURS = 10
#: Of those, how many (above ``translate_min_sim``) become lexical query terms, as when they were measured.
TRANSLATIONS = 3


@dataclass(frozen=True)
class Verdict:
    """The reader's verdict on the candidates it read (indexes into the candidate arrays)."""

    order: np.ndarray                               # every candidate, the read ones first in the reader's order
    scores: dict[int, float]                        # reader score of each candidate read
    spans: dict[int, tuple[int, int] | None]        # its best span, character offsets in the sentence
    ranked_first: int                               # the ranking's own first candidate

    def evidence(self) -> dict[str, float | None]:
        first = int(self.order[0])
        read = [int(i) for i in self.order[: len(self.scores)]]
        margin = self.scores[first] - self.scores[read[1]] if len(read) > 1 else None
        return {"reader_top": self.scores[first], "reader_margin": margin,
                "reader_agree": float(first == self.ranked_first)}


class Retriever:
    """Scores, fuses and abstains over one SentenceIndex.

    Small corpora (exact search) score every answerable sentence in scope. Above the index's ANN
    threshold, the candidates are the 2 x ``candidates`` HNSW neighbours of the question in
    ``dense.ctx`` plus the ``candidates`` best BM25 rows, and only those are scored; vectors are
    read from the index, never copied whole into memory.
    """

    def __init__(self, index: SentenceIndex, dense: Encoder, topic: Encoder | None, cfg: RetrievalConfig,
                 reader: Reader | None = None, *, article_best: int = ARTICLE_BEST,
                 clock: Callable[[], float] = time.time) -> None:
        self.index, self.dense, self.topic, self.cfg = index, dense, topic, cfg
        self.article_best = article_best  # a tunable of eval/article_prior.py, not a config key
        self.reader = reader if cfg.reader is not None else None
        self.rows = index.rows
        langs = {a.id: a.language for a in index.articles}
        self.lexical = LexicalScorer(self.rows, langs, index.terms, index.spans)
        article_number = {a: i for i, a in enumerate(self.lexical.articles)}
        self._article_number = np.array([article_number.get(r.article, 0) for r in self.rows], dtype=np.int64)
        added = {a.id: moment(a.added_at) for a in index.articles}
        # When each row's article was added (epoch seconds; NaN: not known, no recency for it).
        self._added = np.array([added[r.article].timestamp() if added.get(r.article) else np.nan for r in self.rows])
        self.clock = clock
        self._vocab_id = {w: i for i, w in enumerate(index.vocab)}
        has_vocab = topic is not None and "topic.sent" in index.views and bool(index.vocab)
        self.article_words = ArticleWords(self.rows, langs, index.names, index.spans,
                                          self.vocab_vectors if has_vocab else None, frozenset(index.vocab))
        self._answerable = np.array([r.answerable for r in self.rows], dtype=bool)
        self._article_of = np.array([r.article for r in self.rows])
        ann.one_thread()  # FAISS's OpenMP pool spins against the encoders' threads on small searches
        self.has_topic = topic is not None and "topic.sent" in index.views
        self.has_vocab = self.has_topic and bool(index.vocab)
        if not index.approximate:  # small: keep the matrices for one matmul per question
            for view in ("dense.sent", "dense.ctx", "topic.sent", "topic.vocab"):
                if view in index.views:
                    index.matrix(view)

    # ----- signals --------------------------------------------------------------------------
    def _translations(self, qwords: list[str], word_vecs: np.ndarray | None) -> dict[str, list[tuple[str, float]]]:
        """Nearest article words of each question word, searched in ``topic.vocab``."""
        if not self.has_vocab or word_vecs is None or not len(qwords):
            return {}
        ids, sims = self.index.search("topic.vocab", word_vecs, min(NEIGHBOURS, len(self.index.vocab)))
        ids, sims = np.atleast_2d(ids), np.atleast_2d(sims)
        return {w: [(self.index.vocab[j], float(sim)) for j, sim in zip(ids[i], sims[i], strict=True) if j >= 0]
                for i, w in enumerate(qwords)}

    def question(self, question: str, previous: str | None = None) -> QuestionSignals:
        """Encode ``question`` once: dense and topic vectors, words, translations, BM25 of every row.

        ``previous``: the earlier question a follow-up is read with. Its vectors are added to the question's
        with ``followup.PREVIOUS_WEIGHT`` (then normalised), its words become query terms at that weight,
        and count among the question's words for the evidence: the follow-up still leads."""
        said = [question] if previous is None else [question, previous]
        dense = self.dense.encode_queries(said)
        qwords = question_words(question)
        pwords = [w for w in question_words(previous) if w not in qwords] if previous is not None else []
        topic_vecs = self.topic.encode_queries([*said, *qwords, *pwords]) if self.has_topic else None
        word_vecs = topic_vecs[len(said):] if topic_vecs is not None else None
        nearest = self._translations(qwords + pwords, word_vecs)
        translations = None
        if self.cfg.translate_terms:
            translations = {w: [(t, sim) for t, sim in pairs[:TRANSLATIONS] if sim >= self.cfg.translate_min_sim]
                            for w, pairs in nearest.items()}
        terms = self.lexical.terms(question, translations)
        if previous is not None:
            terms = with_previous(terms, self.lexical.terms(previous, translations))
        return QuestionSignals(question, mixed(dense), mixed(topic_vecs[: len(said)]) if topic_vecs is not None
                               else None, tuple(qwords + pwords), word_vecs, nearest, tuple(terms),
                               self.lexical.scores(terms))

    def vocab_vectors(self, ws: list[str]) -> np.ndarray:
        """Topic-encoder vectors of those of ``ws`` that are in the index's vocabulary."""
        ids = np.array([self._vocab_id[w] for w in ws if w in self._vocab_id], dtype=np.int64)
        return self.index.vectors("topic.vocab", ids) if len(ids) and self.has_vocab else np.zeros((0, 1))

    def candidate_signals(self, q: QuestionSignals, cand: np.ndarray) -> CandidateSignals:
        return CandidateSignals(
            rows=cand,
            dense=self.index.vectors("dense.ctx", cand) @ q.dense,
            sentence=self.index.vectors("dense.sent", cand) @ q.dense if self.cfg.sentence_weight else None,
            lexical=q.lexical[cand],
            topic=self.index.vectors("topic.sent", cand) @ q.topic if q.topic is not None else None,
        )

    def _pick(self, q: np.ndarray, lexical: np.ndarray, article: str | None,
              scope: frozenset[str] | None = None) -> np.ndarray:
        rows = self.candidates(article, scope)
        if not self.index.approximate or article is not None:
            return rows
        k = self.cfg.candidates
        ids, _ = self.index.search("dense.ctx", q, 2 * k)
        in_scope = self._answerable if scope is None else self._answerable & self._in(scope)
        lexical = np.where(in_scope, lexical, -np.inf)
        best_lexical = np.argpartition(-lexical, k)[:k] if len(lexical) > k else np.arange(len(lexical))
        pool = np.union1d(ids[ids >= 0], best_lexical)
        pool = pool[in_scope[pool]]
        return pool if len(pool) else rows

    # ----- answering ------------------------------------------------------------------------
    def _in(self, scope: frozenset[str]) -> np.ndarray:
        """Per row: its article is in ``scope`` (each article's rows are one contiguous span)."""
        mask = np.zeros(len(self.rows), dtype=bool)
        for art in scope:
            first, end = self.index.spans.get(art, (0, 0))
            mask[first:end] = True
        return mask

    def candidates(self, article: str | None, scope: frozenset[str] | None = None) -> np.ndarray:
        """Every answerable row, or those of ``article``, or those of the articles in ``scope``."""
        mask = self._answerable.copy()
        if article is not None:
            mask &= self._article_of == article
        elif scope is not None:
            mask &= self._in(scope)
        return np.flatnonzero(mask)

    def score(self, question: str, cand: np.ndarray | None = None, article: str | None = None,
              scope: frozenset[str] | None = None, previous: str | None = None
              ) -> tuple[np.ndarray, QuestionSignals, CandidateSignals]:
        """Fused relevance of each candidate (``cand`` None: chosen here) and the signals behind it."""
        q = self.question(question, previous)
        c = self.candidate_signals(q, self._pick(q.dense, q.lexical, article, scope) if cand is None else cand)
        fused = c.dense.copy()
        if c.sentence is not None:
            fused += self.cfg.sentence_weight * c.sentence
        fused += self.cfg.lexical_weight * damped(c.lexical)
        if self.cfg.article_weight and c.topic is not None:
            fused += self.cfg.article_weight * self._article_prior(c)
        if self.cfg.article_lexical_weight and len(self.lexical.articles) > 1:
            whole = damped(self.lexical.article_scores(list(q.terms)))
            fused += self.cfg.article_lexical_weight * whole[self._article_number[c.rows]]
        if self.cfg.recency_weight:
            fused += self.cfg.recency_weight * self._recency(c.rows)
        return fused, q, c

    def _recency(self, rows: np.ndarray) -> np.ndarray:
        """Per row, how recently its article was added: 1 just now, halving every ``recency_half_life_days``;
        0 for an article with no ``added_at`` (put there by hand)."""
        age_days = np.maximum(0.0, self.clock() - self._added[rows]) / 86_400.0
        return np.nan_to_num(0.5 ** (age_days / self.cfg.recency_half_life_days), nan=0.0).astype(np.float32)

    def _article_prior(self, c: CandidateSignals) -> np.ndarray:
        """Per candidate, how well its whole article matches: the mean of the article's two best topic
        cosines. In a corpus of several articles it sends an ambiguous question ("how many stops?") to
        the article that is about it (top-1 .58 → .62 on the 7 dev articles as one corpus,
        ``eval/article_prior.py``); within one article it adds the same to every candidate."""
        arts = self._article_of[c.rows]
        prior = np.zeros(len(c.rows), dtype=np.float32)
        for art in np.unique(arts):
            mine = arts == art
            prior[mine] = np.sort(c.topic[mine])[::-1][: self.article_best].mean()
        return prior

    def rank(self, question: str, k: int = 3, article: str | None = None,
             scope: frozenset[str] | None = None, previous: str | None = None) -> Ranking:
        """Rank the candidates for ``question`` and weigh the evidence about the first; how sure to be of
        it is the confidence stage's call (``bot/confidence/tiers.py``).
        ``article``: that article only; else ``scope``: those articles (a server's); else all.
        ``previous``: an earlier question of the same conversation that this one is read with (a follow-up
        such as "and how much does it cost?", see ``bot/retrieval/followup.py``): the two are searched
        together, while the kind of answer wanted and the short answer come from ``question`` alone."""
        asked = expand(question) if self.cfg.expand_chat else question  # "wen" → "when"; shown as typed
        text = asked if previous is None else f"{previous} {asked}"  # what the reader reads
        if scope is not None and article is None and len(scope) == 1:
            article = next(iter(scope))
        fused, q, c = self.score(asked, article=article, scope=scope, previous=previous)
        order = np.lexsort((c.rows, -fused))  # best first, ties by row id: deterministic
        verdict = self.read(text, c, fused, order) if self.reader is not None else None
        if verdict is not None:
            order = verdict.order
        expected = expected_kind(asked)
        searched = 1 if article is not None else len(scope) if scope is not None else len(self.index.articles)
        evidence = gather(q, c, fused, order, self.rows, self.article_words, expected, self.vocab_vectors,
                          verdict.evidence() if verdict is not None else None)
        evidence = dataclasses.replace(evidence, library=float(np.log1p(searched)))
        passages = tuple(self.passage(int(c.rows[i]), float(fused[i])) for i in order[: max(k, 1)])
        if verdict is not None and verdict.spans.get(int(order[0])) is not None:
            span_at = verdict.spans[int(order[0])]
        else:
            # The question's words and their translations into the article's words locate the answer's clause.
            hints = [t for w in q.words for t, sim in q.nearest.get(w, [])[:3] if sim >= self.cfg.translate_min_sim]
            found = answer_span(passages[0].sentence.text, expected, asked, tuple(hints))
            span_at = (found.start, found.end) if found else None
        art = self.index.article(passages[0].sentence.article)
        return Ranking(question, passages, evidence, span_at, str(expected),
                       art.title if art else None, art.source if art else None,
                       self._runner_up(c, fused, order), previous)

    def _runner_up(self, c: CandidateSignals, fused: np.ndarray, order: np.ndarray) -> Passage | None:
        """The best passage of another article than the first passage's (None when one article was scored)."""
        first = self.rows[int(c.rows[int(order[0])])].article
        for i in order[1:]:
            row = int(c.rows[int(i)])
            if self.rows[row].article != first:
                return self.passage(row, float(fused[int(i)]))
        return None

    def read(self, question: str, c: CandidateSignals, fused: np.ndarray, order: np.ndarray) -> Verdict:
        """The reader's verdict on the ``reader.k`` best candidates of ``order``: each article's candidates
        are read together, in article order, under its title."""
        top = [int(i) for i in order[: self.cfg.reader.k]]
        groups: dict[str, list[int]] = {}
        for i in top:
            groups.setdefault(self.rows[int(c.rows[i])].article, []).append(i)
        members = [sorted(g, key=lambda i: int(c.rows[i])) for g in groups.values()]
        passages = [ReaderPassage(self.index.article(art).title, tuple(self.rows[int(c.rows[i])].text for i in g))
                    for art, g in zip(groups, members, strict=True)]
        readings = self.reader.read(question, passages)
        scores, spans = {}, {}
        for g, rs in zip(members, readings, strict=True):
            for i, r in zip(g, rs, strict=True):
                scores[i], spans[i] = r.score, r.span
        weight = self.cfg.reader.fused_weight
        best = sorted(top, key=lambda i: (-(scores[i] + weight * float(fused[i])), int(c.rows[i])))
        return Verdict(np.array(best + [int(i) for i in order[len(top):]], dtype=np.int64), scores, spans, top[0])

    def passage(self, rid: int, score: float, context: int = 1) -> Passage:
        row = self.rows[rid]

        def same_par(j: int) -> bool:
            r = self.rows[j]
            return r.article == row.article and r.paragraph == row.paragraph and r.kind != "noise"

        before = tuple(self.rows[j] for j in range(rid - 1, max(rid - 1 - context, -1), -1) if same_par(j))[::-1]
        after = tuple(self.rows[j] for j in range(rid + 1, min(rid + 1 + context, len(self.rows))) if same_par(j))
        return Passage(row, before, after, round(score, 4))
