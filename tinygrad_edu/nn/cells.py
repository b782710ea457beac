"""Recurrent cells (one time step each) with PyTorch's parameter names: RNNCell, GRUCell,
and an LSTMCell built from small ops whose gates are labelled nodes (i, f, g, o), easy
to step through and to draw.

>>> import numpy as np
>>> from tinygrad_edu import Tensor, manual_seed
>>> manual_seed(0)
>>> h, c = LSTMCell(3, 4)(Tensor(np.ones((2, 3))))
>>> h.shape, c.label
((2, 4), "c'")
"""
from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor
from ..tensor.ops.recurrent import step_from_ops
from . import functional as F
from . import init
from .module import Module, Parameter


def uniform_weight(shape, hidden):
    bound = 1.0 / math.sqrt(hidden)
    return init.uniform_(Parameter(np.zeros(shape), dtype=np.float32), -bound, bound)


class _Cell(Module):
    """One step of a recurrent layer: PyTorch's cell parameters for ``gate_count`` gates."""

    gate_count = 1

    def __init__(self, input_size: int, hidden_size: int):
        self.input_size, self.hidden_size = input_size, hidden_size
        n = self.gate_count * hidden_size
        self.weight_ih = uniform_weight((n, input_size), hidden_size)
        self.weight_hh = uniform_weight((n, hidden_size), hidden_size)
        self.bias_ih = uniform_weight((n,), hidden_size)
        self.bias_hh = uniform_weight((n,), hidden_size)


class RNNCell(_Cell):
    """One RNN step: h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh); x (B, in), h (B, H)."""

    def __init__(self, input_size: int, hidden_size: int, nonlinearity: str = "tanh"):
        super().__init__(input_size, hidden_size)
        self.nonlinearity = nonlinearity

    def forward(self, x, h=None):
        _check_step("RNNCell", x, h, self.input_size, self.hidden_size)
        pre = F.linear(x, self.weight_ih, self.bias_ih)
        if h is not None:
            pre = pre + F.linear(h, self.weight_hh, self.bias_hh)
        else:
            pre = pre + self.bias_hh
        return pre.tanh() if self.nonlinearity == "tanh" else pre.relu()


def gru_step(xp, hp, h, H):
    """GRU update from the input and hidden projections (B, 3H): gates r, z, n."""
    r = (xp[:, :H] + hp[:, :H]).sigmoid()
    z = (xp[:, H:2 * H] + hp[:, H:2 * H]).sigmoid()
    n = (xp[:, 2 * H:] + r * hp[:, 2 * H:]).tanh()
    return (1.0 - z) * n + z * h


def _check_step(name, x, h, input_size, hidden_size, c=None):
    if x.ndim != 2 or x.shape[1] != input_size:
        raise ValueError(f"{name}: expected input of shape (B, {input_size}), got {x.shape}")
    for label, s in (("h", h), ("c", c)):
        if s is not None and tuple(s.shape) != (x.shape[0], hidden_size):
            raise ValueError(f"{name}: {label} has shape {s.shape}; expected ({x.shape[0]}, {hidden_size})")


class LSTMCell(_Cell):
    """One LSTM step from small ops, with the gates as labelled nodes (i, f, g, o):
    easy to step through and to draw. Returns (h', c')."""

    gate_count = 4

    def forward(self, x, state=None):
        H = self.hidden_size
        h, c = state if state is not None else (None, None)
        _check_step("LSTMCell", x, h, self.input_size, H, c)
        gates = F.linear(x, self.weight_ih, self.bias_ih)
        gates = gates + (F.linear(h, self.weight_hh, self.bias_hh) if h is not None else self.bias_hh)
        activations, c_new, h_new = step_from_ops(gates, c)   # the step, stated once
        for t, name in zip(activations, ("i (input gate)", "f (forget gate)", "g (candidate)",
                                         "o (output gate)")):
            t.label = name
        c_new.label, h_new.label = "c'", "h'"
        return h_new, c_new


class GRUCell(_Cell):
    """One GRU step (gates r, z, n as in PyTorch)."""

    gate_count = 3

    def forward(self, x, h=None):
        H = self.hidden_size
        _check_step("GRUCell", x, h, self.input_size, H)
        if h is None:
            h = Tensor(np.zeros((x.shape[0], H), dtype=x.dtype))
        return gru_step(F.linear(x, self.weight_ih, self.bias_ih),
                         F.linear(h, self.weight_hh, self.bias_hh), h, H)
