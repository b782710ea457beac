"""Embedding, LayerNorm and multi-head attention: enough for a tiny transformer block.

>>> import numpy as np
>>> from tinygrad_edu import Tensor, manual_seed
>>> manual_seed(0)
>>> mha = MultiheadAttention(8, 2, batch_first=True)
>>> x = Tensor(np.ones((3, 5, 8)))
>>> out, weights = mha(x, x, x, is_causal=True)
>>> out.shape, weights.shape
((3, 5, 8), (3, 5, 5))
"""
from __future__ import annotations


import numpy as np

from . import functional as F
from . import init
from .layers import Linear
from .module import Module, Parameter


class Embedding(Module):
    """A lookup table: integer indices (any shape) -> rows of ``weight`` (N(0, 1) init)."""

    def __init__(self, num_embeddings: int, embedding_dim: int):
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.weight = init.normal_(Parameter(np.zeros((num_embeddings, embedding_dim)),
                                             dtype=np.float32))

    def forward(self, indices):
        return F.embedding(indices, self.weight)


class LayerNorm(Module):
    """Normalise over the last axes, then a learned scale (ones) and shift (zeros)."""

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True):
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) \
            else tuple(normalized_shape)
        self.eps = eps
        self.weight = self.bias = None
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape), dtype=np.float32)
            self.bias = Parameter(np.zeros(self.normalized_shape), dtype=np.float32)

    def forward(self, x):
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)


class MultiheadAttention(Module):
    """PyTorch's layout: ``in_proj_weight`` (3E, E) and ``in_proj_bias`` for q, k, v, and
    ``out_proj``. Inputs (T, B, E) as PyTorch's default, or (B, T, E) with
    ``batch_first=True``; returns (output in the inputs' layout, attention weights
    averaged over heads (B, T, S)). ``attn_mask`` as PyTorch's: bool True blocks a
    position, a float mask is added to the scores; ``is_causal`` alone builds the causal
    mask."""

    def __init__(self, embed_dim: int, num_heads: int, bias: bool = True,
                 batch_first: bool = False):
        if embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim {embed_dim} is not divisible by "
                             f"num_heads {num_heads}")
        self.embed_dim, self.num_heads, self.batch_first = embed_dim, num_heads, batch_first
        self.in_proj_weight = init.xavier_uniform_(Parameter(np.zeros((3 * embed_dim, embed_dim)),
                                                             dtype=np.float32))
        self.in_proj_bias = Parameter(np.zeros(3 * embed_dim), dtype=np.float32) if bias else None
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias)
        if bias:
            self.out_proj.bias.data = np.zeros(embed_dim, dtype=np.float32)

    def _heads(self, x):
        b, t, _ = x.shape
        d = self.embed_dim // self.num_heads
        return x.reshape(b, t, self.num_heads, d).permute(0, 2, 1, 3)   # (B, heads, T, d)

    def _mask(self, attn_mask, batch):
        """PyTorch's nn.MultiheadAttention mask, as F.scaled_dot_product_attention takes it:
        a bool mask here is True where attention is NOT allowed (the opposite of F's), a
        float mask is added; (T, S) or (B·heads, T, S)."""
        if attn_mask is None:
            return None
        m = attn_mask._data if hasattr(attn_mask, "_data") else np.asarray(attn_mask)
        if m.ndim == 3:
            m = m.reshape(batch, self.num_heads, *m.shape[1:])
        elif m.ndim != 2:
            raise ValueError(f"MultiheadAttention: attn_mask of shape {m.shape}; expected (T, S) "
                             "or (batch * num_heads, T, S)")
        return ~m if m.dtype == bool else m

    def forward(self, query, key, value, attn_mask=None, is_causal: bool = False,
                need_weights: bool = True):
        E = self.embed_dim
        for name, x in (("query", query), ("key", key), ("value", value)):
            if x.ndim != 3 or x.shape[-1] != E:
                layout = "(B, T, " if self.batch_first else "(T, B, "
                raise ValueError(f"MultiheadAttention: {name} has shape {x.shape}; expected "
                                 f"{layout}{E}) (batch_first={self.batch_first})")
        if not self.batch_first:  # PyTorch's default layout: sequence first
            query, key, value = (x.transpose(0, 1) for x in (query, key, value))
        w, b = self.in_proj_weight, self.in_proj_bias
        q = F.linear(query, w[:E], None if b is None else b[:E])
        k = F.linear(key, w[E:2 * E], None if b is None else b[E:2 * E])
        v = F.linear(value, w[2 * E:], None if b is None else b[2 * E:])
        out, weights = F.scaled_dot_product_attention(self._heads(q), self._heads(k), self._heads(v),
                                                      self._mask(attn_mask, query.shape[0]),
                                                      is_causal=is_causal and attn_mask is None,
                                                      return_weights=True)
        bsz, t = query.shape[0], query.shape[1]
        out = self.out_proj(out.permute(0, 2, 1, 3).reshape(bsz, t, E))
        if not self.batch_first:
            out = out.transpose(0, 1)
        return (out, weights.mean(axis=1)) if need_weights else (out, None)
