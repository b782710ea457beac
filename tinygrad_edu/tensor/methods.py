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

import builtins
import numbers

import numpy as np

from .ops import binary as B, linalg as L, special as P, unary as U
from .reductions import ReductionMethods
from .shapes import ShapeMethods



def dtype_of_to(op: str, dtype, device):
    """The dtype of PyTorch's ``.to(dtype)``, ``.to('cpu')`` or ``.to(device, dtype)``
    (None: keep it); a device other than the CPU is refused (numpy runs on the CPU)."""
    if device is None and (isinstance(dtype, str) or type(dtype).__name__ == "device"):
        try:
            np.dtype(dtype)  # "float32" is a dtype, "cpu" a device
        except TypeError:
            dtype, device = None, dtype
    if device is not None and str(device) != "cpu":
        raise ValueError(f"{op}: device {str(device)!r} is not available; tinygrad_edu runs on "
                         "numpy, on the CPU only ('cpu')")
    return dtype

class TensorMethods(ReductionMethods, ShapeMethods):
    """Mixed into ``Tensor``: every method builds its result with one op's ``apply``."""

    __slots__ = ()

    # -- arithmetic ---------------------------------------------------------------
    def __add__(self, other):
        """self + other; numbers, arrays and tensors broadcast as in PyTorch."""
        return B.Add.apply(self, self._lift(other))

    def __radd__(self, other):
        """other + self."""
        return B.Add.apply(self._lift(other), self)

    def __sub__(self, other):
        """self - other."""
        return B.Sub.apply(self, self._lift(other))

    def __rsub__(self, other):
        """other - self."""
        return B.Sub.apply(self._lift(other), self)

    def __mul__(self, other):
        """self * other (elementwise)."""
        return B.Mul.apply(self, self._lift(other))

    def __rmul__(self, other):
        """other * self."""
        return B.Mul.apply(self._lift(other), self)

    def __truediv__(self, other):
        """self / other."""
        return B.Div.apply(self, self._lift(other))

    def __rtruediv__(self, other):
        """other / self."""
        return B.Div.apply(self._lift(other), self)

    def __pow__(self, exponent):
        """self ** exponent: a number, or a tensor (then differentiated in both)."""
        if isinstance(exponent, numbers.Number):
            return B.PowScalar.apply(self, k=exponent)
        return B.Pow.apply(self, self._lift(exponent))

    def __rpow__(self, base):
        """base ** self."""
        return B.Pow.apply(self._lift(base), self)

    def __neg__(self):
        """-self."""
        return U.Neg.apply(self)

    def __matmul__(self, other):
        """self @ other: matrix product, batched over leading dimensions."""
        return L.MatMul.apply(self, self._lift(other))

    def __rmatmul__(self, other):
        """other @ self."""
        return L.MatMul.apply(self._lift(other), self)

    # PyTorch's method forms of the operators
    def add(self, other, alpha=1):
        """self + alpha * other (torch.add)."""
        return self + (other if alpha == 1 else self._lift(other) * alpha)

    def sub(self, other, alpha=1):
        """self - alpha * other (torch.sub)."""
        return self - (other if alpha == 1 else self._lift(other) * alpha)

    def mul(self, other):
        """self * other (torch.mul)."""
        return self * other

    def div(self, other, rounding_mode=None):
        """self / other (torch.div)."""
        if rounding_mode is not None:
            raise NotImplementedError(f"div: rounding_mode={rounding_mode!r} is not supported; "
                                      "only true division (rounding_mode=None)")
        return self / other

    def pow(self, exponent):
        """self ** exponent (torch.pow)."""
        return self ** exponent

    def matmul(self, other):
        """self @ other (torch.matmul)."""
        return self @ other

    def neg(self):
        """-self."""
        return -self

    def square(self):
        """self * self."""
        return B.PowScalar.apply(self, k=2)

    def reciprocal(self):
        """1 / self."""
        return 1.0 / self

    def rsqrt(self):
        """1 / sqrt(self)."""
        return B.PowScalar.apply(self, k=-0.5)

    # -- dtype conversions: to floats on the graph, to integers and bools off it -------
    def to(self, dtype=None, device=None):
        """``x.to(np.float64)``; a device other than the CPU is refused (numpy runs on the CPU)."""
        dtype = dtype_of_to("to", dtype, device)
        if dtype is None or np.dtype(dtype) == self._data.dtype:
            return self
        if np.dtype(dtype).kind == "f":
            return U.Cast.apply(self, dtype=np.dtype(dtype))
        return self._make(self._data.astype(dtype))

    def float(self):
        """As float32 (on the graph: the gradient flows back as float32)."""
        return self.to(np.float32)

    def double(self):
        """As float64 (on the graph)."""
        return self.to(np.float64)

    def long(self):
        """As int64 values, off the graph."""
        return self._make(self._data.astype(np.int64))

    def int(self):
        """As int32 values, off the graph."""
        return self._make(self._data.astype(np.int32))

    def bool(self):
        """As booleans, off the graph."""
        return self._make(self._data.astype(np.bool_))

    # -- comparisons (no gradient) ------------------------------------------------
    def _compare(self, other, fn):
        other = other._data if isinstance(other, TensorMethods) else other
        return self._make(fn(self._data, other))

    def __lt__(self, other):
        """Elementwise self < other."""
        return self._compare(other, np.less)

    def __le__(self, other):
        """Elementwise self <= other."""
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        """Elementwise self > other."""
        return self._compare(other, np.greater)

    def __ge__(self, other):
        """Elementwise self >= other."""
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        """Elementwise self == other, as booleans (no gradient)."""
        return self._compare(other, np.equal)

    def __ne__(self, other):
        """Elementwise self != other, as booleans."""
        return self._compare(other, np.not_equal)

    __hash__ = object.__hash__

    # -- elementwise functions ----------------------------------------------------
    def exp(self):
        """e ** self, elementwise."""
        return U.Exp.apply(self)

    def log(self):
        """The natural logarithm, elementwise."""
        return U.Log.apply(self)

    def sqrt(self):
        """The square root, elementwise."""
        return U.Sqrt.apply(self)

    def abs(self):
        """|self|, elementwise."""
        return U.Abs.apply(self)

    def relu(self):
        """max(self, 0), elementwise."""
        return U.ReLU.apply(self)

    def leaky_relu(self, negative_slope: builtins.float = 0.01):
        """self where positive, else negative_slope * self."""
        return U.LeakyReLU.apply(self, slope=negative_slope)

    def tanh(self):
        """The hyperbolic tangent, elementwise."""
        return U.Tanh.apply(self)

    def sigmoid(self):
        """1 / (1 + e ** -self), elementwise."""
        return U.Sigmoid.apply(self)

    def sin(self):
        """The sine, elementwise."""
        return P.Sin.apply(self)

    def cos(self):
        """The cosine, elementwise."""
        return P.Cos.apply(self)

    def erf(self):
        """The error function, elementwise."""
        return P.Erf.apply(self)

    def sign(self):
        """-1, 0 or 1 per element (gradient 0)."""
        return P.Sign.apply(self)

    def floor(self):
        """Rounded down, elementwise (gradient 0)."""
        return P.Floor.apply(self)

    def ceil(self):
        """Rounded up, elementwise (gradient 0)."""
        return P.Ceil.apply(self)

    def clip(self, min=None, max=None):  # noqa: A002 - PyTorch's names
        """Each element limited to [min, max] (either may be None); ``clamp`` is the same."""
        return U.Clip.apply(self, low=min, high=max)

    clamp = clip

    def maximum(self, other):
        """The larger of self and other, elementwise (ties share the gradient)."""
        return B.Maximum.apply(self, self._lift(other))

    def minimum(self, other):
        """The smaller of self and other, elementwise (ties share the gradient)."""
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

    def tril(self, diagonal: builtins.int = 0):
        """Keep the lower triangle (on and below ``diagonal``), zeros above: causal masks."""
        return self._triangle(np.tril, diagonal, "tril")

    def triu(self, diagonal: builtins.int = 0):
        """Keep the upper triangle (on and above ``diagonal``), zeros below."""
        return self._triangle(np.triu, diagonal, "triu")
