"""The reductions of ``Tensor``, with PyTorch's keywords and defaults: ``dim`` (an int,
negative counting from the end, or a tuple) and ``keepdim``; numpy's ``axis`` and
``keepdims`` are accepted as aliases (giving both spellings is an error).

``max(dim)`` and ``min(dim)`` return a (values, indices) pair, as PyTorch does; with no
dim (or numpy's ``axis=``) they return the extreme itself.

>>> from tinygrad_edu import Tensor
>>> x = Tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
>>> x.sum(dim=1, keepdim=True).shape, x.mean(0).tolist(), x.max().item()
((2, 1), [4.0, 2.5, 2.5], 7.0)
>>> values, indices = x.max(dim=1)
>>> values.tolist(), indices.tolist(), x.argmin(dim=1).tolist()
([5.0, 7.0], [1, 0], [0, 1])
"""
from __future__ import annotations

import collections

import numpy as np

from .ops import binary as B, reduce as R, softmax as S

# Named as PyTorch's (torch.return_types.max prints as max(values=..., indices=...)).
max_result = collections.namedtuple("max", ["values", "indices"])  # type: ignore[name-match]
min_result = collections.namedtuple("min", ["values", "indices"])  # type: ignore[name-match]


def aliases(op, dim, axis, keepdim=False, keepdims=None):
    """PyTorch's ``dim``/``keepdim`` from whichever spelling was given; both is an error."""
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{op}: got dim={dim!r} and axis={axis!r}; axis is numpy's name "
                            "for dim, give one of them")
        dim = axis
    if keepdims is not None:
        if keepdim:
            raise TypeError(f"{op}: got keepdim and keepdims; keepdims is numpy's name for "
                            "keepdim, give one of them")
        keepdim = keepdims
    return dim, keepdim


def need_float(op: str, t) -> None:
    """Refuse integers and bools where PyTorch does (numpy would average them in float64)."""
    if t._data.dtype.kind != "f":
        raise TypeError(f"{op}: expected a floating-point tensor, got dtype {t._data.dtype} "
                        f"(PyTorch refuses it too); convert first, e.g. x.float().{op}()")


def one_dim(op: str, dim, ndim: int) -> int:
    """A single dim as a non-negative axis (0 for a 0-d tensor, which takes 0 or -1)."""
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"{op}: expected one dim (an int), got {dim!r}")
    axes = R.normalize_axes(dim, ndim, op)
    return axes[0] if axes else 0


def _root(total, k):
    """``total ** k`` with PyTorch's subgradient 0 where ``total`` is 0 (a norm of zeros
    backpropagates 0, not 0 * inf = nan)."""
    positive = total._data > 0
    if positive.all():
        return total.sqrt() if k == 0.5 else total ** k
    one, zero = total._make(np.ones((), total.dtype)), total._make(np.zeros((), total.dtype))
    return B.Where.apply(B.Where.apply(total, one, cond=positive) ** k, zero, cond=positive)


