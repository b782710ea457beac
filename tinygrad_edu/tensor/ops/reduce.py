"""Reductions over any axes, with keepdims: sum, mean, max, min, var, std; and the running
sum (cumsum), whose gradient is a running sum taken from the other end.

max and min split the gradient evenly among tied elements (so for [2, 2] each gets
half), which keeps sum(grad) equal to the upstream gradient.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..function import Function, call, on_graph, register


class DimError(IndexError, ValueError):
    """A dim out of range: an IndexError, as PyTorch raises, and a ValueError, as this
    library raised before following PyTorch."""


def normalize_axes(axis, ndim: int, op: str) -> tuple:
    """``axis`` (None, int or tuple) as a sorted tuple of non-negative axes. A 0-d tensor
    takes dim 0 or -1 and has nothing to reduce over, as in PyTorch."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for ax in axes:
        if isinstance(ax, (bool, np.bool_)) or not isinstance(ax, (int, np.integer)):
            raise TypeError(f"{op}: dim must be an int or a tuple of ints, got {axis!r}")
        if not -max(ndim, 1) <= ax < max(ndim, 1):
            raise DimError(f"{op}: dim {ax} is out of range for a tensor with {ndim} "
                             f"dimensions; expected {-max(ndim, 1)} to {max(ndim, 1) - 1}")
        out.append(int(ax) % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated dim in {axis}")
    return tuple(sorted(out)) if ndim else ()


def _expand_back(g, in_shape, axes, keepdims):
    """Reshape a reduced gradient so it broadcasts against the input again."""
    if not keepdims:
        shape = list(in_shape)
        for ax in axes:
            shape[ax] = 1
        g = g.reshape(shape)
    return g


def _broadcast_back(g, shape):
    return g.expand(shape) if on_graph(g) else np.broadcast_to(g, shape)


@register
class Sum(Function):
    name, symbol, rules, saves = "sum", "sum", ("1",), ()

    def forward(self, a, axis=None, keepdims=False):
        self.axes = normalize_axes(axis, a.ndim, "sum")
        self.in_shape, self.keepdims = a.shape, keepdims
        return np.asarray(a.sum(axis=self.axes, keepdims=keepdims))

    def backward(self, node, g):
        g = _expand_back(g, self.in_shape, self.axes, self.keepdims)
        return (_broadcast_back(g, self.in_shape),)


@register
class Mean(Function):
    name, symbol, rules, saves = "mean", "mean", ("1/n",), ()

    def forward(self, a, axis=None, keepdims=False):
        self.axes = normalize_axes(axis, a.ndim, "mean")
        self.in_shape, self.keepdims = a.shape, keepdims
        self.count = int(np.prod([a.shape[ax] for ax in self.axes]))
        if self.count == 0:
            raise ValueError(f"mean: cannot average over an empty axis of shape {a.shape}")
        return np.asarray(a.mean(axis=self.axes, keepdims=keepdims))

    def backward(self, node, g):
        g = _expand_back(g, self.in_shape, self.axes, self.keepdims) / self.count
        return (_broadcast_back(g, self.in_shape),)


class _Extreme(Function):
    reducer: Callable[..., Any]  # np.max or np.min

    def forward(self, a, axis=None, keepdims=False):
        self.axes = normalize_axes(axis, a.ndim, self.name)
        if a.size == 0:
            raise ValueError(f"{self.name}: cannot reduce an empty tensor of shape {a.shape}")
        self.a, self.keepdims = a, keepdims
        return np.asarray(self.reducer(a, axis=self.axes, keepdims=keepdims))

    def _weights(self, out):
        full = _expand_back(out, self.a.shape, self.axes, self.keepdims)
        hit = (self.a == full)
        return hit / hit.sum(axis=self.axes, keepdims=True)  # ties share evenly

    def backward(self, node, g):
        g = _expand_back(g, self.a.shape, self.axes, self.keepdims)
        return (g * self._weights(node._data),)


@register
class Max(_Extreme):
    name, symbol, rules = "max", "max", ("1 at the max (shared among ties)",)
    reducer = staticmethod(np.max)


@register
class Min(_Extreme):
    name, symbol, rules = "min", "min", ("1 at the min (shared among ties)",)
    reducer = staticmethod(np.min)


@register
class Var(Function):
    """Variance with ``correction`` (1: unbiased, as torch.var's default; 0: population)."""

    name, symbol, rules = "var", "var", ("2·({a} - mean)/(n - correction)",)

    def forward(self, a, axis=None, keepdims=False, correction=1):
        self.axes = normalize_axes(axis, a.ndim, self.name)
        n = int(np.prod([a.shape[ax] for ax in self.axes]))
        if n - correction <= 0:
            raise ValueError(f"{self.name}: {n} elements over axes {self.axes} of shape {a.shape} are too "
                             f"few for correction={correction}")
        self.centered = a - a.mean(axis=self.axes, keepdims=True)
        self.divisor, self.keepdims, self.in_shape = n - correction, keepdims, a.shape
        return np.asarray((self.centered ** 2).sum(axis=self.axes, keepdims=keepdims) / self.divisor)

    def backward(self, node, g):
        g = _expand_back(g, self.in_shape, self.axes, self.keepdims)
        centered = self.centered
        if on_graph(g):
            a = node._parents[0]
            centered = a - a.mean(axis=self.axes, keepdims=True)
        return (g * (2.0 / self.divisor) * centered,)



@register
class Std(Var):
    """Standard deviation, sqrt(var). Where it is 0 (every value the same) its gradient
    is 0, as PyTorch's, not the 0/0 = nan that sqrt's derivative gives var's zeros."""

    name, symbol, rules = "std", "std", ("({a} - mean)/((n - correction)·std)",)

    def forward(self, a, axis=None, keepdims=False, correction=1):
        return np.sqrt(super().forward(a, axis, keepdims, correction))

    def backward(self, node, g):
        std = node if on_graph(g) else node._data
        zero = node._data == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            half = g / (std * 2)          # d sqrt(v)/dv = 1 / (2 std)
        half = half.masked_fill(zero, 0.0) if on_graph(g) else np.where(zero, 0, half)
        return super().backward(node, half)

@register
class CumSum(Function):
    """Running sum along ``axis``: out[i] = a[0] + ... + a[i]. Element a[j] reaches every
    out[i] with i >= j, so its gradient is the upstream summed from the far end."""

    name, symbol, rules, saves = "cumsum", "cumsum", ("upstream summed from the end",), ()

    def forward(self, a, axis=0):
        self.axis, = normalize_axes(axis, a.ndim, "cumsum") or (0,)
        return np.cumsum(a, axis=self.axis) if a.ndim else a.copy()

    def backward(self, node, g):
        if g.ndim == 0:
            return (g,)
        flip = (slice(None),) * self.axis + (slice(None, None, -1),)
        return (call(CumSum, g[flip], axis=self.axis)[flip],)
