"""Elementwise functions of one tensor: exp, log, sqrt, abs and the activations. Each
states its derivative once (``derivative(a, out)``), read by backward, the stepper
and the pictures alike.

>>> from tinygrad_edu import Tensor
>>> x = Tensor([-1.0, 0.5], requires_grad=True)
>>> x.leaky_relu(0.1).sum().backward()
>>> x.grad.tolist()
[0.10000000149011612, 1.0]
"""
from __future__ import annotations

import numpy as np

from ...core.formula import sign, where
from ..function import Elementwise, register


def floating(a):
    """``a`` as floats for a function of reals: integers and bools become the default
    float32, as PyTorch's exp/log/sqrt/tanh... do (numpy would give float64)."""
    return a if a.dtype.kind == "f" else a.astype(np.float32)


@register
class Cast(Elementwise):
    """The same numbers in another float dtype (``x.float()``, ``x.double()``); the
    gradient passes through, cast back to the input's dtype."""

    name, symbol, saves = "cast", "cast", ()

    def forward(self, a, dtype=np.float32):
        return a.astype(dtype)

    def derivative(self, a, out):
        return (1,)


@register
class Neg(Elementwise):
    name, symbol, saves = "neg", "neg", ()

    def forward(self, a):
        return -a

    def derivative(self, a, out):
        return (-1,)


@register
class Exp(Elementwise):
    name, symbol, saves = "exp", "exp", ()

    def forward(self, a):
        return np.exp(floating(a))

    def derivative(self, a, out):
        return (out,)


@register
class Log(Elementwise):
    name, symbol = "log", "log"

    def forward(self, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(floating(a))

    def derivative(self, a, out):
        with np.errstate(divide="ignore"):  # log'(0) is inf; anomaly mode reports it
            return (1 / a,)


@register
class Sqrt(Elementwise):
    name, symbol, saves = "sqrt", "sqrt", ()

    def forward(self, a):
        with np.errstate(invalid="ignore"):
            return np.sqrt(floating(a))

    def derivative(self, a, out):
        with np.errstate(divide="ignore"):  # sqrt'(0) is inf; anomaly mode reports it
            return (0.5 / out,)


@register
class Abs(Elementwise):
    name, symbol = "abs", "abs"
    piecewise_constant = True

    def forward(self, a):
        return np.abs(a)

    def derivative(self, a, out):
        return (sign(a),)


@register
class ReLU(Elementwise):
    name, symbol, saves = "relu", "relu", ()
    piecewise_constant = True
    vanishes = ("zero", "relu off: its input was <= 0")

    def forward(self, a):
        return np.maximum(a, 0)

    def derivative(self, a, out):
        return (out > 0,)  # out > 0 exactly where a > 0, and needs no saved input


@register
class LeakyReLU(Elementwise):
    name, symbol = "leaky_relu", "leaky_relu"
    piecewise_constant = True

    def forward(self, a, slope=0.01):
        self.slope = slope
        return np.where(a > 0, a, slope * a).astype(a.dtype, copy=False)

    def derivative(self, a, out):
        return (where(a > 0, 1.0, self.slope),)


@register
class Tanh(Elementwise):
    name, symbol, saves = "tanh", "tanh", ()
    vanishes = ("flat", "saturated tanh: its output sits on the flat end")

    def forward(self, a):
        return np.tanh(floating(a))

    def derivative(self, a, out):
        return (1 - out ** 2,)


@register
class Sigmoid(Elementwise):
    name, symbol, saves = "sigmoid", "sigmoid", ()
    vanishes = ("flat", "saturated sigmoid: its output sits on the flat end")

    def forward(self, a):
        # 1/(1 + e^-a) for a >= 0 and e^a/(1 + e^a) below: exp never overflows, and a tiny
        # sigmoid keeps its digits (0.5 + 0.5 tanh(a/2) gave exactly 0 for a = -20 in
        # float32, where PyTorch gives 2.1e-9, and so a binary_cross_entropy of 100, not 20)
        a = floating(a)
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1, e) / (1 + e)

    def derivative(self, a, out):
        return (out * (1 - out),)


@register
class Clip(Elementwise):
    """Clamp to [low, high]; the gradient is 0 where the input was clipped."""

    name, symbol = "clip", "clip"
    piecewise_constant = True

    def forward(self, a, low=None, high=None):
        if low is not None and high is not None and low > high:
            raise ValueError(f"clip: low ({low}) must be <= high ({high})")
        self.low = -np.inf if low is None else low
        self.high = np.inf if high is None else high
        return np.clip(a, low, high)

    def derivative(self, a, out):
        return ((a >= self.low) & (a <= self.high),)


@register
class Dropout(Elementwise):
    """Multiply by a random keep-mask scaled by 1/(1-p) (inverted dropout)."""

    name, symbol, saves = "dropout", "dropout", ()
    piecewise_constant = True
    vanishes = ("zero", "dropped by dropout")

    def forward(self, a, mask=None):
        self.mask = mask.astype(a.dtype)
        return a * self.mask

    def derivative(self, a, out):
        return (self.mask,)
