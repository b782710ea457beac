"""The op methods of ``Tensor``: arithmetic (operators and PyTorch's method forms),
comparisons and elementwise functions, each a one-line call of its op's ``apply``; the
ops live in ``tensor/ops/``. Reductions are in ``reductions.py``, shapes and indexing in
``shapes.py``.

>>> from tinygrad_edu import Tensor
>>> x = Tensor([[1.0, -2.0], [3.0, 4.0]])
>>> (x.relu() * 2).sum(dim=0).tolist(), x.T.shape, x[1].tolist()
([8.0, 8.0], (2, 2), [3.0, 4.0])
>>> x.add(1, alpha=2).tolist(), x.square().sum().item()
([[3.0, 0.0], [5.0, 6.0]], 30.0)
"""
from __future__ import annotations

import numbers

import numpy as np

from .ops import binary as B, linalg as L, special as P, unary as U
from .reductions import ReductionMethods
from .shapes import ShapeMethods


class TensorMethods(ReductionMethods, ShapeMethods):
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

    # PyTorch's method forms of the operators
    def add(self, other, alpha=1):
        return self + (other if alpha == 1 else self._lift(other) * alpha)

    def sub(self, other, alpha=1):
        return self - (other if alpha == 1 else self._lift(other) * alpha)

    def mul(self, other):
        return self * other

    def div(self, other, rounding_mode=None):
        if rounding_mode is not None:
            raise NotImplementedError(f"div: rounding_mode={rounding_mode!r} is not supported; "
                                      "only true division (rounding_mode=None)")
        return self / other

    def pow(self, exponent):
        return self ** exponent

    def matmul(self, other):
        return self @ other

    def neg(self):
        return -self

    def square(self):
        return B.PowScalar.apply(self, k=2)

    def reciprocal(self):
        return 1.0 / self

    def rsqrt(self):
        return B.PowScalar.apply(self, k=-0.5)

    # -- dtype conversions: to floats on the graph, to integers and bools off it -------
    def to(self, dtype=None, device=None):
        """``x.to(np.float64)``; a device other than the CPU is refused (numpy runs on the CPU)."""
        if isinstance(dtype, str) and device is None:
            dtype, device = None, dtype
        if device is not None and str(device) != "cpu":
            raise ValueError(f"to: device {device!r} is not available; tinygrad_edu runs on "
                             "numpy, on the CPU only ('cpu')")
        if dtype is None or np.dtype(dtype) == self._data.dtype:
            return self
        if np.dtype(dtype).kind == "f":
            return U.Cast.apply(self, dtype=np.dtype(dtype))
        return self._make(self._data.astype(dtype))

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def long(self):
        return self._make(self._data.astype(np.int64))

    def int(self):
        return self._make(self._data.astype(np.int32))

    def bool(self):
        return self._make(self._data.astype(np.bool_))

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

    def sin(self):
        return P.Sin.apply(self)

    def cos(self):
        return P.Cos.apply(self)

    def erf(self):
        return P.Erf.apply(self)

    def sign(self):
        return P.Sign.apply(self)

    def floor(self):
        return P.Floor.apply(self)

    def ceil(self):
        return P.Ceil.apply(self)

    def clip(self, min=None, max=None):  # noqa: A002 - PyTorch's names
        return U.Clip.apply(self, low=min, high=max)

    clamp = clip

    def maximum(self, other):
        return B.Maximum.apply(self, self._lift(other))

    def minimum(self, other):
        return B.Minimum.apply(self, self._lift(other))

    def masked_fill(self, mask, value):
        """``value`` where the boolean ``mask`` is True (the two broadcast, as in PyTorch)."""
        cond = np.asarray(mask._data if isinstance(mask, TensorMethods) else mask)
        if cond.dtype != bool:
            raise TypeError(f"masked_fill: expected a boolean mask, got dtype {cond.dtype}")
        fill = value if isinstance(value, TensorMethods) else self._lift(np.asarray(value))
        return B.Where.apply(fill, self, cond=cond)

    def _triangle(self, keep, diagonal, op):
        if self.ndim < 2:
            raise ValueError(f"{op}: expected a tensor with at least 2 dimensions, got shape "
                             f"{self.shape}")
        cond = keep(np.ones(self.shape[-2:], dtype=bool), diagonal)
        return B.Where.apply(self, self._lift(np.zeros((), self._data.dtype)), cond=cond)

    def tril(self, diagonal: int = 0):
        """Keep the lower triangle (on and below ``diagonal``), zeros above: causal masks."""
        return self._triangle(np.tril, diagonal, "tril")

    def triu(self, diagonal: int = 0):
        """Keep the upper triangle (on and above ``diagonal``), zeros below."""
        return self._triangle(np.triu, diagonal, "triu")
