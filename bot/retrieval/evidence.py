"""Evidence about one answer: the signals of its first passage, judged against that passage's article.

Kinds of evidence beyond "how close is the question to a sentence" (``../shared/RETRIEVAL.md``:
more weight tuning of the cosines does not help):

- the ranking's own certainty: the margin between the first and second passages, and whether the
  dense and the lexical rankings agree on the first;
- what the question asks for against what the passages contain (``bot/retrieval/kinds.py``): a "how
  old" question whose best passages carry no age is probably not answered;
- names in the question that the article never contains, even misspelt or translated.
"""

from __future__ import annotations

import numpy as np

from bot.corpus.article import Sentence
from bot.corpus.terms import capitalised_words
from bot.retrieval.kinds import Kind, find_spans, has_kind
from bot.retrieval.signals import ArticleWords, CandidateSignals, QuestionSignals, VocabVectors
from bot.retrieval.values import Evidence


def damped(bm25: np.ndarray, damping: float = 3.0) -> np.ndarray:
    """BM25 scores → [0, 1): relative to the best candidate, damped when even the best is weak.

    Min-max would turn a single shared common word into a full-strength signal; dividing by
    ``max + damping`` keeps weak lexical evidence weak (measured: +1 to +3 points top-1 over
    min-max on both dev sets).
    """
    top = float(bm25.max()) if len(bm25) else 0.0
    return bm25 / (top + damping) if top > 0 else np.zeros_like(bm25)


def gather(q: QuestionSignals, c: CandidateSignals, fused: np.ndarray, order: np.ndarray,
           rows: list[Sentence], article_words: ArticleWords, expected: Kind, vocab_vectors: VocabVectors,
           reader: dict[str, float | None] | None = None) -> Evidence:
    """The evidence about the passage ``order[0]`` (indexes into the candidate arrays); ``reader``: the
    reader's own (``Verdict.evidence``), when it read."""
    top = int(order[0])
    article = rows[int(c.rows[top])].article
    in_article = np.array([rows[int(r)].article == article for r in c.rows])
    topic_max = float(c.topic[in_article].max()) if c.topic is not None and in_article.any() else None
    # Each question word's translations into this article, searched among its own words (whatever the library's size).
    nearest = [article_words.nearest(article, q.word_vecs[i] if q.word_vecs is not None else None)
               for i in range(len(q.words))]
    grounding = [article_words.grounding(article, w, near) for w, near in zip(q.words, nearest, strict=True)]
    in_passage = article_words.in_sentence(rows[int(c.rows[top])].text, article, q.words, q.word_vecs, vocab_vectors)
    written = capitalised_words(q.text)
    unknown = sum(article_words.unknown_name(article, w, near, written)
                  for w, near in zip(q.words, nearest, strict=True))
    lexical = damped(c.lexical)
    best_lexical = int(np.argmax(c.lexical)) if len(c.lexical) and c.lexical.max() > 0 else -1
    expects = expected is not Kind.OTHER
    found = [bool(has_kind(find_spans(rows[int(c.rows[i])].text), expected)) for i in order[:3]] if expects else []
    subject_missing = expects and not _kind_beside_subject(q, c, order, rows, article_words, grounding, expected,
                                                          vocab_vectors)
    return Evidence(
        topic_max=topic_max,
        dense_top=float(c.dense[top]),
        grounding_min=min(grounding) if grounding else None,
        grounding_mean=float(np.mean(grounding)) if grounding else None,
        passage_min=min(in_passage) if in_passage else None,
        passage_mean=float(np.mean(in_passage)) if in_passage else None,
        margin=float(fused[top] - fused[int(order[1])]) if len(order) > 1 else 0.0,
        lexical_top=float(lexical[top]),
        agree=float(best_lexical == top),
        type_expected=float(expects),
        type_missing=float(expects and not any(found)),
        type_top=float(expects and found[0]) if found else 0.0,
        type_subject_missing=float(subject_missing),
        unknown_names=float(unknown),
        **(reader or {}),
    )


#: A question word the article holds this well (exactly, misspelt or translated) names the subject.
SUBJECT_GROUNDING = 0.75
#: How many of the best passages are searched for the subject beside an answer of the right kind.
SUBJECT_PASSAGES = 5


def _kind_beside_subject(q: QuestionSignals, c: CandidateSignals, order: np.ndarray, rows: list[Sentence],
                         article_words: ArticleWords, grounding: list[float], expected: Kind,
                         vocab_vectors: VocabVectors) -> bool:
    """Whether one of the best passages names everything the question's subject is made of and holds an
    answer of the expected kind: "how old is the mayor" wants an age in a sentence about the mayor,
    not the age of someone else in the article."""
    subject = tuple(w for w, g in zip(q.words, grounding, strict=True) if g >= SUBJECT_GROUNDING)
    vecs = None if q.word_vecs is None else np.array([v for v, g in zip(q.word_vecs, grounding, strict=True)
                                                      if g >= SUBJECT_GROUNDING])
    for i in order[:SUBJECT_PASSAGES]:
        row = rows[int(c.rows[i])]
        if not has_kind(find_spans(row.text), expected):
            continue
        found = article_words.in_sentence(row.text, row.article, subject, vecs, vocab_vectors) if subject else []
        if all(f >= SUBJECT_GROUNDING for f in found):
            return True
    return False
