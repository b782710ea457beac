"""The functional forms behind ``nn/sequence.py``: layer norm, embedding lookup and
scaled dot-product attention (re-exported by ``nn.functional``).

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> q = k = v = Tensor(np.eye(2))
>>> out = scaled_dot_product_attention(q, k, v, attn_mask=np.array([[0.0, -1e9], [0.0, 0.0]]))
>>> out.data.astype(float).round(2).tolist()   # a float mask is added: row 0 sees key 0 only
[[1.0, 0.0], [0.33, 0.67]]
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ..tensor.factories import default_generator, where
from ..tensor.ops import unary as U

def layer_norm(x: Tensor, normalized_shape, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` axes, then scale and shift."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x.shape[-len(shape):]) != shape:
        raise ValueError(f"layer_norm: input of shape {x.shape} does not end in normalized_shape "
                         f"{shape}")
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    centered = x - x.mean(axis=axes, keepdims=True)
    out = centered / (centered.var(axis=axes, keepdims=True, correction=0) + eps).sqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def embedding(indices, weight: Tensor) -> Tensor:
    """Rows of ``weight`` picked by integer ``indices`` (any shape)."""
    idx = indices._data if isinstance(indices, Tensor) else np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"embedding: indices must be integers, got dtype {idx.dtype}")
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise ValueError(f"embedding: index {int(idx.max() if idx.max() >= weight.shape[0] else idx.min())} "
                         f"is out of range for {weight.shape[0]} embeddings")
    return weight[idx]


def _attention_mask(mask, is_causal, t, s):
    """PyTorch's rule: a bool mask selects (True: may attend), any other is added to the
    scores. Returns (allowed or None, added or None)."""
    if mask is not None and is_causal:
        raise ValueError("scaled_dot_product_attention: give attn_mask or is_causal, not both "
                         "(as PyTorch; fold the causal mask into attn_mask)")
    if is_causal:
        return np.tril(np.ones((t, s), dtype=bool)), None
    if mask is None:
        return None, None
    if isinstance(mask, Tensor):
        return (mask._data, None) if mask.dtype == bool else (None, mask)
    mask = np.asarray(mask)
    return (mask, None) if mask.dtype == bool else (None, mask)


def scaled_dot_product_attention(q: Tensor, k: Tensor, v: Tensor, attn_mask=None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale=None,
                                 *, mask=None, return_weights: bool = False, generator=None):
    """softmax(q kᵀ · scale + mask) v over the last two axes (..., T, d), as PyTorch's.

    ``attn_mask`` (``mask`` is an older name): a boolean mask selects, True where
    attention is allowed; a float mask is added to the scores (0 keeps, -inf blocks).
    ``is_causal``: position t sees positions <= t only. ``scale`` defaults to 1/sqrt(d).
    ``dropout_p`` drops attention weights, as ``F.dropout`` does.
    """
    if q.ndim < 2 or q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(f"scaled_dot_product_attention: shapes q {q.shape}, k {k.shape}, v {v.shape} "
                         "do not fit; expected (..., T, d), (..., S, d), (..., S, dv)")
    if mask is not None and attn_mask is not None:
        raise TypeError("scaled_dot_product_attention: got attn_mask and mask; mask is the older "
                        "name, give one of them")
    if not 0.0 <= dropout_p < 1.0:
        raise ValueError(f"scaled_dot_product_attention: dropout_p must be in [0, 1), got {dropout_p}")
    allowed, added = _attention_mask(attn_mask if mask is None else mask, is_causal,
                                     q.shape[-2], k.shape[-2])
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    scores.label = "scores q kᵀ · scale"
    if allowed is not None:  # the most negative finite number: exp gives 0, and no inf to trip anomaly mode
        scores = where(allowed, scores, float(np.finfo(scores.dtype).min))
    if added is not None:
        scores = scores + added
    weights = scores.softmax(dim=-1)
    weights.label = "attention weights"
    if dropout_p:
        keep = (generator or default_generator()).random(weights.shape) >= dropout_p
        weights = U.Dropout.apply(weights, mask=keep / (1.0 - dropout_p))
    out = weights @ v
    return (out, weights) if return_weights else out
