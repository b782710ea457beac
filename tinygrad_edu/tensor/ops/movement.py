"""Ops that move or select elements: reshape, permute, expand, indexing, concat, stack, pad."""
from __future__ import annotations

import numpy as np

from ..function import Function, call, on_graph, register, unbroadcast
from ..lazy_grad import SliceGrad
from .binary import join_dtype
from .reduce import DimError


@register
class Reshape(Function):
    name, symbol, rules, saves = "reshape", "reshape", ("same values, new shape",), ()

    def forward(self, a, shape=()):
        self.in_shape = a.shape
        try:
            return a.reshape(shape)
        except ValueError:
            raise ValueError(f"reshape: cannot reshape a tensor of shape {a.shape} ({a.size} "
                             f"elements) to {tuple(shape)}; expected the same number of elements") from None

    def backward(self, node, g):
        return (g.reshape(self.in_shape),)


@register
class Permute(Function):
    name, symbol, rules, saves = "permute", "permute", ("same values, axes reordered",), ()

    def forward(self, a, axes=()):
        n = a.ndim  # axes may count from the end (-1 is the last), as in PyTorch
        if any(not -n <= ax < n for ax in axes) or sorted(ax % n for ax in axes) != list(range(n)):
            raise ValueError(f"permute: axes {tuple(axes)} are not a permutation of the "
                             f"{n} axes of shape {a.shape}")
        self.axes = tuple(int(ax) % n for ax in axes)
        return a.transpose(self.axes)

    def backward(self, node, g):
        back = tuple(int(i) for i in np.argsort(self.axes))
        return (g.permute(back) if on_graph(g) else g.transpose(back),)


@register
class Expand(Function):
    name, symbol, rules, saves = "expand", "expand", ("copies summed back",), ()

    def forward(self, a, shape=()):
        self.in_shape = a.shape
        try:
            return np.broadcast_to(a, shape)
        except ValueError:
            raise ValueError(f"expand: cannot broadcast shape {a.shape} to {tuple(shape)}; "
                             "expected each dimension to match or be 1") from None

    def backward(self, node, g):
        return (unbroadcast(g, self.in_shape),)


def _is_basic(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice)) or p is None or p is Ellipsis for p in parts)


@register
class GetItem(Function):
    """Indexing with ints, slices, None, ellipsis and integer/bool arrays.

    Backward scatters with ``np.add.at``, so an index that repeats accumulates.
    """

    name, symbol, rules, saves = "getitem", "[]", ("1 at the selected elements",), ()

    def forward(self, a, index=None):
        self.in_shape, self.dtype, self.index = a.shape, a.dtype, index
        try:
            return np.asarray(a[index])
        except IndexError as e:
            raise IndexError(f"getitem: index {index!r} does not fit shape {a.shape}: {e}") from None

    def backward(self, node, g):
        if _is_basic(self.index) and not on_graph(g):  # ints and slices never repeat
            return (SliceGrad(self.in_shape, g.dtype, self.index, g),)  # an element: stay lazy
        return (call(Scatter, g, shape=self.in_shape, index=self.index),)


@register
class Scatter(Function):
    """Indexing's gradient as an op: ``g`` added into zeros of ``shape`` at ``index`` (a
    repeated index accumulates). Its own gradient is the indexing again."""

    name, symbol, rules, saves = "scatter", "scatter", ("the upstream at the index",), ()

    def forward(self, g, shape=(), index=None):
        self.index = index
        out = np.zeros(shape, dtype=g.dtype)
        np.add.at(out, index, g)
        return out

    def backward(self, node, g):
        return (call(GetItem, g, index=self.index),)


@register
class Concat(Function):
    name, symbol, rules, saves = "concat", "concat", ("1 on its own slice",), ()

    def forward(self, *arrays, axis=0):
        if not arrays:
            raise ValueError("concat: expected at least one tensor")
        ndim = arrays[0].ndim
        if ndim == 0:
            raise ValueError("concat: cannot concatenate 0-d tensors; use stack")
        if not -ndim <= axis < ndim:
            raise DimError(f"concat: dim {axis} is out of range for tensors of shape "
                             f"{arrays[0].shape}; expected {-ndim} to {ndim - 1}")
        axis = axis % ndim
        for i, arr in enumerate(arrays):
            if arr.ndim != ndim or arr.shape[:axis] + arr.shape[axis + 1:] != \
                    arrays[0].shape[:axis] + arrays[0].shape[axis + 1:]:
                raise ValueError(f"concat: tensor {i} has shape {arr.shape}, but tensor 0 has "
                                 f"{arrays[0].shape}; expected equal shapes except on axis {axis}")
        self.axis = axis
        self.splits = np.cumsum([arr.shape[axis] for arr in arrays])[:-1]
        return join_dtype(arrays, np.concatenate(arrays, axis=axis))

    def backward(self, node, g):
        bounds = [0, *self.splits, g.shape[self.axis]]
        lead = (slice(None),) * self.axis
        parts = [g[lead + (slice(lo, hi),)] for lo, hi in zip(bounds, bounds[1:])]
        return tuple(p if need else None for p, need in zip(parts, self.needs))


@register
class Stack(Function):
    name, symbol, rules, saves = "stack", "stack", ("1 on its own slice",), ()

    def forward(self, *arrays, axis=0):
        if not arrays:
            raise ValueError("stack: expected at least one tensor")
        for i, arr in enumerate(arrays):
            if arr.shape != arrays[0].shape:
                raise ValueError(f"stack: tensor {i} has shape {arr.shape}, but tensor 0 has "
                                 f"{arrays[0].shape}; expected all shapes equal")
        if not -arrays[0].ndim - 1 <= axis <= arrays[0].ndim:
            raise DimError(f"stack: dim {axis} is out of range for tensors of shape "
                             f"{arrays[0].shape}; expected {-arrays[0].ndim - 1} to {arrays[0].ndim}")
        self.axis = axis % (arrays[0].ndim + 1)
        return join_dtype(arrays, np.stack(arrays, axis=self.axis))

    def backward(self, node, g):
        # Views, not copies: each input's gradient is its own slice of g.
        lead = (slice(None),) * self.axis
        return tuple(g[lead + (i,)] if need else None for i, need in enumerate(self.needs))


@register
class Pad(Function):
    """Constant padding; ``pad_width`` as for ``np.pad`` (one (before, after) per axis)."""

    name, symbol, rules, saves = "pad", "pad", ("1 inside, padding gets none",), ()

    def forward(self, a, pad_width=(), value=0.0):
        width = np.broadcast_to(np.asarray(pad_width, dtype=int), (a.ndim, 2)) \
            if np.ndim(pad_width) <= 1 else np.asarray(pad_width, dtype=int)
        if width.shape != (a.ndim, 2) or np.any(width < 0):
            raise ValueError(f"pad: pad_width {pad_width!r} does not fit shape {a.shape}; expected "
                             f"{a.ndim} non-negative (before, after) pairs")
        self.inner = tuple(slice(lo, lo + n) for (lo, _), n in zip(width, a.shape))
        return np.pad(a, width, constant_values=value)

    def backward(self, node, g):
        return (g[self.inner],)
