"""Distractor articles: the paragraphs of public reading-comprehension files turned into articles.

``article-bot eval --distractors N`` asks a question file in a library padded with N articles that do
not answer it, to see whether ranking and coverage hold as a news server's library grows (a feed adds
hundreds of articles in weeks). The distractors are read, at run time, from SQuAD-format JSON files
(``data[].title``, ``data[].paragraphs[].context``), such as the SQuAD 2.0 and PIAF files the reader was
trained on: Wikipedia in English and French, on many topics. They are written to a scratch or cache
folder, never to ``articles/``, and nothing of them is committed.

Each Wikipedia article gives distractors of at most ``PARAGRAPHS`` consecutive paragraphs (about a
news article's length) under its title; a long one gives several. Only English and French texts are
kept (the languages of the articles the bot serves). The order is fixed: each language's distractors in
a seeded shuffle, then taken in turn, so the first 50 are a mix of both and the first 200 hold the
first 50. One Wikipedia article in four is kept apart for fitting the confidence (``_pool``): those are
never among the distractors ``eval --distractors`` asks in.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.corpus.text import detect_language
from bot.errors import InputError
from bot.library.ids import slug

#: Paragraphs per distractor article: a Wikipedia paragraph is 4-6 sentences, a news article 15-30.
PARAGRAPHS = 4
#: The languages kept, in the order they are taken in turn.
LANGUAGES = ("fr", "en")
#: The shuffle's seed: the same files always give the same distractors in the same order.
SEED = 2026


@dataclass(frozen=True)
class Distractor:
    """One article made of a Wikipedia article's paragraphs."""

    id: str
    title: str
    language: str
    text: str

    def write(self, folder: Path) -> None:
        """``<id>.txt`` and its sidecar in ``folder`` (left as they are when already there)."""
        text, sidecar = folder / f"{self.id}.txt", folder / f"{self.id}.yaml"
        if not text.is_file():
            text.write_text(self.text, encoding="utf-8")
            sidecar.write_text(yaml.safe_dump({"title": self.title, "language": self.language,
                                               "source": "distractor (reading-comprehension data)"},
                                              allow_unicode=True), encoding="utf-8")


def _pieces(path: Path) -> Iterator[tuple[str, str, str]]:
    """(title, language, text) of each distractor a SQuAD-format file gives."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise InputError(f"{path}: not a SQuAD-format JSON file ({type(err).__name__}: {err})") from None
    for entry in data:
        title = " ".join(re.sub(r"<[^>]*>", " ", str(entry.get("title", ""))).replace("_", " ").split())
        paragraphs = [" ".join(p["context"].split()) for p in entry.get("paragraphs", []) if p.get("context")]
        if not title or not paragraphs:
            continue
        language = detect_language(" ".join(paragraphs[:2]), default="?")
        for start in range(0, len(paragraphs), PARAGRAPHS):
            yield title, language, "\n\n".join(paragraphs[start:start + PARAGRAPHS]) + "\n"


def _pool(title: str) -> str:
    """Which pool a Wikipedia article's distractors belong to: one title in four (by a stable hash) is kept
    for fitting the confidence (``eval/fit_confidence.py``), the others are those ``eval --distractors``
    asks in, so a growth figure never comes from a library the fit has seen."""
    return "fit" if int(hashlib.sha256(title.encode("utf-8")).hexdigest(), 16) % 4 == 0 else "eval"


def distractors(folder: Path, n: int, pool: str = "eval") -> list[Distractor]:
    """The first ``n`` distractors of ``pool`` (``eval`` or ``fit``) made from the ``*.json`` files of
    ``folder`` (InputError when they hold fewer)."""
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise InputError(f"{folder}: no SQuAD-format .json files to make distractor articles from "
                         "(--distractor-data names a folder such as the reader's training data)")
    by_language: dict[str, list[tuple[str, str]]] = {lang: [] for lang in LANGUAGES}
    for path in files:
        for title, language, text in _pieces(path):
            if language in by_language and _pool(title) == pool:
                by_language[language].append((title, text))
    rng = random.Random(SEED)
    for pieces in by_language.values():
        rng.shuffle(pieces)
    order: list[tuple[str, str, str]] = []
    queues = {lang: list(pieces) for lang, pieces in by_language.items()}
    while any(queues.values()):
        for lang in LANGUAGES:
            if queues[lang]:
                title, text = queues[lang].pop(0)
                order.append((title, lang, text))
    if n > len(order):
        raise InputError(f"{folder}: {len(order)} distractor articles can be made from its files, not {n}")
    prefix = "distractor" if pool == "eval" else f"distractor-{pool}"
    return [Distractor(f"{prefix}-{i:04d}-{slug(title)[:40] or 'article'}", title, lang, text)
            for i, (title, lang, text) in enumerate(order[:n], start=1)]
