"""Question files (docs/eval-format.md): the other input the project reads, beside articles.

``load_questions`` parses and validates one; ``norm`` is the matching form of its answers. Read by the
evaluation (``bot/qa/evaluate.py``) and by the confidence fit (``bot/confidence/fit.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.corpus.text import normalize_chars
from bot.errors import InputError, one_line

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """The matching form of docs/eval-format.md: no-break spaces, whitespace runs, apostrophes."""
    return _WS.sub(" ", normalize_chars(text)).strip()


@dataclass(frozen=True)
class Item:
    q: str
    gold: tuple[str, ...]
    article: str | None = None
    answer: str | None = None    # the short answer inside the gold sentence (on-topic items)
    trap: bool = False           # a near-topic question the article does not answer (off-topic items)


def load_questions(path: str | Path) -> list[Item]:
    """Parse and validate a question file; InputError names the file and the problem."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: question file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(f"{path}: cannot read question file ({one_line(err)})") from None
    if not isinstance(data, list) or not data:
        raise InputError(f"{path}: expected a non-empty YAML list of items with q and gold")
    items = []
    for n, raw in enumerate(data, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("q"), str) or not raw["q"].strip():
            raise InputError(f"{path}: item {n}: expected a mapping with a non-empty string 'q'")
        gold = raw.get("gold", [])
        if not isinstance(gold, list) or not all(isinstance(g, str) and g.strip() for g in gold):
            raise InputError(f"{path}: item {n}: 'gold' must be a list of non-empty strings ([] = off-topic)")
        article = raw.get("article")
        if article is not None and not isinstance(article, str):
            raise InputError(f"{path}: item {n}: 'article' must be an article id")
        answer = raw.get("answer")
        if answer is not None and (not isinstance(answer, str) or not answer.strip() or not gold):
            raise InputError(f"{path}: item {n}: 'answer' must be a non-empty string, on an item with gold")
        trap = raw.get("trap", False)
        if not isinstance(trap, bool) or (trap and gold):
            raise InputError(f"{path}: item {n}: 'trap' must be true or false, and true only with gold: []")
        items.append(Item(raw["q"], tuple(norm(g) for g in gold), article,
                          norm(answer) if answer is not None else None, trap))
    return items
