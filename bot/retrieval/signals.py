"""Signals: what the encoders and the lexical index say about a question and its candidate sentences.

Computed once per question (:class:`QuestionSignals`) and once per candidate set
(:class:`CandidateSignals`); :mod:`bot.evidence` turns them into the evidence about one answer, and
:mod:`bot.retrieve` fuses them into a ranking. :class:`ArticleWords` knows, per article, which
words and which names it contains: grounding a question is judged against one article, never the
whole corpus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from bot.corpus.article import Sentence
from bot.corpus.text import fold, stem, words
from bot.retrieval.lexical import QueryTerm

#: A question word and an article word this alike (difflib ratio) are the same word misspelt.
FUZZY_RATIO = 0.8
#: A question word whose nearest article word is a name of the article, this close, is "a name of
#: the same kind that the article does not contain" ("samsung" next to "Xiaomi").
NAME_NEIGHBOUR_SIM = 0.5
FUZZY_CACHE = 100_000


#: Topic-encoder vectors of those of some words that are in the index's vocabulary (``Retriever.vocab_vectors``).
VocabVectors = Callable[[list[str]], np.ndarray]
#: How many of an article's words are a question word's nearest (its translations into that article).
ARTICLE_NEIGHBOURS = 10


@dataclass(frozen=True)
class QuestionSignals:
    """The question as the encoders and the lexical index see it."""

    text: str
    dense: np.ndarray                                  # question vector of the dense encoder
    topic: np.ndarray | None                           # question vector of the topic encoder
    words: tuple[str, ...]                             # content words
    word_vecs: np.ndarray | None                       # their topic-encoder vectors, aligned with words
    nearest: dict[str, list[tuple[str, float]]]        # each word's nearest article words
    terms: tuple[QueryTerm, ...]                       # weighted lexical query terms
    lexical: np.ndarray                                # BM25 of every row


@dataclass(frozen=True)
class CandidateSignals:
    """Per-candidate scores, aligned with ``rows`` (row ids)."""

    rows: np.ndarray
    dense: np.ndarray              # contextual dense cosine (sentence under its article's title)
    sentence: np.ndarray | None    # bare-sentence dense cosine, when weighted
    lexical: np.ndarray            # BM25
    topic: np.ndarray | None       # topic-encoder cosine


class ArticleWords:
    """Each article's folded words, their stems, and its names (capitalised mid-sentence).

    Names are read for every article when the index is built (``names`` here: "is this name in
    another article?" asks all of them); words and stems are made from an article's rows the first
    time a question lands on it, so start-up does not tokenise the whole corpus.
    """

    def __init__(self, rows: list[Sentence], languages: dict[str, str], names: dict[str, set[str]],
                 spans: dict[str, tuple[int, int]], vocab_vectors: VocabVectors | None = None,
                 vocabulary: frozenset[str] = frozenset()) -> None:
        self.languages = languages
        self._rows = rows
        self._spans = spans  # the index's: each article's rows are contiguous
        self.names = names   # the index's, made by article_names() when it was built
        self._vocab_vectors = vocab_vectors  # the topic encoder's vectors of the index's vocabulary words
        self._vocabulary = vocabulary        # those words
        self._tables: dict[str, tuple[set[str], set[str], dict[str, list[str]]]] = {}
        self._vocab_words: dict[str, list[str]] = {}
        self._fuzzy: dict[tuple[str, str], float] = {}

    def _load(self, article: str) -> tuple[set[str], set[str], dict[str, list[str]]]:
        """(words, stems, words by initial) of ``article``, made on first use. Built whole before it
        is published in one assignment: questions answered on other threads never see half of it."""
        tables = self._tables.get(article)
        if tables is None:
            first, end = self._spans.get(article, (0, 0))
            lang = self.languages.get(article, "en")
            ws = {fold(w) for row in self._rows[first:end] if row.kind != "noise" for w in words(row.text)}
            tables = (ws, {stem(w, lang) for w in ws}, _by_initial(ws))
            self._tables[article] = tables
        return tables

    def words(self, article: str) -> set[str]:
        return self._load(article)[0]

    def nearest(self, article: str, vec: np.ndarray | None) -> list[tuple[str, float]]:
        """The ``ARTICLE_NEIGHBOURS`` words of ``article`` nearest to a question word's topic vector ``vec``
        (its translations into that article), best first. Searched among the article's own words, so a
        library of many articles does not push them out of the question word's neighbours."""
        if vec is None or self._vocab_vectors is None:
            return []
        ws = self._vocab_words.get(article)
        if ws is None:
            first, end = self._spans.get(article, (0, 0))
            ws = sorted({w for row in self._rows[first:end] if row.kind != "noise" for w in words(row.text)}
                        & self._vocabulary)
            self._vocab_words[article] = ws
        if not ws:
            return []
        sims = self._vocab_vectors(ws) @ vec
        top = np.argsort(-sims)[:ARTICLE_NEIGHBOURS]
        return [(ws[int(i)], float(sims[int(i)])) for i in top]

    def stems(self, article: str) -> set[str]:
        return self._load(article)[1]

    def exact(self, article: str, word: str) -> bool:
        """``word`` (or a word sharing its stem) is in ``article``."""
        w = fold(word)
        if w in self.words(article):
            return True
        stems = self.stems(article)
        return any(stem(w, lang) in stems for lang in set(self.languages.values()) or {"en"})

    def fuzzy(self, article: str, word: str) -> float:
        """Best difflib ratio of ``word`` with an article word of the same initial (misspellings); kept, as
        the same words come back question after question."""
        w = fold(word)
        if len(w) < 4:
            return 0.0
        key = (article, w)
        if key not in self._fuzzy:
            if len(self._fuzzy) > FUZZY_CACHE:
                self._fuzzy.clear()
            pool = self._load(article)[2].get(w[0], [])
            self._fuzzy[key] = max((SequenceMatcher(None, w, x).ratio() for x in pool if abs(len(x) - len(w)) <= 2),
                                   default=0.0)
        return self._fuzzy[key]

    def grounding(self, article: str, word: str, nearest: list[tuple[str, float]]) -> float:
        """How well ``word`` is found in ``article``: 1 exactly, its fuzzy ratio, or its nearest
        translation's cosine — names excepted: "samsung" is not grounded by "Xiaomi"."""
        if self.exact(article, word):
            return 1.0
        fuzzy = self.fuzzy(article, word)
        if fuzzy >= FUZZY_RATIO:
            return fuzzy
        mine, names = self.words(article), self.names.get(article, set())
        return max((sim for t, sim in nearest if fold(t) in mine and fold(t) not in names), default=0.0)

    def in_sentence(self, text: str, article: str, qwords: tuple[str, ...], word_vecs: np.ndarray | None,
                    vocab_vectors: VocabVectors) -> list[float]:
        """How well each question word is found in one sentence: 1 exactly (or by its stem), its fuzzy
        ratio, else its best topic-encoder cosine with a word of the sentence (a translation)."""
        lang = self.languages.get(article, "en")
        mine = [fold(w) for w in words(text)]
        stems = {stem(w, lang) for w in mine}
        vecs = vocab_vectors(mine) if word_vecs is not None else None
        out = []
        for i, q in enumerate(qwords):
            f = fold(q)
            if f in mine or any(stem(f, lg) in stems for lg in {lang, "en", "fr"}):
                out.append(1.0)
                continue
            fuzzy = max((SequenceMatcher(None, f, w).ratio() for w in mine if w[:1] == f[:1] and len(w) >= 4),
                        default=0.0)
            sim = float((vecs @ word_vecs[i]).max()) if vecs is not None and len(vecs) else 0.0
            out.append(fuzzy if fuzzy >= FUZZY_RATIO else max(0.0, sim))
        return out

    def unknown_name(self, article: str, word: str, nearest: list[tuple[str, float]], written: set[str]) -> bool:
        """``word`` looks like a name (capitalised in the question, a name in another article, or next
        to one of this article's names) and ``article`` does not contain it, even misspelt."""
        w = fold(word)
        if self.exact(article, w) or self.fuzzy(article, w) >= FUZZY_RATIO:
            return False
        names = self.names.get(article, set())
        if w in written or any(w in n for a, n in self.names.items() if a != article):
            return True
        best = max(nearest, key=lambda pair: pair[1], default=None)  # its nearest article word
        return best is not None and best[1] >= NAME_NEIGHBOUR_SIM and fold(best[0]) in names


def _by_initial(ws: set[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for w in ws:
        if len(w) >= 3:
            out.setdefault(w[0], []).append(w)
    return out
