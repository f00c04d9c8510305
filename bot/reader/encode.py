"""One reader input: ``<s> query: Q </s></s> passage: TITLE S1 S2 … </s>``, with its bookkeeping.

The question and the title are capped (``InputShape``) so that the sentences get the tokens; each
sentence is tokenised on its own, so every token belongs to one sentence and keeps its character
span there, and an answer never runs from one sentence into the next. The answer may start or
end only on a sentence token, or on ``<s>`` (position 0), which stands for "no answer here".
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.reader.tokens import Tokenizer, Tokens


@dataclass(frozen=True)
class InputShape:
    max_tokens: int = 256     # the whole input
    max_question: int = 32    # "query: " and the question
    max_title: int = 20       # "passage: " and the title
    max_sentence: int = 80    # one sentence (longer ones are cut; the answer must lie in the kept part)


@dataclass(frozen=True)
class Feature:
    """Token ids, and for each sentence read its token range [a, b); ``kept`` says which sentences of the
    input those are (the others did not fit); ``token_chars`` is each token's span in its sentence."""

    ids: tuple[int, ...]
    sentence_tokens: tuple[tuple[int, int], ...]
    kept: tuple[int, ...]
    token_chars: tuple[tuple[int, int], ...]
    start: int = 0            # training target: the answer's first and last token, 0 for none
    end: int = 0


def header(tok: Tokenizer, question: str, title: str, shape: InputShape) -> list[int]:
    q = tok.encode("query: " + question).ids[: shape.max_question]
    t = tok.encode("passage: " + title).ids[: shape.max_title]
    return [tok.bos, *q, tok.eos, tok.eos, *t]


def assemble(head: list[int], sentences: list[tuple[int, Tokens]], eos: int) -> Feature:
    """``head`` then the sentences' tokens (each ``(index in the input, its tokens)``), then ``</s>``."""
    ids, ranges, chars = list(head), [], [(0, 0)] * len(head)
    for _, toks in sentences:
        ranges.append((len(ids), len(ids) + len(toks)))
        ids.extend(toks.ids)
        chars.extend(toks.spans)
    ids.append(eos)
    chars.append((0, 0))
    return Feature(tuple(ids), tuple(ranges), tuple(i for i, _ in sentences), tuple(chars))


def answer_tokens(toks: Tokens, start: int, end: int) -> tuple[int, int] | None:
    """First and last token (inclusive) covering characters [start, end) of a sentence."""
    inside = [i for i, (a, b) in enumerate(toks.spans) if b > a and b > start and a < end]
    return (inside[0], inside[-1]) if inside else None


def encode_example(tok: Tokenizer, question: str, title: str, sentences: tuple[str, ...],
                   answer: tuple[int, int, int] | None, shape: InputShape) -> Feature | None:
    """A training (or held-out) input: sentences that do not fit are dropped farthest from the answer
    first (from the end when there is none). None when the answer itself does not fit."""
    head = header(tok, question, title, shape)
    toks = [Tokens(t.ids[: shape.max_sentence], t.spans[: shape.max_sentence])
            for t in (tok.encode(s) for s in sentences)]
    anchor = answer[0] if answer else 0
    order = sorted(range(len(toks)), key=lambda i: (abs(i - anchor), i))
    room, kept = shape.max_tokens - len(head) - 1, []
    for i in order:
        if len(toks[i]) <= room:
            kept.append(i)
            room -= len(toks[i])
    kept.sort()
    if not kept or (answer is not None and answer[0] not in kept):
        return None
    f = assemble(head, [(i, toks[i]) for i in kept], tok.eos)
    if answer is None:
        return f
    where = answer_tokens(toks[answer[0]], answer[1], answer[2])
    if where is None:
        return None
    first = f.sentence_tokens[kept.index(answer[0])][0]
    return Feature(f.ids, f.sentence_tokens, f.kept, f.token_chars, first + where[0], first + where[1])
