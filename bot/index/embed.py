"""Embedding: the texts each view encodes, in shared batches, and the vocabulary's word vectors.

Views (one vector per row unless said): ``dense.ctx`` the sentence under its article's title
(:func:`context_text`), ``dense.sent`` the bare sentence, ``topic.sent`` the topic encoder's vector,
``topic.vocab`` one topic vector per distinct article word (the target side of term translation).
"""

from __future__ import annotations

import logging
import sys

import numpy as np

from bot.corpus.article import Article, Sentence
from bot.corpus.text import content_words
from bot.index.encoders import Encoder
from bot.index.records import Part

log = logging.getLogger(__name__)

#: Texts per encoder call.
BATCH = 32
#: Embedding more texts than this shows a progress bar on a terminal (and a log line elsewhere): about the
#: number the default encoders embed in a second or two on two cores; fewer would only flash a bar.
PROGRESS_ABOVE = 48


def context_text(title: str, sentence: str) -> str:
    """The text embedded for the ``dense.ctx`` view: the sentence under its article's title.

    A "contextual header": a sentence such as "it remains fourth in the country" does not name its
    subject; under the title ("Will Xiaomi enter the US market?") it does. Measured on the dev sets
    this view alone beat the bare sentence and the sentence-with-neighbours window (RETRIEVAL.md)
    for both the French and the English article.
    """
    return f"{title}\n\n{sentence}" if title and title != sentence else sentence


def row_vocabulary(rows: list[Sentence], languages: dict[str, str]) -> list[str]:
    """Distinct content words of the rows' prose, sorted: the target side of term translation."""
    vocab: set[str] = set()
    for s in rows:
        if s.kind != "noise":
            vocab.update(w for w in content_words(s.text, languages.get(s.article))
                         if len(w) > 2 and not w.isdigit())
    return sorted(vocab)


def article_vocabulary(articles: list[Article]) -> list[str]:
    """Distinct content words of the articles' prose, sorted: the target side of term translation."""
    return row_vocabulary([s for a in articles for s in a.sentences], {a.id: a.language for a in articles})


def encode(encoder: Encoder, texts: list[str], what: str) -> np.ndarray:
    """``texts`` as passages, in batches of ``BATCH``; over ``PROGRESS_ABOVE`` texts, a progress bar on a
    terminal (tqdm leaves it off when stderr is a pipe or a log; :func:`embed` logs a line then)."""
    from tqdm import tqdm

    chunks = []
    quiet = True if len(texts) <= PROGRESS_ABOVE else None  # None: tqdm shows it on a terminal only
    with tqdm(total=len(texts), desc=what, unit="text", disable=quiet, leave=False, file=sys.stderr) as bar:
        for i in range(0, len(texts), BATCH):
            chunks.append(encoder.encode_passages(texts[i : i + BATCH]))
            bar.update(len(texts[i : i + BATCH]))
    return np.vstack(chunks).astype(np.float32) if chunks else np.zeros((0, encoder.dim), np.float32)


def embed(pending: list[tuple[Article, str]], encoders: dict[str, Encoder], views: tuple[str, ...]
          ) -> dict[str, dict[str, np.ndarray]]:
    """Encode the sentences of ``pending`` articles, view by view, in shared batches."""
    rows = [s for art, _ in pending for s in art.sentences]
    if len(rows) > PROGRESS_ABOVE:
        log.info("embedding %d sentences of %d article(s) with %s", len(rows), len(pending),
                 ", ".join(sorted({e.id for e in encoders.values()})))
    titles = {art.id: art.title for art, _ in pending}
    out: dict[str, np.ndarray] = {}
    if "dense.sent" in views:
        out["dense.sent"] = encode(encoders["dense"], [s.text for s in rows], "sentences")
    out["dense.ctx"] = encode(encoders["dense"], [context_text(titles[s.article], s.text) for s in rows], "in context")
    if "topic.sent" in views:
        out["topic.sent"] = encode(encoders["topic"], [s.text for s in rows], "topic")
    by_article: dict[str, dict[str, np.ndarray]] = {}
    start = 0
    for art, _ in pending:
        end = start + len(art.sentences)
        by_article[art.id] = {v: m[start:end] for v, m in out.items()}
        start = end
    return by_article


def word_vectors(vocab: list[str], known: dict[str, np.ndarray], fresh: list[Part], topic: Encoder,
                 languages: dict[str, str]) -> np.ndarray:
    """Topic vectors of ``vocab``: ``known`` ones (the old index's) and the fresh parts' stored ones, new
    words encoded. Each fresh part keeps its own words' vectors for ``embeddings/``."""
    known = dict(known)
    for p in fresh:
        if p.word_vectors is not None and len(p.words) == len(p.word_vectors):
            known.update(zip(p.words, p.word_vectors, strict=True))
    missing = [w for w in vocab if w not in known]
    if missing:
        known.update(zip(missing, encode(topic, missing, "vocabulary"), strict=True))
    for p in fresh:
        p.words = row_vocabulary(p.rows, languages)
        p.word_vectors = np.array([known[w] for w in p.words], np.float32).reshape(len(p.words), topic.dim)
    if not vocab:
        return np.zeros((0, topic.dim), np.float32)
    return np.array([known[w] for w in vocab], dtype=np.float32)
