"""Lexical scoring: BM25 over Snowball stems, with cross-lingual query-term translation.

A question in English about a French article shares few words with it: names, numbers, a few
cognates. To match the rest, every content word of the question is "translated" into the
article's own vocabulary by nearest neighbours in a multilingual word space: the topic encoder
(USE multilingual) embeds each article word at index time and each question word at query time;
article words whose cosine passes ``min_sim`` become weighted query terms (``patents`` →
``brevets`` 0.83, ``schedule`` → ``agenda`` 0.78). No dictionary or network is needed and any
language pair the encoder knows works.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np

from bot.corpus.article import Sentence
from bot.corpus.terms import doc_terms
from bot.corpus.text import any_stopwords, fold, stem, words

_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")


@dataclass(frozen=True)
class QueryTerm:
    """A stem to look up, its weight, and the question word it came from (for explanations)."""

    stem: str
    weight: float
    source: str


def question_words(question: str) -> list[str]:
    """Content words of a question in any language; all-caps acronyms (``US``) are kept."""
    acronyms = {a.lower() for a in _ACRONYM.findall(question)}
    sw = any_stopwords()
    out: list[str] = []
    for w in words(question):
        if w in acronyms or ((len(w) > 1 or w.isdigit()) and w not in sw and fold(w) not in sw):
            if w not in out:
                out.append(w)
    return out


class LexicalScorer:
    """BM25 over the index rows, each row stemmed in its article's language (``terms``: the stored stems)."""

    def __init__(self, rows: list[Sentence], languages: dict[str, str], terms: list[list[str]] | None = None,
                 spans: dict[str, tuple[int, int]] | None = None) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        self.languages = sorted(set(languages.values())) or ["en"]
        self._lang_of = languages
        corpus = terms if terms is not None else [doc_terms(r, languages.get(r.article, "en")) for r in rows]
        self.vocab = {t for doc in corpus for t in doc}
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self.n = len(rows)
        # The same terms with each article as one document: which article holds the question's words,
        # the rare ones (names) weighing most (``article_scores``).
        self.articles = sorted(spans or {}, key=lambda a: spans[a])  # type: ignore[index]
        self._by_article = None
        if len(self.articles) > 1:
            self._by_article = bm25s.BM25()
            self._by_article.index([[t for doc in corpus[slice(*spans[a])] for t in doc] for a in self.articles],
                                   show_progress=False)

    def has_word(self, word: str) -> bool:
        """Whether ``word`` (any form sharing its stem) occurs in the indexed prose."""
        return any(stem(word, lang) in self.vocab for lang in self.languages)

    def terms(self, question: str, translations: dict[str, list[tuple[str, float]]] | None = None
              ) -> list[QueryTerm]:
        """Weighted query stems: the question's own words (1.0) and their translations (cosine)."""
        best: dict[str, QueryTerm] = {}

        def add(s: str, weight: float, source: str) -> None:
            if s in self.vocab and (s not in best or best[s].weight < weight):
                best[s] = QueryTerm(s, weight, source)

        for w in question_words(question):
            for lang in self.languages:
                add(stem(w, lang), 1.0, w)
            for target, sim in (translations or {}).get(w, []):
                for lang in self.languages:
                    add(stem(target, lang), sim, w)
        # A question word should not count twice through two of its translations.
        by_source: dict[str, list[QueryTerm]] = {}
        for t in best.values():
            by_source.setdefault(t.source, []).append(t)
        out = []
        for group in by_source.values():
            group.sort(key=lambda t: -t.weight)
            top = group[0].weight
            out.extend(QueryTerm(t.stem, t.weight * (1.0 if i == 0 else 0.5), t.source)
                       for i, t in enumerate(group) if t.weight >= top - 0.15)
        return sorted(out, key=lambda t: (-t.weight, t.stem))

    def article_scores(self, terms: list[QueryTerm]) -> np.ndarray:
        """BM25 of each article (in ``self.articles``' order) taken whole, for the weighted terms; zeros for one."""
        total = np.zeros(len(self.articles), dtype=np.float32)
        if self._by_article is not None:
            for t in terms:
                total += t.weight * self._by_article.get_scores([t.stem]).astype(np.float32)
        return total

    def scores(self, terms: list[QueryTerm]) -> np.ndarray:
        """BM25 score of every row for the weighted terms."""
        total = np.zeros(self.n, dtype=np.float32)
        for t in terms:
            total += t.weight * self._bm25.get_scores([t.stem]).astype(np.float32)
        return total
