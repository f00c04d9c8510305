"""What the index stores about each sentence's words: its BM25 stems and its article's names.

Computed once when an article is indexed (``bot/index/``), read by the ranking (``bot/retrieval/``).
"""

from __future__ import annotations

import re

from bot.corpus.article import Sentence
from bot.corpus.text import fold, normalize_chars, stem, stopwords, words

_NAME = re.compile(r"(?<![\w'’-])([A-ZÀ-Þ][\w'’-]*|[A-Z]{2,6})")


def doc_terms(row: Sentence, lang: str) -> list[str]:
    """The stems BM25 indexes for one row (none for a noise line); stored in the index, so start-up
    does not stem the corpus again."""
    if row.kind == "noise":
        return []
    sw = stopwords(lang)
    return [stem(w, lang) for w in words(row.text) if w not in sw and (len(w) > 1 or w.isdigit())]



def capitalised_words(text: str) -> set[str]:
    """Folded words written with a capital, except a sentence's first word: the names in ``text``."""
    text = normalize_chars(text)
    out = set()
    for m in _NAME.finditer(text):
        if m.start() == 0 or text[: m.start()].rstrip().endswith((".", "!", "?", "«", '"', ":")):
            continue
        out.add(fold(m.group(1).split("'")[-1]))
    return out


def article_names(rows: list[Sentence]) -> dict[str, set[str]]:
    """Each article's names: words capitalised mid-sentence in its prose."""
    out: dict[str, set[str]] = {}
    for row in rows:
        if row.kind != "noise":
            out.setdefault(row.article, set()).update(capitalised_words(row.text))
    return out
