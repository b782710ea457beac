"""One LSTM time step as one op: the four gates from one matmul, forward and backward
side by side. PyTorch's gate order: input, forget, cell (g), output.

Inputs: the input projection of the whole sequence ``xg`` (B, T, 4H) with both biases
folded in (step ``t`` is read), the previous state (2, B, H) = (h, c) stacked, and
``W_hh`` (4H, H). Output: the new state (h', c') stacked, (2, B, H). Taking the whole
projection and the stacked state keeps a step to one node (no slicing ops around it).
"""
from __future__ import annotations

import functools

import numpy as np

from ..function import Function, decomposed_backward, register
from ..lazy_grad import SliceGrad


def sigmoid(z):
    """Stable logistic function: 0.5 * (1 + tanh(z / 2)) never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def lstm_gates(gates: np.ndarray) -> tuple:
    """Pre-activations (..., 4H) -> (i, f, g, o) activations."""
    h = gates.shape[-1] // 4
    return (sigmoid(gates[..., :h]), sigmoid(gates[..., h:2 * h]),
            np.tanh(gates[..., 2 * h:3 * h]), sigmoid(gates[..., 3 * h:]))


@functools.lru_cache(maxsize=8)
def _gate_constants(H: int, dtype) -> tuple:
    """Per column of the 4H gates (i, f, g, o): the pre-activation scale s, then the
    activation is offset + slope·tanh(s·z), and its derivative k·(1 - tanh²(s·z))."""
    def per_gate(i, f, g, o):
        column = np.repeat(np.array([i, f, g, o], dtype=dtype), H)
        column.flags.writeable = False
        return column
    return (per_gate(0.5, 0.5, 1.0, 0.5), per_gate(0.5, 0.5, 1.0, 0.5),
            per_gate(0.5, 0.5, 0.0, 0.5), per_gate(0.25, 0.25, 1.0, 0.25))


@register
class LSTMCell(Function):
    name, symbol = "lstm_cell", "lstm"
    rules = ("d(gates) at step t", "(d(gates) @ W_hh, upstream_c x f)", "d(gates)ᵀ @ h")
    saves = (1, 2)

    def forward(self, xg, state, w_hh, t=0):
        h, c = state[0], state[1]
        if xg.ndim != 3 or xg.shape[-1] != 4 * h.shape[-1] or xg.shape[0] != h.shape[0] \
                or w_hh.shape != (xg.shape[-1], h.shape[-1]):
            raise ValueError(f"lstm_cell: shapes xg {xg.shape}, state {state.shape}, W_hh "
                             f"{w_hh.shape} do not fit; expected (B, T, 4H), (2, B, H), (4H, H)")
        self.xg_shape, self.t = xg.shape, t
        z = h @ w_hh.T
        z += xg[:, t]
        dtype = z.dtype
        scale, slope, offset, _ = _gate_constants(h.shape[-1], dtype)
        z *= scale
        tz = np.tanh(z, out=z)               # one tanh for all four gates, then
        act = tz * slope                     # sigmoid = 0.5 + 0.5 tanh(z/2) for i, f, o
        act += offset                        # and tanh(z) for g
        H = h.shape[-1]
        i, f, g, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
        out = np.empty((2,) + h.shape, dtype=np.result_type(dtype, c))
        c_new = np.multiply(f, c, out=out[1])
        c_new += i * g
        tc = np.tanh(c_new)
        np.multiply(o, tc, out=out[0])
        self.h, self.c, self.w, self.act, self.tz, self.tc = h, c, w_hh, act, tz, tc
        return out

    def backward(self, node, grad):
        act, tc, H = self.act, self.tc, self.tc.shape[-1]
        i, f, g, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
        dh, dc = grad[0], grad[1]
        dc = dc + dh * o * (1.0 - tc * tc)
        # d(loss)/d(gate activations), then one product with d(activation)/d(pre-activation)
        # = k (1 - tz²), k = 1/4 for the sigmoids and 1 for g (from the forward's one tanh).
        d_gates = np.empty(act.shape, dtype=grad.dtype)
        np.multiply(dc, g, out=d_gates[:, :H])
        np.multiply(dc, self.c, out=d_gates[:, H:2 * H])
        np.multiply(dc, i, out=d_gates[:, 2 * H:3 * H])
        np.multiply(dh, tc, out=d_gates[:, 3 * H:])
        k = _gate_constants(H, self.tz.dtype)[3]
        local = self.tz * self.tz
        local *= k
        np.subtract(k, local, out=local)
        d_gates *= local
        needs = self.needs
        d_state = None
        if needs[1]:
            d_state = np.empty(grad.shape, dtype=grad.dtype)
            np.matmul(d_gates, self.w, out=d_state[0])
            np.multiply(dc, f, out=d_state[1])
        return (SliceGrad(self.xg_shape, grad.dtype, (slice(None), self.t), d_gates) if needs[0] else None,
                d_state,
                d_gates.T @ self.h if needs[2] else None)

    def graph_backward(self, node, grad):
        t = self.t

        def step(xg, state, w_hh):  # forward again, from ops that each have a graph_backward
            from ..factories import stack
            H = state.shape[-1]
            z = xg[:, t] + state[0] @ w_hh.T
            i, f, o = z[:, :H].sigmoid(), z[:, H:2 * H].sigmoid(), z[:, 3 * H:].sigmoid()
            c = f * state[1] + i * z[:, 2 * H:3 * H].tanh()
            return stack([o * c.tanh(), c])
        return decomposed_backward(node, grad, step)
