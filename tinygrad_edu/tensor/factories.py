"""Tensor factories and the seedable random generator they share.

>>> manual_seed(0)
>>> randn(2, 3).shape
(2, 3)
>>> arange(4).tolist()
[0, 1, 2, 3]
"""
from __future__ import annotations

import numbers

import numpy as np

from .function import Function
from .ops import binary as B, movement as M
from .rng import default_generator, manual_seed, seeded_generator  # noqa: F401 (re-exported)
from .tensor import Tensor

def _shape(shape, op: str) -> tuple:
    """``zeros(2, 3)`` and ``zeros((2, 3))`` alike; refused unless whole numbers >= 0."""
    shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
    for n in shape:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 0:
            raise ValueError(f"{op}: sizes must be whole numbers >= 0, got {shape}")
    return shape


def zeros(*shape, dtype=np.float32, requires_grad=False) -> Tensor:
    return Tensor(np.zeros(_shape(shape, "zeros"), dtype=dtype), requires_grad=requires_grad)


def ones(*shape, dtype=np.float32, requires_grad=False) -> Tensor:
    return Tensor(np.ones(_shape(shape, "ones"), dtype=dtype), requires_grad=requires_grad)


def randn(*shape, dtype=np.float32, requires_grad=False, generator=None) -> Tensor:
    rng = generator or default_generator()
    values = rng.standard_normal(_shape(shape, "randn"))
    return Tensor(values.astype(dtype), requires_grad=requires_grad)


def uniform(*shape, low=0.0, high=1.0, dtype=np.float32, requires_grad=False,
            generator=None) -> Tensor:
    rng = generator or default_generator()
    values = rng.uniform(low, high, _shape(shape, "uniform"))
    return Tensor(values.astype(dtype), requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None) -> Tensor:
    return Tensor(np.arange(start, stop, step) if stop is not None else np.arange(start),
                  dtype=dtype)


def eye(n: int, m: int | None = None, dtype=np.float32, requires_grad=False) -> Tensor:
    return Tensor(np.eye(n, m, dtype=dtype), requires_grad=requires_grad)


def concat(tensors, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis (``torch.cat``)."""
    return M.Concat.apply(*tensors, axis=axis)


cat = concat


def stack(tensors, axis: int = 0) -> Tensor:
    """Join equal-shaped tensors along a new axis."""
    return M.Stack.apply(*tensors, axis=axis)


def where(condition, a, b) -> Tensor:
    """``a`` where ``condition`` holds, else ``b`` (the condition gets no gradient)."""
    like = a if isinstance(a, Tensor) else (b if isinstance(b, Tensor) else Tensor(0.0))
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    return B.Where.apply(like._lift(a), like._lift(b), cond=cond)


def maximum(a, b) -> Tensor:
    return a.maximum(b) if isinstance(a, Tensor) else b.maximum(a)


__all__ = ["manual_seed", "zeros", "ones", "randn", "uniform", "arange", "eye", "concat",
           "cat", "stack", "where", "maximum", "Function"]
