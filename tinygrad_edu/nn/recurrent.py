"""Recurrent modules with PyTorch's names, shapes, gate order and initialisation.

Every weight is U(-1/sqrt(H), 1/sqrt(H)). As in PyTorch, inputs are (T, B, features) and
outputs (T, B, H) by default; with ``batch_first=True`` they are (B, T, features) and
(B, T, H). The final state(s) are (num_layers, B, H) either way.
The input projection of all time steps is one matmul. An LSTM layer is one op
(``lstm_layer``), like PyTorch's fused kernel; with ``return_states=True`` it unrolls
into one ``lstm_cell`` op per step, so each h_t is a node whose gradient can be read.
``LSTMCell`` instead builds a step from small ops with labelled gates (i, f, g, o) for
stepping through and pictures (``nn/cells.py``).

>>> import numpy as np
>>> from tinygrad_edu import Tensor, manual_seed
>>> manual_seed(0)
>>> lstm = LSTM(3, 5, num_layers=2, batch_first=True)
>>> out, (h, c) = lstm(Tensor(np.zeros((4, 7, 3))))
>>> out.shape, h.shape, c.shape
((4, 7, 5), (2, 4, 5), (2, 4, 5))
>>> out, (h, c) = LSTM(3, 5)(Tensor(np.zeros((7, 4, 3))))   # PyTorch's default: time first
>>> out.shape, h.shape
((7, 4, 5), (1, 4, 5))
"""
from __future__ import annotations

import numpy as np

from ..core import no_grad
from ..tensor import Tensor, stack
from ..tensor.ops.lstm_layer import LSTMLayer
from ..tensor.ops.recurrent import LSTMCell as _LSTMCellOp, step_from_ops
from . import functional as F
from .cells import gru_step, uniform_weight
from .module import Module
from .time_steps import HiddenStates


def _check_sequence(name, x, input_size, batch_first):
    if x.ndim != 3:
        hint = " (add a time axis: x.unsqueeze(1) for one step)" if x.ndim == 2 else ""
        raise ValueError(f"{name}: expected a sequence of shape {'(B, T, ' if batch_first else '(T, B, '}"
                         f"{input_size}), got {x.shape}{hint}")
    if x.shape[2] != input_size:
        raise ValueError(f"{name}: expected input_size {input_size} in the last axis, got {x.shape}")
    if x.shape[1 if batch_first else 0] == 0:
        raise ValueError(f"{name}: the sequence of shape {x.shape} has no time steps; expected "
                         "at least one")


def _check_state(name, state, expected):
    if tuple(state.shape) != tuple(expected):
        raise ValueError(f"{name}: initial state has shape {state.shape}; expected {tuple(expected)}")


class _Recurrent(Module):
    gate_count = 1
    kind = "RNN"

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 batch_first: bool = False):
        if min(input_size, hidden_size, num_layers) < 1:
            raise ValueError(f"{self.kind}: sizes must be >= 1, got input_size={input_size}, "
                             f"hidden_size={hidden_size}, num_layers={num_layers}")
        self.input_size, self.hidden_size = input_size, hidden_size
        self.num_layers, self.batch_first = num_layers, batch_first
        n = self.gate_count * hidden_size
        for layer in range(num_layers):
            size_in = input_size if layer == 0 else hidden_size
            setattr(self, f"weight_ih_l{layer}", uniform_weight((n, size_in), hidden_size))
            setattr(self, f"weight_hh_l{layer}", uniform_weight((n, hidden_size), hidden_size))
            setattr(self, f"bias_ih_l{layer}", uniform_weight((n,), hidden_size))
            setattr(self, f"bias_hh_l{layer}", uniform_weight((n,), hidden_size))

    def _initial_states(self, x, state, batch):
        return [self._initial(x, state, batch)]   # one state (h); the LSTM has two

    def _pack(self, finals):
        return stack(finals, axis=0)

    def _unroll(self, projected, h, step):
        """h_t = step(x-projection at t, h_{t-1}) for every t: (outputs, last h, h_t list)."""
        hs = []
        for t in range(projected.shape[1]):
            h = step(projected[:, t], h)
            h.label = f"h[t={t}]"
            hs.append(h)
        return stack(hs, axis=1), h, hs

    def _layer_params(self, layer):
        return tuple(getattr(self, f"{kind}_l{layer}")
                     for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))

    def _initial(self, x, state, batch):
        shape = (self.num_layers, batch, self.hidden_size)
        if state is None:
            return Tensor(np.zeros(shape, dtype=x.dtype))
        _check_state(self.kind, state, shape)
        return state

    def forward(self, x, state=None, return_states: bool = False):
        """Returns (out, final state); with ``return_states`` also the list of the top
        layer's h_t tensors (with retain_grad on), to measure dLoss/dh_t after backward."""
        _check_sequence(self.kind, x, self.input_size, self.batch_first)
        if not self.batch_first:
            x = x.transpose(0, 1)
        batch, steps = x.shape[0], x.shape[1]
        states = self._initial_states(x, state, batch)
        finals, seq = [], x
        for layer in range(self.num_layers):
            seq, final, steps = self._run_layer(seq, layer, [s[layer] for s in states],
                                                unrolled=return_states)
            finals.append(final)
        out = seq if self.batch_first else seq.transpose(0, 1)
        result = (out, self._pack(finals))
        if return_states:
            states = self._probes(steps)
            for node in states:
                if node.requires_grad:
                    node.retain_grad()
            return result + (states,)
        return result

    def _probes(self, steps):
        """The graph nodes whose gradient is dLoss/dh_t (top layer): h_t itself here."""
        return HiddenStates(steps)


