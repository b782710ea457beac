"""The op methods of ``Tensor`` (arithmetic, functions, reductions, shapes, indexing),
each a one-line call of its op's ``apply``; the ops live in ``tensor/ops/``.

>>> from tinygrad_edu import Tensor
>>> x = Tensor([[1.0, -2.0], [3.0, 4.0]])
>>> (x.relu() * 2).sum(axis=0).tolist(), x.T.shape, x[1].tolist()
([8.0, 8.0], (2, 2), [3.0, 4.0])
"""
from __future__ import annotations

import numbers

import numpy as np

from .ops import binary as B, linalg as L, movement as M, reduce as R, softmax as S, unary as U


class TensorMethods:
    """Mixed into ``Tensor``: every method builds its result with one op's ``apply``."""

    __slots__ = ()

    # -- arithmetic ---------------------------------------------------------------
    def __add__(self, other):
        return B.Add.apply(self, self._lift(other))

    def __radd__(self, other):
        return B.Add.apply(self._lift(other), self)

    def __sub__(self, other):
        return B.Sub.apply(self, self._lift(other))

    def __rsub__(self, other):
        return B.Sub.apply(self._lift(other), self)

    def __mul__(self, other):
        return B.Mul.apply(self, self._lift(other))

    def __rmul__(self, other):
        return B.Mul.apply(self._lift(other), self)

    def __truediv__(self, other):
        return B.Div.apply(self, self._lift(other))

    def __rtruediv__(self, other):
        return B.Div.apply(self._lift(other), self)

    def __pow__(self, exponent):
        if isinstance(exponent, numbers.Number):
            return B.PowScalar.apply(self, k=exponent)
        return B.Pow.apply(self, self._lift(exponent))

    def __rpow__(self, base):
        return B.Pow.apply(self._lift(base), self)

    def __neg__(self):
        return U.Neg.apply(self)

    def __matmul__(self, other):
        return L.MatMul.apply(self, self._lift(other))

    def __rmatmul__(self, other):
        return L.MatMul.apply(self._lift(other), self)

    # -- comparisons (no gradient) ------------------------------------------------
    def _compare(self, other, fn):
        other = other._data if isinstance(other, TensorMethods) else other
        return self._make(fn(self._data, other))

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    __hash__ = object.__hash__

    # -- elementwise functions ----------------------------------------------------
    def exp(self):
        return U.Exp.apply(self)

    def log(self):
        return U.Log.apply(self)

    def sqrt(self):
        return U.Sqrt.apply(self)

    def abs(self):
        return U.Abs.apply(self)

    def relu(self):
        return U.ReLU.apply(self)

    def leaky_relu(self, negative_slope: float = 0.01):
        return U.LeakyReLU.apply(self, slope=negative_slope)

    def tanh(self):
        return U.Tanh.apply(self)

    def sigmoid(self):
        return U.Sigmoid.apply(self)

    def clip(self, min=None, max=None):  # noqa: A002 - PyTorch's names
        return U.Clip.apply(self, low=min, high=max)

    clamp = clip

    def maximum(self, other):
        return B.Maximum.apply(self, self._lift(other))

    # -- reductions -----------------------------------------------------------------
    def sum(self, axis=None, keepdims: bool = False):
        return R.Sum.apply(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        return R.Mean.apply(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims: bool = False):
        return R.Max.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims: bool = False):
        return R.Min.apply(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, keepdims: bool = False, correction: int = 1):
        return R.Var.apply(self, axis=axis, keepdims=keepdims, correction=correction)

    def argmax(self, axis=None):
        return self._make(np.asarray(self._data.argmax(axis=axis)))

    # -- shapes -------------------------------------------------------------------
    def reshape(self, *shape):
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return M.Reshape.apply(self, shape=shape)

    view = reshape

    def permute(self, *axes):
        axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        return M.Permute.apply(self, axes=axes)

    def transpose(self, dim0: int = -2, dim1: int = -1):
        if self.ndim < 2:
            return self
        for dim in (dim0, dim1):
            if not -self.ndim <= dim < self.ndim:
                raise ValueError(f"transpose: dim {dim} is out of range for a tensor of shape "
                                 f"{self.shape}; expected -{self.ndim} to {self.ndim - 1}")
        axes = list(range(self.ndim))
        axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
        return self.permute(axes)

    def swapaxes(self, axis1: int, axis2: int):
        """numpy's name for ``transpose(dim0, dim1)``."""
        return self.transpose(axis1, axis2)

    @property
    def T(self):
        return self.permute(tuple(range(self.ndim))[::-1])

    def expand(self, *shape):
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        offset = len(shape) - self.ndim  # -1 keeps that dimension, as in PyTorch
        shape = tuple(self.shape[i - offset] if n == -1 else n for i, n in enumerate(shape))
        return M.Expand.apply(self, shape=shape)

    broadcast_to = expand

    def squeeze(self, axis=None):
        if axis is None:
            shape = tuple(n for n in self.shape if n != 1)
        else:
            axes = R.normalize_axes(axis, self.ndim, "squeeze")
            for ax in axes:
                if self.shape[ax] != 1:
                    raise ValueError(f"squeeze: axis {ax} of shape {self.shape} has size "
                                     f"{self.shape[ax]}; expected 1")
            shape = tuple(n for i, n in enumerate(self.shape) if i not in axes)
        return self.reshape(shape)

    def unsqueeze(self, axis: int):
        if not -self.ndim - 1 <= axis <= self.ndim:
            raise ValueError(f"unsqueeze: axis {axis} is out of range for shape {self.shape}")
        axis = axis % (self.ndim + 1)
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        if self.ndim == 0:
            return self.reshape(1)
        for dim in (start_dim, end_dim):
            if not -self.ndim <= dim < self.ndim:
                raise ValueError(f"flatten: dim {dim} is out of range for a tensor of shape "
                                 f"{self.shape}; expected -{self.ndim} to {self.ndim - 1}")
        start, end = start_dim % self.ndim, end_dim % self.ndim
        middle = int(np.prod(self.shape[start:end + 1]))
        return self.reshape(self.shape[:start] + (middle,) + self.shape[end + 1:])

    def pad(self, pad_width, value: float = 0.0):
        return M.Pad.apply(self, pad_width=pad_width, value=value)

    def __getitem__(self, index):
        if isinstance(index, TensorMethods):
            index = index._data
        elif isinstance(index, tuple):
            index = tuple(i._data if isinstance(i, TensorMethods) else i for i in index)
        elif isinstance(index, list):
            index = np.asarray(index)
        return M.GetItem.apply(self, index=index)

    # -- softmax family -----------------------------------------------------------------
    def softmax(self, axis: int = -1):
        return S.Softmax.apply(self, axis=axis)

    def log_softmax(self, axis: int = -1):
        return S.LogSoftmax.apply(self, axis=axis)
