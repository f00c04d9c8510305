"""Question files (shared/EVAL_FORMAT.md) → quality figures: top-1, top-3, MRR, abstention."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError, one_line
from .text import detect_language, normalize_chars

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """The matching form of EVAL_FORMAT.md: no-break spaces, whitespace runs, apostrophes."""
    return _WS.sub(" ", normalize_chars(text)).strip()


@dataclass(frozen=True)
class Item:
    q: str
    gold: tuple[str, ...]
    article: str | None = None


@dataclass(frozen=True)
class Outcome:
    item: Item
    language: str
    abstained: bool
    rank: int | None          # 1-based rank of the first matching sentence among the first 10
    answer: str | None
    confidence: float
    seconds: float = 0.0


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
        items.append(Item(raw["q"], tuple(norm(g) for g in gold), article))
    return items


def run_eval(engine, items: list[Item]) -> list[Outcome]:
    """Ask every question through ``engine`` (the same path the bot uses)."""
    out = []
    for item in items:
        start = time.perf_counter()
        answer = engine.ask(item.q, k=10, article=item.article)
        seconds = time.perf_counter() - start
        rank = None
        if not answer.abstained and item.gold:
            for i, p in enumerate(answer.ranked[:10], start=1):
                text = norm(p.sentence.text)
                if any(g in text for g in item.gold):
                    rank = i
                    break
        out.append(Outcome(item, detect_language(item.q), answer.abstained, rank,
                           answer.passage.sentence.text if answer.passage else None, answer.confidence, seconds))
    return out


def metrics(outcomes: list[Outcome]) -> dict:
    on = [o for o in outcomes if o.item.gold]
    off = [o for o in outcomes if not o.item.gold]

    def share(xs: list, pred) -> float:
        return round(sum(1 for x in xs if pred(x)) / len(xs), 4) if xs else 0.0

    return {
        "n_on": len(on),
        "n_off": len(off),
        "top1": share(on, lambda o: o.rank == 1),
        "top3": share(on, lambda o: o.rank is not None and o.rank <= 3),
        "mrr": round(sum(1 / o.rank for o in on if o.rank) / len(on), 4) if on else 0.0,
        "abstain_recall": share(off, lambda o: o.abstained),
        "false_abstain": share(on, lambda o: o.abstained),
    }


def by_language(outcomes: list[Outcome]) -> dict[str, dict]:
    langs = sorted({o.language for o in outcomes})
    return {lang: metrics([o for o in outcomes if o.language == lang]) for lang in langs}