class RNN(_Recurrent):
    """Elman RNN: h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)."""

    def __init__(self, input_size, hidden_size, num_layers=1, batch_first=False,
                 nonlinearity: str = "tanh"):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, num_layers, batch_first)

    def _run_layer(self, seq, layer, state, unrolled=True):
        w_ih, w_hh, b_ih, b_hh = self._layer_params(layer)
        projected = F.linear(seq, w_ih, b_ih + b_hh)   # all time steps at once
        projected.label = "x W_ihᵀ + b (all steps)"
        act = Tensor.tanh if self.nonlinearity == "tanh" else Tensor.relu
        return self._unroll(projected, state[0], lambda xp, h: act(xp + F.linear(h, w_hh)))


class LSTM(_Recurrent):
    """LSTM with gates (input, forget, cell, output) stacked in that order in the weights."""

    gate_count, kind = 4, "LSTM"

    def _initial_states(self, x, state, batch):
        if state is None:
            return [self._initial(x, None, batch), self._initial(x, None, batch)]
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise ValueError("LSTM: the initial state must be a pair (h_0, c_0)")
        return [self._initial(x, state[0], batch), self._initial(x, state[1], batch)]

    def _run_layer(self, seq, layer, state, unrolled=False):
        w_ih, w_hh, b_ih, b_hh = self._layer_params(layer)
        if not unrolled:   # the whole layer as one op: the fast path
            states = LSTMLayer.apply(seq, state[0], state[1], w_ih, w_hh, b_ih, b_hh)
            states.label = f"(h, c)[t=0..{seq.shape[1]}]"
            out = states[0, 1:].transpose(1, 0)         # (B, T, H)
            out.label = "h[t] for every t"
            return out, (states[0, -1], states[1, -1]), None
        projected = F.linear(seq, w_ih, b_ih + b_hh)   # (B, T, 4H) in one matmul
        projected.label = "x W_ihᵀ + b (all steps, 4 gates)"
        hc = stack(state, axis=0)                       # (h, c) stacked: (2, B, H)
        states = []
        for t in range(seq.shape[1]):
            hc = _LSTMCellOp.apply(projected, hc, w_hh, t=t)
            hc.label = f"(h, c)[t={t}]"
            states.append(hc)
        # One stack of the states, then one slice for all h_t: no per-step slicing ops.
        out = stack(states, axis=2)[0]                  # (B, T, H)
        out.label = "h[t] for every t"
        return out, (hc[0], hc[1]), states

    def _probes(self, steps):
        # The recurrence runs through the stacked (h, c) nodes, so every path to h_t
        # (next step and output) ends in their gradient; part 0 is h.
        return HiddenStates(steps, part=0)

    def _pack(self, finals):
        return stack([h for h, _ in finals], axis=0), stack([c for _, c in finals], axis=0)

    def gate_activations(self, x, state=None, layer: int = 0) -> dict:
        """Gate values of one layer for every time step: {'input', 'forget', 'cell',
        'output'} -> arrays (B, T, H), recomputed from the forward pass in one batched
        matmul (no graph)."""
        _check_sequence(self.kind, x, self.input_size, self.batch_first)
        with no_grad():
            seq = x if self.batch_first else x.transpose(0, 1)
            states = self._initial_states(seq, state, seq.shape[0])
            for k in range(layer + 1):
                seq_in = seq
                seq = self._run_layer(seq, k, [s[k] for s in states])[0]
        w_ih, w_hh, b_ih, b_hh = (p.numpy() for p in self._layer_params(layer))
        h_all = seq.numpy()
        h_prev = np.concatenate([states[0][layer].numpy()[:, None], h_all[:, :-1]], axis=1)
        pre = seq_in.numpy() @ w_ih.T + b_ih + b_hh + h_prev @ w_hh.T
        B, T = pre.shape[:2]
        with no_grad():
            gates = step_from_ops(Tensor(pre.reshape(B * T, -1), dtype=pre.dtype))[0]
        return {name: g.numpy().reshape(B, T, -1)
                for name, g in zip(("input", "forget", "cell", "output"), gates)}


class GRU(_Recurrent):
    """GRU with PyTorch's gates (reset r, update z, new n):
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h' = (1 - z) * n + z * h."""

    gate_count, kind = 3, "GRU"

    def _run_layer(self, seq, layer, state, unrolled=True):
        w_ih, w_hh, b_ih, b_hh = self._layer_params(layer)
        H = self.hidden_size
        projected = F.linear(seq, w_ih, b_ih)
        return self._unroll(projected, state[0],
                            lambda xp, h: gru_step(xp, F.linear(h, w_hh, b_hh), h, H))