class ReductionMethods:
    """Mixed into ``Tensor`` (through ``TensorMethods``)."""

    __slots__ = ()

    def sum(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The sum over ``dim`` (all elements when None), keeping the axes with ``keepdim``."""
        if axis is not None or keepdims is not None:
            dim, keepdim = aliases("sum", dim, axis, keepdim, keepdims)
        return R.Sum.apply(self, axis=dim, keepdims=keepdim)

    def mean(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The mean over ``dim`` (all elements when None)."""
        if axis is not None or keepdims is not None:
            dim, keepdim = aliases("mean", dim, axis, keepdim, keepdims)
        if self._data.dtype.kind != "f":
            need_float("mean", self)
        return R.Mean.apply(self, axis=dim, keepdims=keepdim)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
            keepdims=None):
        """Variance; ``correction=1`` (PyTorch's default) divides by n - 1."""
        return self._spread(R.Var, dim, unbiased, keepdim, correction, axis, keepdims)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
            keepdims=None):
        """Standard deviation: the square root of ``var`` (same arguments); its gradient
        is 0 where it is 0 (constant values), as PyTorch's."""
        return self._spread(R.Std, dim, unbiased, keepdim, correction, axis, keepdims)

    def _spread(self, op, dim, unbiased, keepdim, correction, axis, keepdims):
        """var or std with PyTorch's arguments (``unbiased`` or ``correction``)."""
        dim, keepdim = aliases(op.name, dim, axis, keepdim, keepdims)
        need_float(op.name, self)
        if unbiased is not None and correction is not None:
            raise TypeError(f"{op.name}: got unbiased and correction; give one of them")
        correction = (1 if unbiased is None else int(bool(unbiased))) if correction is None \
            else correction
        return op.apply(self, axis=dim, keepdims=keepdim, correction=correction)

    def _extreme(self, op, fn, pick, result, dim, keepdim, axis, keepdims):
        if axis is not None or keepdims is not None:  # numpy's spelling: the extreme itself
            dim, keepdim = aliases(op, dim, axis, keepdim, keepdims)
            return fn.apply(self, axis=dim, keepdims=keepdim)
        if dim is None:
            return fn.apply(self)
        if isinstance(dim, ReductionMethods):  # x.max(other): the elementwise maximum
            return self.maximum(dim) if op == "max" else self.minimum(dim)
        axis = one_dim(op, dim, self.ndim)
        if self._data.size == 0:
            raise IndexError(f"{op}: cannot reduce dim {dim} of an empty tensor of shape {self.shape}")
        index = pick(self._data, axis=axis, keepdims=True) if self.ndim else np.zeros((), np.int64)
        values = self.gather(axis, index) if self.ndim else self + 0
        if not keepdim and self.ndim:
            values, index = values.squeeze(axis), index.squeeze(axis)
        return result(values, self._make(index.astype(np.int64)))

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The max; with a dim, (values, indices) along it (the gradient goes to the
        picked element, as PyTorch's). ``amax`` shares it among ties instead."""
        return self._extreme("max", R.Max, np.argmax, max_result, dim, keepdim, axis, keepdims)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The minimum; with ``dim``, the pair (values, indices) as PyTorch."""
        return self._extreme("min", R.Min, np.argmin, min_result, dim, keepdim, axis, keepdims)

    def amax(self, dim=None, keepdim=False):
        """The maximum over ``dim`` (values only; ties share the gradient)."""
        return R.Max.apply(self, axis=dim, keepdims=keepdim)

    def amin(self, dim=None, keepdim=False):
        """The minimum over ``dim`` (values only)."""
        return R.Min.apply(self, axis=dim, keepdims=keepdim)

    def _arg(self, op, fn, dim, keepdim, axis, keepdims):
        dim, keepdim = aliases(op, dim, axis, keepdim, keepdims)
        if self._data.size == 0:
            raise IndexError(f"{op}: cannot take the {op} of an empty tensor of shape {self.shape}")
        if dim is None:
            index = fn(self._data)
            return self._make(np.asarray(index, dtype=np.int64).reshape((1,) * self.ndim if keepdim else ()))
        axis = one_dim(op, dim, self.ndim)
        index = fn(self._data, axis=axis, keepdims=keepdim) if self.ndim else np.zeros((), np.int64)
        return self._make(np.asarray(index, dtype=np.int64))

    def argmax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The index of the maximum along ``dim`` (of the flattened tensor when None)."""
        return self._arg("argmax", np.argmax, dim, keepdim, axis, keepdims)

    def argmin(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The index of the minimum along ``dim``."""
        return self._arg("argmin", np.argmin, dim, keepdim, axis, keepdims)

    def logsumexp(self, dim, keepdim=False):
        """log(sum(exp(x))) over ``dim``, computed stably: the max is taken out first."""
        axes = R.normalize_axes(dim, self.ndim, "logsumexp")
        top = self._data.max(axis=axes, keepdims=True) if self._data.size else np.zeros(())
        top = self._make(np.where(np.isfinite(top), top, 0).astype(self._data.dtype))
        out = (self - top).exp().sum(axes, keepdim=True).log() + top
        return out if keepdim or not self.ndim else out.squeeze(axes)

    def cumsum(self, dim=None, *, axis=None):
        """Running sums along ``dim``."""
        dim, _ = aliases("cumsum", dim, axis)
        if dim is None:
            raise TypeError("cumsum: expected a dim (the axis to sum along)")
        return R.CumSum.apply(self, axis=one_dim("cumsum", dim, self.ndim))

    def norm(self, p="fro", dim=None, keepdim=False):
        """The p-norm over ``dim`` (all elements when None): 'fro' and 2 are the square
        root of the sum of squares; inf and -inf the largest and smallest magnitude."""
        if p in ("fro", 2, 2.0):
            return _root((self * self).sum(dim, keepdim), 0.5)
        if p in (1, 1.0):
            return self.abs().sum(dim, keepdim)
        if p == float("inf"):
            return self.abs().amax(dim, keepdim)
        if p == float("-inf"):
            return self.abs().amin(dim, keepdim)
        if isinstance(p, (int, float)) and not isinstance(p, bool) and p > 0:
            return _root((self.abs() ** p).sum(dim, keepdim), 1.0 / p)
        raise ValueError(f"norm: p={p!r} is not supported; expected 'fro', inf, -inf or a "
                         "number > 0")

    # -- softmax family -----------------------------------------------------------------
    def softmax(self, dim=-1, *, axis=None):
        """exp(self) / its sum along ``dim``: probabilities that sum to 1."""
        if axis is not None:
            dim, _ = aliases("softmax", None if dim == -1 else dim, axis)
        return S.Softmax.apply(self, axis=dim)

    def log_softmax(self, dim=-1, *, axis=None):
        """log(softmax(self, dim)), computed without overflow."""
        if axis is not None:
            dim, _ = aliases("log_softmax", None if dim == -1 else dim, axis)
        return S.LogSoftmax.apply(self, axis=dim)
