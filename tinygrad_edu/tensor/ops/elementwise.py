"""Elementwise ops with numpy broadcasting; gradients are summed back to each input's shape.

Each ``local`` gives d(out)/d(input) elementwise (what the stepper and the gradient-flow
pictures show); ``backward`` multiplies it by the upstream gradient.
"""
from __future__ import annotations

import numpy as np

from ..function import Function, register, unbroadcast


def _broadcast(name, fn, a, b):
    try:
        return fn(a, b)
    except ValueError:
        raise ValueError(f"{name}: cannot broadcast shapes {a.shape} and {b.shape}; expected "
                         "each dimension, counted from the right, to match or be 1") from None


class _Binary(Function):
    def local(self, node):
        return None  # subclasses that can, override


@register
class Add(_Binary):
    name, symbol, rules, saves = "add", "+", ("1", "1"), ()

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        return _broadcast("add", np.add, a, b)

    def backward(self, node, g):
        sa, sb = self.shapes
        ga = unbroadcast(g, sa) if self.needs[0] else None
        gb = unbroadcast(g, sb) if self.needs[1] else None
        if gb is not None and gb is ga:
            gb = gb.copy()  # two parents must never share one gradient array
        return ga, gb

    def local(self, node):
        return (np.ones(self.shapes[0]), np.ones(self.shapes[1]))


@register
class Sub(_Binary):
    name, symbol, rules, saves = "sub", "-", ("1", "-1"), ()

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        return _broadcast("sub", np.subtract, a, b)

    def backward(self, node, g):
        sa, sb = self.shapes
        return (unbroadcast(g, sa) if self.needs[0] else None,
                unbroadcast(-g, sb) if self.needs[1] else None)

    def local(self, node):
        return (np.ones(self.shapes[0]), -np.ones(self.shapes[1]))


@register
class Mul(_Binary):
    name, symbol, rules = "mul", "*", ("{b}", "{a}")

    def forward(self, a, b):
        self.a, self.b = a, b
        return _broadcast("mul", np.multiply, a, b)

    def backward(self, node, g):
        a, b = self.a, self.b
        return (unbroadcast(g * b, a.shape) if self.needs[0] else None,
                unbroadcast(g * a, b.shape) if self.needs[1] else None)

    def local(self, node):
        return (self.b, self.a)


@register
class Div(_Binary):
    name, symbol, rules = "div", "/", ("1/{b}", "-{a}/{b}²")

    def forward(self, a, b):
        self.a, self.b = a, b
        return _broadcast("div", np.divide, a, b)

    def backward(self, node, g):
        a, b = self.a, self.b
        return (unbroadcast(g / b, a.shape) if self.needs[0] else None,
                unbroadcast(-g * a / (b * b), b.shape) if self.needs[1] else None)

    def local(self, node):
        return (1.0 / self.b, -self.a / (self.b * self.b))


@register
class Pow(_Binary):
    """``a ** b`` with a tensor exponent; d/db needs a > 0."""

    name, symbol, rules = "pow", "**", ("{b}·{a}^({b}-1)", "{out}·ln({a})")

    def forward(self, a, b):
        self.a, self.b = a, b
        return _broadcast("pow", np.power, a, b)

    def backward(self, node, g):
        a, b = self.a, self.b
        ga = unbroadcast(g * b * a ** (b - 1), a.shape) if self.needs[0] else None
        gb = None
        if self.needs[1]:
            if np.any(a <= 0):
                raise ValueError(f"pow backward: the gradient for the exponent needs ln(base), "
                                 f"but the base (shape {a.shape}) has values <= 0")
            gb = unbroadcast(g * node._data * np.log(a), b.shape)
        return ga, gb

    def local(self, node):
        a, b = self.a, self.b
        return (b * a ** (b - 1), node._data * np.log(np.where(a > 0, a, np.nan)))


@register
class PowScalar(Function):
    """``a ** k`` for a plain-number exponent k."""

    name, symbol, rules = "pow_scalar", "**", ("{k}·{a}^({k}-1)",)

    def forward(self, a, k):
        self.a, self.k = a, k
        return a ** k

    def backward(self, node, g):
        return (g * self.local(node)[0],)

    def local(self, node):
        k = self.k
        return (np.zeros_like(self.a) if k == 0 else k * self.a ** (k - 1),)


@register
class Maximum(_Binary):
    """Elementwise max; where a == b the gradient is split evenly."""

    name, symbol, rules = "maximum", "max", ("1 if {a} > {b}", "1 if {b} > {a}")

    def forward(self, a, b):
        self.a, self.b = a, b
        return _broadcast("maximum", np.maximum, a, b)

    def local(self, node):
        a, b = self.a, self.b
        wa = (a > b) + 0.5 * (a == b)
        return (wa, 1.0 - wa)

    def backward(self, node, g):
        wa, wb = self.local(node)
        return (unbroadcast(g * wa, self.a.shape) if self.needs[0] else None,
                unbroadcast(g * wb, self.b.shape) if self.needs[1] else None)


