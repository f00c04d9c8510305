"""What the benches ask and index: the dev questions, and synthetic corpora recombined from real prose."""

from __future__ import annotations

import random
import re
from pathlib import Path

from bot.config import Config
from bot.corpus.parse import load_articles
from bot.corpus.questions import load_questions
from bot.errors import ArticleBotError


def dev_root(config: Config, questions: Path | None = None) -> Path:
    """Where the dev question files and articles are: ``questions`` when given, else ``eval/`` beside the
    config (the repository's dev sets; an installed bot has none, and then the bench asks one generic
    question and recombines the configured articles only)."""
    return questions if questions is not None else config.path.parent / "eval"


def dev_questions(root: Path) -> list[str]:
    """Every question of the question files under ``root`` (a folder, or one file), deduplicated."""
    out: list[str] = []
    for path in ([root] if root.is_file() else sorted(root.rglob("*.yaml")) if root.is_dir() else []):
        try:
            out.extend(item.q for item in load_questions(path))
        except ArticleBotError:
            continue  # configs and sidecars live there too
    return list(dict.fromkeys(out)) or ["What is the article about?"]


def real_sentences(config: Config, root: Path) -> list[str]:
    """Prose sentences of the configured articles and of the articles under ``root``."""
    under = sorted(p.parent for p in root.rglob("*.txt")) if root.is_dir() else []
    folders = [config.articles_dir, *under]
    out: list[str] = []
    for folder in dict.fromkeys(folders):
        try:
            out.extend(s.text for a in load_articles(folder) for s in a.answerable)
        except ArticleBotError:
            continue
    return out


def synthetic_corpus(folder: Path, sentences: list[str], n: int, per_article: int = 40, seed: int = 0) -> None:
    """``n`` sentences recombined from real ones, in articles of 40 sentences, no two alike.

    Each sentence joins the start of one real sentence to the end of another, swaps a few words
    and redraws its numbers, so the corpus has the vocabulary and length of real news prose
    without thousands of near-identical copies (which would make nearest neighbours a coin toss).
    """
    rng = random.Random(seed)
    pool = [s.rstrip(".").split() for s in sentences if len(s.split()) >= 6]
    folder.mkdir(parents=True, exist_ok=True)
    made = number = 0
    while made < n:
        count = min(per_article, n - made)
        lines = []
        for _ in range(count):
            a, b = rng.choice(pool), rng.choice(pool)
            words = a[: rng.randrange(3, len(a))] + b[rng.randrange(1, len(b) - 2):]
            for _ in range(2):
                i, j = rng.randrange(len(words)), rng.randrange(len(words))
                words[i], words[j] = words[j], words[i]
            text = re.sub(r"\d+", lambda _: str(rng.randrange(1, 10000)), " ".join(words))
            lines.append(text[:1].upper() + text[1:] + ".")
        paragraphs = [" ".join(lines[i:i + 4]) for i in range(0, len(lines), 4)]
        (folder / f"synthetic-{number:05d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        made += count
        number += 1

