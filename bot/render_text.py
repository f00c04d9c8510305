"""Answer and Summary → console text or JSON-ready dicts (the Discord layer has its own renderer)."""

from __future__ import annotations

import textwrap

from .retrieve import Answer, Passage

ABSTAIN_TEXT = "The question is not covered by the article."


def bar(confidence: float, width: int = 10) -> str:
    """A text gauge of ``confidence`` in [0, 1]: ``██████░░░░``."""
    filled = round(max(0.0, min(1.0, confidence)) * width)
    return "█" * filled + "░" * (width - filled)


def passage_dict(p: Passage) -> dict:
    s = p.sentence
    return {
        "text": s.text, "article": s.article, "paragraph": s.paragraph, "sentence": s.number,
        "start": s.start, "end": s.end, "score": p.score,
        "context_before": [x.text for x in p.before], "context_after": [x.text for x in p.after],
    }


def answer_dict(a: Answer) -> dict:
    return {
        "question": a.question,
        "abstained": a.abstained,
        "confidence": a.confidence,
        "answer": None if a.abstained or not a.passage else passage_dict(a.passage),
        "closest": passage_dict(a.passage) if a.abstained and a.passage else None,
        "others": [passage_dict(p) for p in a.others],
        "article_title": a.article_title,
        "article_source": a.article_source,
        "signals": a.signals,
    }


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)


def answer_text(a: Answer) -> str:
    lines: list[str] = []
    if a.abstained:
        lines.append(f"{ABSTAIN_TEXT} (confidence {a.confidence:.0%})")
        if a.passage is not None and a.confidence >= 0.25:
            lines.append("Closest passage, maybe related:")
            lines.append(_wrap(f"« {a.passage.sentence.text} »"))
        return "\n".join(lines)
    p = a.passage
    assert p is not None
    s = p.sentence
    lines.append(f"Answer  {bar(a.confidence)} {a.confidence:.0%}")
    lines.append(_wrap(f"« {s.text} »"))
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