@register
class Where(_Binary):
    """``where(cond, a, b)``: a where cond is true, else b (cond needs no gradient)."""

    name, symbol, rules, saves = "where", "where", ("1 where cond", "1 where not cond"), ()

    def forward(self, a, b, cond):
        self.cond = cond = np.asarray(cond, dtype=bool)
        self.shapes = a.shape, b.shape
        try:
            return np.where(cond, a, b)
        except ValueError:
            raise ValueError(f"where: cannot broadcast condition {cond.shape} with "
                             f"{a.shape} and {b.shape}") from None

    def backward(self, node, g):
        zero = np.zeros((), dtype=g.dtype)
        sa, sb = self.shapes
        return (unbroadcast(np.where(self.cond, g, zero), sa) if self.needs[0] else None,
                unbroadcast(np.where(self.cond, zero, g), sb) if self.needs[1] else None)


class _Unary(Function):
    """Unary ops: ``backward`` is the elementwise ``local`` times upstream."""

    def backward(self, node, g):
        return (g * self.local(node)[0],)


@register
class Neg(_Unary):
    name, symbol, rules, saves = "neg", "neg", ("-1",), ()

    def forward(self, a):
        return -a

    def backward(self, node, g):
        return (-g,)

    def local(self, node):
        return (-np.ones(node.shape),)


@register
class Exp(_Unary):
    name, symbol, rules, saves = "exp", "exp", ("{out}",), ()

    def forward(self, a):
        return np.exp(a)

    def local(self, node):
        return (node._data,)


@register
class Log(_Unary):
    name, symbol, rules = "log", "log", ("1/{a}",)

    def forward(self, a):
        self.a = a
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(a)

    def local(self, node):
        with np.errstate(divide="ignore"):  # log'(0) is inf; anomaly mode reports it
            return (1.0 / self.a,)


@register
class Sqrt(_Unary):
    name, symbol, rules, saves = "sqrt", "sqrt", ("1/(2·{out})",), ()

    def forward(self, a):
        with np.errstate(invalid="ignore"):
            return np.sqrt(a)

    def local(self, node):
        with np.errstate(divide="ignore"):  # sqrt'(0) is inf; anomaly mode reports it
            return (0.5 / node._data,)


@register
class Abs(_Unary):
    name, symbol, rules = "abs", "abs", ("sign({a})",)

    def forward(self, a):
        self.a = a
        return np.abs(a)

    def local(self, node):
        return (np.sign(self.a),)


@register
class ReLU(_Unary):
    name, symbol, rules, saves = "relu", "relu", ("1 if {a} > 0 else 0",), ()

    def forward(self, a):
        return np.maximum(a, 0)

    def backward(self, node, g):
        return (g * (node._data > 0),)  # out > 0 exactly where the input was > 0

    def local(self, node):
        return ((node._data > 0).astype(node._data.dtype),)


@register
class LeakyReLU(_Unary):
    name, symbol, rules = "leaky_relu", "leaky_relu", ("1 if {a} > 0 else slope",)

    def forward(self, a, slope=0.01):
        self.mask, self.slope = a > 0, slope
        return np.where(self.mask, a, slope * a).astype(a.dtype, copy=False)

    def local(self, node):
        return (np.where(self.mask, 1.0, self.slope).astype(node._data.dtype),)


@register
class Tanh(_Unary):
    name, symbol, rules, saves = "tanh", "tanh", ("1 - {out}²",), ()

    def forward(self, a):
        return np.tanh(a)

    def local(self, node):
        out = node._data
        return (1.0 - out * out,)


@register
class Sigmoid(_Unary):
    name, symbol, rules, saves = "sigmoid", "sigmoid", ("{out}·(1 - {out})",), ()

    def forward(self, a):
        return 0.5 * (1.0 + np.tanh(0.5 * a))  # stable: tanh never overflows

    def local(self, node):
        out = node._data
        return (out * (1.0 - out),)


@register
class Clip(_Unary):
    """Clamp to [low, high]; the gradient is 0 where the input was clipped."""

    name, symbol, rules = "clip", "clip", ("1 inside [low, high] else 0",)

    def forward(self, a, low=None, high=None):
        if low is not None and high is not None and low > high:
            raise ValueError(f"clip: low ({low}) must be <= high ({high})")
        self.inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            self.inside &= a >= low
        if high is not None:
            self.inside &= a <= high
        return np.clip(a, low, high)

    def local(self, node):
        return (self.inside.astype(node._data.dtype),)


@register
class Dropout(_Unary):
    """Multiply by a random keep-mask scaled by 1/(1-p) (inverted dropout)."""

    name, symbol, rules, saves = "dropout", "dropout", ("mask/(1-p)",), ()

    def forward(self, a, mask=None):
        self.scale = mask.astype(a.dtype)
        return a * self.scale

    def local(self, node):
        return (self.scale,)
