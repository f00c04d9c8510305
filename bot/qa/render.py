"""Answer and Summary → console text or JSON-ready dicts (the Discord layer has its own renderer)."""

from __future__ import annotations

import textwrap

from bot.confidence.tiers import Tier
from bot.qa.answer import Answer
from bot.retrieval.values import Passage

ABSTAIN_TEXT = "The question is not covered by the article."
UNSURE_TEXT = "The article may not say this exactly — closest passage:"
#: Below this confidence a "not covered" reply shows no closest passage (the console and Discord).
CLOSEST_MIN = 0.25


def bar(confidence: float, width: int = 10) -> str:
    """A text gauge of ``confidence`` in [0, 1]: ``██████░░░░``."""
    filled = round(max(0.0, min(1.0, confidence)) * width)
    return "█" * filled + "░" * (width - filled)


def passage_dict(p: Passage) -> dict:
    s = p.sentence
    return {
        "id": s.id, "text": s.text, "article": s.article, "paragraph": s.paragraph, "sentence": s.number,
        "start": s.start, "end": s.end, "score": p.score,
        "context_before": [x.text for x in p.before], "context_after": [x.text for x in p.after],
    }


def answer_dict(a: Answer) -> dict:
    return {
        "question": a.question,
        "tier": str(a.tier),
        "abstained": a.abstained,
        "confidence": a.confidence,
        "coverage": a.coverage,
        "answer": None if a.abstained or not a.passage else dict(passage_dict(a.passage), span=a.span),
        "closest": passage_dict(a.passage) if a.abstained and a.passage else None,
        "others": [passage_dict(p) for p in a.others],
        "article_title": a.article_title,
        "article_source": a.article_source,
        "expected": a.expected,
        "evidence": a.evidence.features() if a.evidence else None,
    }


def emphasised(a: Answer, start: str = "\033[1m", end: str = "\033[0m") -> str:
    """The first passage's sentence with its answer span between ``start`` and ``end``."""
    text = a.passage.sentence.text if a.passage else ""
    if a.span is None:
        return text
    i, j = a.span
    return f"{text[:i]}{start}{text[i:j]}{end}{text[j:]}"


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)


def answer_text(a: Answer, bold: tuple[str, str] = ("*", "*")) -> str:
    """The console's reply; the answer span between ``bold`` marks (ANSI bold on a terminal)."""
    lines: list[str] = []
    if a.tier is Tier.NOT_COVERED:
        lines.append(ABSTAIN_TEXT)
        if a.passage is not None and (a.coverage or 0.0) >= CLOSEST_MIN:
            lines.append("Closest passage, maybe related:")
            lines.append(_wrap(f"« {a.passage.sentence.text} »"))
        return "\n".join(lines)
    p = a.passage
    assert p is not None
    s = p.sentence
    if a.tier is Tier.UNSURE:
        lines.append(f"{UNSURE_TEXT}  {bar(a.confidence)} {a.confidence:.0%}")
    else:
        lines.append(f"Answer  {bar(a.confidence)} {a.confidence:.0%}")
    lines.append(_wrap(f"« {emphasised(a, *bold)} »"))
    if p.before or p.after:
        context = " ".join([x.text for x in p.before] + [f"[{s.text}]"] + [x.text for x in p.after])
        lines.append("Context:")
        lines.append(_wrap(context, "    "))
    source = f" — {a.article_source}" if a.article_source else ""
    lines.append(f"  {s.article} · {p.position} · {a.article_title}{source}")
    if a.others:
        lines.append("Other passages:")
        for i, o in enumerate(a.others[:2], start=2):
            lines.append(_wrap(f"{i}. « {o.sentence.text} » ({o.position})"))
    return "\n".join(lines)
