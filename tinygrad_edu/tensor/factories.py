"""Tensor factories and the seedable random generator they share.

>>> manual_seed(0)
>>> randn(2, 3).shape
(2, 3)
>>> arange(4).tolist(), full((2,), 7.0).tolist(), zeros_like(randn(3)).shape
([0, 1, 2, 3], [7.0, 7.0], (3,))
>>> linspace(0, 1, 5).tolist()
[0.0, 0.25, 0.5, 0.75, 1.0]
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
    return Tensor(np.zeros(_shape(shape, "zeros"), dtype=dtype), requires_grad, dtype)


def ones(*shape, dtype=np.float32, requires_grad=False) -> Tensor:
    return Tensor(np.ones(_shape(shape, "ones"), dtype=dtype), requires_grad, dtype)


def randn(*shape, dtype=np.float32, requires_grad=False, generator=None) -> Tensor:
    rng = generator or default_generator()
    values = rng.standard_normal(_shape(shape, "randn"))
    return Tensor(values, requires_grad, dtype)


def uniform(*shape, low=0.0, high=1.0, dtype=np.float32, requires_grad=False,
            generator=None) -> Tensor:
    rng = generator or default_generator()
    values = rng.uniform(low, high, _shape(shape, "uniform"))
    return Tensor(values, requires_grad, dtype)


def arange(start, end=None, step=1, dtype=None, requires_grad=False) -> Tensor:
    """start, start + step, ... below ``end`` (from 0 to ``start`` when only one is
    given); whole numbers give int64, any float gives float32, as in PyTorch."""
    if step == 0:
        raise ValueError("arange: step must not be 0")
    values = np.arange(start, end, step) if end is not None else np.arange(start)
    return Tensor(values, dtype=dtype, requires_grad=requires_grad)


def linspace(start, end, steps: int, dtype=np.float32, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"linspace: steps must be a whole number >= 0, got {steps!r}")
    return Tensor(np.linspace(start, end, steps), dtype=dtype, requires_grad=requires_grad)


def _fill_dtype(value):
    """PyTorch's dtype for a fill value: bool, int64 or the default float32."""
    if isinstance(value, (bool, np.bool_)):
        return np.bool_
    return np.int64 if isinstance(value, numbers.Integral) else np.float32


def full(size, fill_value, dtype=None, requires_grad=False) -> Tensor:
    shape = _shape(size if isinstance(size, (tuple, list)) else (size,), "full")
    dtype = dtype or _fill_dtype(fill_value)
    return Tensor(np.full(shape, fill_value, dtype=dtype), dtype=dtype, requires_grad=requires_grad)


def _like(op, t, value, dtype, requires_grad) -> Tensor:
    if not isinstance(t, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(t).__name__}")
    dtype = dtype or t.dtype
    return Tensor(np.full(t.shape, value, dtype=dtype), dtype=dtype, requires_grad=requires_grad)


def zeros_like(t, dtype=None, requires_grad=False) -> Tensor:
    return _like("zeros_like", t, 0, dtype, requires_grad)


def ones_like(t, dtype=None, requires_grad=False) -> Tensor:
    return _like("ones_like", t, 1, dtype, requires_grad)


def full_like(t, fill_value, dtype=None, requires_grad=False) -> Tensor:
    return _like("full_like", t, fill_value, dtype, requires_grad)


def eye(n: int, m: int | None = None, dtype=np.float32, requires_grad=False) -> Tensor:
    return Tensor(np.eye(n, m, dtype=dtype), requires_grad, dtype)


def _dim(op, dim, axis) -> int:
    if axis is not None and dim is not None:
        raise TypeError(f"{op}: got dim={dim!r} and axis={axis!r}; axis is numpy's name for "
                        "dim, give one of them")
    return dim if axis is None else axis


def concat(tensors, dim=None, *, axis=None) -> Tensor:
    """Join tensors along an existing dim (``torch.cat``; default 0)."""
    return M.Concat.apply(*tensors, axis=_dim("cat", dim, axis) or 0)


cat = concat


def stack(tensors, dim=None, *, axis=None) -> Tensor:
    """Join equal-shaped tensors along a new dim (default 0)."""
    return M.Stack.apply(*tensors, axis=_dim("stack", dim, axis) or 0)


def where(condition, a, b) -> Tensor:
    """``a`` where ``condition`` holds, else ``b`` (the condition gets no gradient)."""
    like = a if isinstance(a, Tensor) else (b if isinstance(b, Tensor) else Tensor(0.0))
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    return B.Where.apply(like._lift(a), like._lift(b), cond=cond)


def maximum(a, b) -> Tensor:
    return a.maximum(b) if isinstance(a, Tensor) else b.maximum(a)


def minimum(a, b) -> Tensor:
    return a.minimum(b) if isinstance(a, Tensor) else b.minimum(a)


__all__ = ["manual_seed", "zeros", "ones", "randn", "uniform", "arange", "linspace", "full",
           "zeros_like", "ones_like", "full_like", "eye", "concat", "cat", "stack",
           "where", "maximum", "minimum", "Function"]
