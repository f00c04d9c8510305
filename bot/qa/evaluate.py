"""Question files (docs/eval-format.md) → quality figures: top-1, top-3, MRR, abstention, spans, ECE.

Only the ``not_covered`` tier is an abstention; an ``unsure`` answer (shown with a hedge) counts as
an answer for top-1/top-3 and for ``false_abstain`` alike, as docs/eval-format.md scores it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.corpus.questions import Item, norm
from bot.corpus.text import detect_language

if TYPE_CHECKING:  # annotations only
    from bot.confidence.fit import Asker


@dataclass(frozen=True)
class Outcome:
    item: Item
    language: str
    abstained: bool
    rank: int | None          # 1-based rank of the first matching sentence among the first 10
    answer: str | None
    confidence: float
    seconds: float = 0.0
    tier: str = "answer"
    span_ok: bool | None = None  # the highlighted span holds ``item.answer`` (None: the item has none)
    sentence_id: str | None = None  # the first passage's stable id (``<article>#<n>``)

    @property
    def right(self) -> bool:
        """The bot answered (any tier but not_covered) and its first sentence answers."""
        return not self.abstained and self.rank == 1


def run_eval(engine: Asker, items: list[Item]) -> list[Outcome]:
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
        span_ok = None
        if item.answer is not None:
            span = answer.span_text
            span_ok = rank == 1 and span is not None and item.answer.lower() in norm(span).lower()
        out.append(Outcome(item, detect_language(item.q), answer.abstained, rank,
                           answer.passage.sentence.text if answer.passage else None, answer.confidence, seconds,
                           str(answer.tier), span_ok, answer.passage.sentence.id if answer.passage else None))
    return out


def expected_calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float | None:
    """Mean |share right - mean confidence| over ``bins`` equal-width bins, weighted by their size."""
    if not pairs:
        return None
    total = 0.0
    for b in range(bins):
        inside = [(c, r) for c, r in pairs if min(int(c * bins), bins - 1) == b]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(1 for _, r in inside if r) / len(inside)
            total += len(inside) * abs(acc - conf)
    return round(total / len(pairs), 4)


def reliability(outcomes: list[Outcome], bins: int = 10) -> list[tuple[str, int, float | None]]:
    """Confidence bin → (how many answers, share right): the reliability table of docs/calibration.md."""
    shown = [o for o in outcomes if not o.abstained]
    rows = []
    for b in range(bins):
        inside = [o for o in shown if min(int(o.confidence * bins), bins - 1) == b]
        share = round(sum(o.right for o in inside) / len(inside), 2) if inside else None
        rows.append((f"{b / bins:.1f}-{(b + 1) / bins:.1f}", len(inside), share))
    return rows


def metrics(outcomes: list[Outcome]) -> dict:
    on = [o for o in outcomes if o.item.gold]
    off = [o for o in outcomes if not o.item.gold]
    traps = [o for o in off if o.item.trap]
    unrelated = [o for o in off if not o.item.trap]
    spans = [o for o in on if o.item.answer is not None]

    def share(xs: list, pred: Callable[[Outcome], bool], empty: float | None = 0.0) -> float | None:
        return round(sum(1 for x in xs if pred(x)) / len(xs), 4) if xs else empty

    return {
        "n_on": len(on),
        "n_off": len(off),
        "top1": share(on, lambda o: o.rank == 1),
        "top3": share(on, lambda o: o.rank is not None and o.rank <= 3),
        "mrr": round(sum(1 / o.rank for o in on if o.rank) / len(on), 4) if on else 0.0,
        "abstain_recall": share(off, lambda o: o.abstained),
        "false_abstain": share(on, lambda o: o.abstained),
        "trap_abstain": share(traps, lambda o: o.abstained, None),
        "unrelated_abstain": share(unrelated, lambda o: o.abstained, None),
        "span_hit": share(spans, lambda o: o.span_ok, None),
        "n_span": len(spans),
        "ece": expected_calibration_error([(o.confidence, o.right) for o in outcomes if not o.abstained]),
    }


def by_language(outcomes: list[Outcome]) -> dict[str, dict]:
    langs = sorted({o.language for o in outcomes})
    return {lang: metrics([o for o in outcomes if o.language == lang]) for lang in langs}
