"""The LSTM step, stated once for engine ops and once, fused, for arrays with its
backward; and the op that runs one step (``lstm_cell``).

The step, in PyTorch's gate order (input, forget, cell g, output), from the
pre-activations z = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh, (B, 4H):

    i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o);   g = tanh(z_g)
    c' = f c + i g;   h' = o tanh(c')

- ``step_from_ops``: those lines on Tensors, each op with its own backward and graph.
  ``nn.LSTMCell`` draws it; the fused ops differentiate it for second derivatives.
- ``fused_step`` and ``fused_step_back``: the same step and its backward on arrays, in
  place (measured figure beside them). The ``lstm_cell`` op here and the
  ``lstm_layer`` op (a whole sequence, ``lstm_layer.py``) run them.

``lstm_cell``'s inputs: the input projection of the whole sequence ``xg`` (B, T, 4H) with
both biases folded in (step ``t`` is read), the previous state (2, B, H) = (h, c)
stacked, and ``W_hh`` (4H, H). Output: the new state (h', c') stacked, (2, B, H). Taking
the whole projection and the stacked state keeps a step to one node (no slicing ops).

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> z = Tensor(np.zeros((1, 4)))                       # H = 1: every gate at z = 0
>>> (i, f, g, o), c, h = step_from_ops(z, Tensor(np.ones((1, 1))))
>>> i.item(), g.item(), c.item()                       # c' = 0.5 * 1 + 0.5 * 0
(0.5, 0.0, 0.5)
"""
from __future__ import annotations

import functools

import numpy as np

from ..function import Function, decomposed_backward, register
from ..lazy_grad import SliceGrad


def step_from_ops(z, c=None):
    """One LSTM step from engine ops: ``z`` the pre-activations (B, 4H), ``c`` the cell
    state (B, H) or None (zeros). Returns the gates (i, f, g, o), c' and h'."""
    H = z.shape[-1] // 4
    i, f = z[:, :H].sigmoid(), z[:, H:2 * H].sigmoid()
    g, o = z[:, 2 * H:3 * H].tanh(), z[:, 3 * H:].sigmoid()
    c_new = i * g if c is None else f * c + i * g
    return (i, f, g, o), c_new, o * c_new.tanh()


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


def fused_step(act, c, h_out, c_out):
    """``step_from_ops`` on arrays, in place: ``act`` (B, 4H) holds s·z, the scaled
    pre-activations (``_gate_constants``), and becomes the gates (i, f, g, o); c' goes
    into ``c_out`` and h' into ``h_out``. Returns tanh(c'), which backward reads.

    One tanh gives all four gates (sigmoid(z) = 0.5 + 0.5 tanh(z/2)), and the products
    write into their outputs: the cell's forward went from 50 to 41 us."""
    H = act.shape[-1] // 4
    _, slope, offset, _ = _gate_constants(H, act.dtype)
    np.tanh(act, out=act)
    act *= slope
    act += offset
    i, f, g, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
    np.multiply(f, c, out=c_out)
    c_out += i * g
    tc = np.tanh(c_out)
    np.multiply(o, tc, out=h_out)
    return tc


def fused_step_back(act, tc, h_new, c, dh, dc, d):
    """The backward of ``fused_step``: from d(loss)/d(h') ``dh`` and d(loss)/d(c') ``dc``
    (changed in place), d(loss)/dz into ``d`` (B, 4H); returns d(loss)/d(c) through this
    step, in ``dc``'s buffer. d(loss)/d(h) is ``d @ W_hh``, left to the caller."""
    H = tc.shape[-1]
    i, f, g, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
    through_h = h_new * tc                       # o (1 - tanh²c') = o - h' tanh c'
    np.subtract(o, through_h, out=through_h)
    through_h *= dh
    dc += through_h
    np.multiply(dc, g, out=d[:, :H])             # d(loss)/d(activations) ...
    np.multiply(dc, c, out=d[:, H:2 * H])
    np.multiply(dc, i, out=d[:, 2 * H:3 * H])
    np.multiply(dh, tc, out=d[:, 3 * H:])
    # ... times d(activation)/dz = k (1 - tanh²(s·z)) = k - (act - offset)², in one
    # product for the four gates: a(1 - a) for the sigmoids and 1 - g² for g
    _, _, offset, k = _gate_constants(H, act.dtype)
    local = act - offset
    local *= local
    np.subtract(k, local, out=local)
    d *= local
    dc *= f
    return dc


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
        act = h @ w_hh.T
        act += xg[:, t]
        act *= _gate_constants(h.shape[-1], act.dtype)[0]
        out = np.empty((2,) + h.shape, dtype=np.result_type(act.dtype, c))
        self.tc = fused_step(act, c, out[0], out[1])
        self.h, self.c, self.w, self.act, self.h_new = h, c, w_hh, act, out[0]
        return out

    def backward(self, node, grad):
        d_gates = np.empty(self.act.shape, dtype=grad.dtype)
        dc = fused_step_back(self.act, self.tc, self.h_new, self.c, grad[0], grad[1].copy(),
                             d_gates)
        needs = self.needs
        d_state = None
        if needs[1]:
            d_state = np.empty(grad.shape, dtype=grad.dtype)
            np.matmul(d_gates, self.w, out=d_state[0])
            d_state[1] = dc
        return (SliceGrad(self.xg_shape, grad.dtype, (slice(None), self.t), d_gates) if needs[0] else None,
                d_state,
                d_gates.T @ self.h if needs[2] else None)

    def graph_backward(self, node, grad):
        t = self.t

        def step(xg, state, w_hh):  # forward again, from ops that each have a graph_backward
            from ..factories import stack
            _, c, h = step_from_ops(xg[:, t] + state[0] @ w_hh.T, state[1])
            return stack([h, c])
        return decomposed_backward(node, grad, step)
