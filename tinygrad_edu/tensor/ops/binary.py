"""Elementwise ops of two tensors, with numpy broadcasting; gradients are summed back to
each input's shape. Each states its derivative once (``derivative(a, b, out)``).

>>> from tinygrad_edu import Tensor
>>> a = Tensor([1.0, 4.0], requires_grad=True); b = Tensor([2.0, 2.0], requires_grad=True)
>>> (a / b).sum().backward()
>>> a.grad.tolist(), b.grad.tolist()
([0.5, 0.5], [-0.25, -1.0])
"""
from __future__ import annotations

import numpy as np

from ...core.formula import log, where
from ..function import Elementwise, register


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def torch_dtype(a, b, out) -> np.dtype:
    """The result dtype PyTorch gives where numpy's may differ: the higher category (bool <
    integer < float) wins; within one, a tensor with dimensions wins over a 0-d one (a
    Python number is a 0-d float32 here); integers divided give the default float32."""
    ca, cb = _CATEGORY[a.dtype.kind], _CATEGORY[b.dtype.kind]
    if ca != cb:
        dtype = a.dtype if ca > cb else b.dtype
    elif (a.ndim == 0) != (b.ndim == 0):
        dtype = b.dtype if a.ndim == 0 else a.dtype
    else:
        dtype = np.promote_types(a.dtype, b.dtype)
    return np.dtype(np.float32) if out.dtype.kind == "f" and dtype.kind != "f" else dtype


def join_dtype(arrays, out) -> np.ndarray:
    """``out`` (joined from ``arrays`` by cat/stack) in PyTorch's dtype: the highest
    category (bool < integer < float) wins and is promoted within it, so int64 joined
    with float32 gives float32 where numpy gives float64."""
    first = arrays[0].dtype
    if all(a.dtype == first for a in arrays):  # the common case: nothing to promote
        return out
    top = max(_CATEGORY[a.dtype.kind] for a in arrays)
    dtype = np.result_type(*[a.dtype for a in arrays if _CATEGORY[a.dtype.kind] == top])
    return out if out.dtype == dtype else out.astype(dtype)


def broadcast(name, fn, a, b):
    """``fn(a, b)`` with PyTorch's result dtype, or an error naming the op and both shapes
    when they do not broadcast."""
    try:
        out = fn(a, b)
    except ValueError:
        raise ValueError(f"{name}: cannot broadcast shapes {a.shape} and {b.shape}; expected "
                         "each dimension, counted from the right, to match or be 1") from None
    if a.dtype is b.dtype is out.dtype:  # the common case: one dtype throughout
        return out
    dtype = torch_dtype(a, b, out)
    return out if out.dtype == dtype else out.astype(dtype)


@register
class Add(Elementwise):
    name, symbol, saves = "add", "+", ()

    def forward(self, a, b):
        return broadcast("add", np.add, a, b)

    def derivative(self, a, b, out):
        return 1, 1


@register
class Sub(Elementwise):
    name, symbol, saves = "sub", "-", ()

    def forward(self, a, b):
        return broadcast("sub", np.subtract, a, b)

    def derivative(self, a, b, out):
        return 1, -1


@register
class Mul(Elementwise):
    name, symbol, vanishes = "mul", "*", ("zero", "multiplied by 0: the other factor is 0")

    def forward(self, a, b):
        return broadcast("mul", np.multiply, a, b)

    def derivative(self, a, b, out):
        return b, a


@register
class Div(Elementwise):
    name, symbol = "div", "/"

    def forward(self, a, b):
        return broadcast("div", np.divide, a, b)

    def derivative(self, a, b, out):
        return 1 / b, -a / b ** 2


@register
class Pow(Elementwise):
    """``a ** b`` with a tensor exponent; d/db needs a > 0."""

    name, symbol = "pow", "**"

    def forward(self, a, b):
        if self.needs and self.needs[1] and np.any(a <= 0):
            raise ValueError(f"pow: the gradient for the exponent needs ln(base), but the base "
                             f"(shape {a.shape}) has values <= 0; expected a positive base")
        return broadcast("pow", np.power, a, b)

    def derivative(self, a, b, out):
        with np.errstate(divide="ignore", invalid="ignore"):  # ln(base <= 0): unused then
            return b * a ** (b - 1), out * log(a)


@register
class PowScalar(Elementwise):
    """``a ** k`` for a plain-number exponent k."""

    name, symbol, saves = "pow_scalar", "**", (0,)

    def forward(self, a, k):
        self.k = k
        out = a ** k
        return out.astype(np.float32) if out.dtype.kind == "f" and a.dtype.kind != "f" else out

    def derivative(self, a, out):
        k = self.k
        return (0 * a if k == 0 else k * a ** (k - 1),)


@register
class Maximum(Elementwise):
    """Elementwise max; where a == b the gradient is split evenly."""

    name, symbol = "maximum", "max"
    piecewise_constant = True

    def forward(self, a, b):
        return broadcast("maximum", np.maximum, a, b)

    def derivative(self, a, b, out):
        tie = where(a == b, 0.5, 0)
        return where(a > b, 1, tie), where(b > a, 1, tie)


@register
class Minimum(Elementwise):
    """Elementwise min; where a == b the gradient is split evenly (as PyTorch)."""

    name, symbol = "minimum", "min"
    piecewise_constant = True

    def forward(self, a, b):
        return broadcast("minimum", np.minimum, a, b)

    def derivative(self, a, b, out):
        tie = where(a == b, 0.5, 0)
        return where(a < b, 1, tie), where(b < a, 1, tie)


@register
class Where(Elementwise):
    """``where(cond, a, b)``: a where cond is true, else b (cond needs no gradient)."""

    name, symbol, saves = "where", "where", ()
    piecewise_constant = True

    def forward(self, a, b, cond):
        self.cond = cond = np.asarray(cond, dtype=bool)
        try:
            out = np.where(cond, a, b)
        except ValueError:
            raise ValueError(f"where: cannot broadcast condition {cond.shape} with "
                             f"{a.shape} and {b.shape}") from None
        return out if a.dtype == b.dtype else out.astype(torch_dtype(a, b, out))

    def derivative(self, a, b, out):
        return where(self.cond, 1, 0), where(self.cond, 0, 1)
