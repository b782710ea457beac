"""Elementwise functions PyTorch code reaches for beyond the activations: sin and cos
(positional encodings), erf (exact GELU), softplus, and the step functions sign, floor
and ceil. Each states its derivative once (``derivative(a, out)``).

>>> from tinygrad_edu import Tensor
>>> x = Tensor([0.0, 1.5], requires_grad=True)
>>> x.sin().sum().backward()
>>> [round(v, 4) for v in x.grad.tolist()]
[1.0, 0.0707]
"""
from __future__ import annotations

import math

import numpy as np

from ...core.formula import cos, exp, sin
from ..function import Elementwise, Function, on_graph, register
from .unary import floating

_erf = np.vectorize(math.erf, otypes=[np.float64])
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


@register
class Sin(Elementwise):
    name, symbol = "sin", "sin"

    def forward(self, a):
        return np.sin(floating(a))

    def derivative(self, a, out):
        return (cos(a),)


@register
class Cos(Elementwise):
    name, symbol = "cos", "cos"

    def forward(self, a):
        return np.cos(floating(a))

    def derivative(self, a, out):
        return (-sin(a),)


@register
class Erf(Function):
    """The error function, 2/sqrt(pi) times the integral of exp(-t²) from 0 to a. Its
    derivative is written as a backward, not a ``derivative``: the constant 2/sqrt(pi)
    would lose digits in the stepper's words (constants read to 4 digits there)."""

    name, symbol, rules = "erf", "erf", ("2/√π·exp(-{a}²)",)

    def forward(self, a):
        self.a = a = floating(a)
        return _erf(a).astype(a.dtype, copy=False)

    def backward(self, node, g):
        a = node._parents[0] if on_graph(g) else self.a
        return (g * (TWO_OVER_SQRT_PI * exp(-(a * a))),)


@register
class Softplus(Elementwise):
    """log(1 + exp(beta·a)) / beta, and a itself where beta·a > threshold (as PyTorch).
    Its derivative, sigmoid(beta·a), is 1 - exp(-beta·out): stated through the output;
    ``smooth`` marks where the curve (not the line past the threshold) was used."""

    name, symbol, saves = "softplus", "softplus", ()

    def forward(self, a, beta=1.0, threshold=20.0):
        if beta <= 0:
            raise ValueError(f"softplus: beta must be > 0, got {beta}")
        a = floating(a)
        self.beta, scaled = beta, a * beta
        self.smooth = np.asarray(scaled <= threshold)
        return np.where(self.smooth, np.logaddexp(0, scaled) / beta, a).astype(a.dtype, copy=False)

    def derivative(self, a, out):
        fall = exp(-out * self.beta) if self.beta != 1 else exp(-out)
        return (1 - fall * self.smooth,)


class _Step(Elementwise):
    """Flat between its jumps: the derivative is 0 wherever it exists (as PyTorch says)."""

    saves = ()
    piecewise_constant = True
    vanishes = ("zero", "a step function: flat, its derivative is 0")

    def derivative(self, a, out):
        return (0,)


@register
class Sign(_Step):
    name, symbol = "sign", "sign"

    def forward(self, a):
        return np.sign(a)


@register
class Floor(_Step):
    name, symbol = "floor", "floor"

    def forward(self, a):
        return np.floor(a)


@register
class Ceil(_Step):
    name, symbol = "ceil", "ceil"

    def forward(self, a):
        return np.ceil(a)
