"""A whole LSTM layer over a sequence as one op, like PyTorch's fused ``nn.LSTM``: the
input projection of every step in one matmul, the recurrence in a loop of numpy calls
on contiguous time-major arrays, and the weight gradients one product per CHUNK steps
of the backward loop. ``nn.LSTM`` uses it; with ``return_states=True`` it unrolls into one
``lstm_cell`` node per step instead, so each h_t has a gradient to read.

Inputs: x (B, T, I), h_0 and c_0 (B, H), W_ih (4H, I), W_hh (4H, H), b_ih and b_hh (4H).
Output: every state, time-major, (2, T + 1, B, H): [0, t] is h_t and [1, t] is c_t, with
t = 0 the initial state, so ``out[0, 1:]`` is the layer's output and ``out[:, -1]`` its
final (h, c).

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> B, T, I, H = 2, 5, 3, 4
>>> args = [Tensor(np.full(s, 0.1)) for s in ((B, T, I), (B, H), (B, H), (4 * H, I),
...                                            (4 * H, H), (4 * H,), (4 * H,))]
>>> LSTMLayer.apply(*args).shape
(2, 6, 2, 4)
"""
from __future__ import annotations

import numpy as np

from ..function import Function, decomposed_backward, ones_vector, register
from .recurrent import _gate_constants, fused_step, fused_step_back, step_from_ops


CHUNK = 10  # time steps per weight-gradient product in backward


def _check(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    B, H = h0.shape if h0.ndim == 2 else (None, None)
    fits = (x.ndim == 3 and H is not None and x.shape[0] == B and c0.shape == h0.shape
            and w_ih.shape == (4 * H, x.shape[-1]) and w_hh.shape == (4 * H, H)
            and b_ih.shape == b_hh.shape == (4 * H,) and x.shape[1] > 0)
    if not fits:
        raise ValueError(f"lstm_layer: shapes x {x.shape}, h_0 {h0.shape}, c_0 {c0.shape}, "
                         f"W_ih {w_ih.shape}, W_hh {w_hh.shape}, b_ih {b_ih.shape}, b_hh "
                         f"{b_hh.shape} do not fit; expected (B, T>0, I), (B, H), (B, H), "
                         "(4H, I), (4H, H), (4H,), (4H,)")


@register
class LSTMLayer(Function):
    name, symbol = "lstm_layer", "lstm"
    rules = ("d(gates_t) @ W_ih at every step", "d(gates_1) @ W_hh", "upstream_c1 x f_1",
             "Σ_t d(gates_t)ᵀ @ x_t", "Σ_t d(gates_t)ᵀ @ h_(t-1)", "Σ_t d(gates_t)",
             "Σ_t d(gates_t)")
    saves = (0, 3, 4)   # x (its time-major copy may be a view of it) and the weights

    def forward(self, x, h0, c0, w_ih, w_hh, b_ih, b_hh):
        _check(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
        B, T, I = x.shape
        H = h0.shape[-1]
        dtype = np.result_type(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
        scale = _gate_constants(H, dtype)[0]
        # The step is recurrent.fused_step. The scale s of each gate's column is folded
        # into the weights, so the s·z it takes comes out of the matmuls.
        xt = np.ascontiguousarray(x.transpose(1, 0, 2))          # (T, B, I): steps contiguous
        tz = xt.reshape(T * B, I) @ (w_ih.T * scale)
        tz += (b_ih + b_hh) * scale
        acts = tz.reshape(T, B, 4 * H)                            # becomes the gates, step by step
        w_scaled = np.ascontiguousarray(w_hh.T * scale)           # (H, 4H), rows contiguous
        states = np.empty((2, T + 1, B, H), dtype=dtype)
        states[0, 0], states[1, 0] = h0, c0
        hs, cs = states[0], states[1]
        tcs = []
        for t in range(T):
            act = acts[t]
            act += hs[t] @ w_scaled
            tcs.append(fused_step(act, cs[t], hs[t + 1], cs[t + 1]))
        self.xt, self.acts, self.tcs, self.states = xt, acts, tcs, states
        self.weights = (w_ih, w_hh)
        return states

    def backward(self, node, grad):
        states, (w_ih, w_hh), needs = self.states, self.weights, self.needs
        T, B, H = states.shape[1] - 1, states.shape[2], states.shape[3]
        dtype = grad.dtype
        dh, dc = grad[0, T].copy(), grad[1, T].copy()        # d(loss)/d(h_T), d(loss)/d(c_T)
        dc_in = grad[1] if grad[1, :T].any() else None        # c_t is rarely used outside
        d_w_ih, d_w_hh = np.zeros(w_ih.shape, dtype), np.zeros(w_hh.shape, dtype)
        d_bias = np.zeros(4 * H, dtype)
        d_x = np.empty((T, B, w_ih.shape[1]), dtype) if needs[0] else None
        # Gate gradients are kept CHUNK steps at a time: the weight gradients take one
        # product per chunk, and the buffer stays in cache (a (T, B, 4H) one did not).
        chunk = np.empty((min(CHUNK, T), B, 4 * H), dtype)
        for stop in range(T, 0, -CHUNK):
            start = max(stop - CHUNK, 0)
            for t in range(stop - 1, start - 1, -1):
                d = chunk[t - start]
                dc = fused_step_back(self.acts[t], self.tcs[t], states[0, t + 1], states[1, t],
                                     dh, dc, d)
                dh = d @ w_hh
                dh += grad[0, t]
                if dc_in is not None:
                    dc += dc_in[t]
            d = chunk[:stop - start].reshape(-1, 4 * H)
            if needs[4]:
                d_w_hh += d.T @ states[0, start:stop].reshape(-1, H)   # h_(t-1) of each step
            if needs[3]:
                d_w_ih += d.T @ self.xt[start:stop].reshape(len(d), w_ih.shape[1])
            if needs[5] or needs[6]:
                d_bias += ones_vector(len(d), dtype) @ d
            if d_x is not None:
                np.matmul(d, w_ih, out=d_x[start:stop].reshape(len(d), w_ih.shape[1]))
        return (None if d_x is None else d_x.transpose(1, 0, 2), dh if needs[1] else None,
                dc if needs[2] else None, d_w_ih if needs[3] else None,
                d_w_hh if needs[4] else None, d_bias if needs[5] else None,
                (d_bias.copy() if needs[5] else d_bias) if needs[6] else None)

    def graph_backward(self, node, grad):
        return decomposed_backward(node, grad, lstm_layer_from_small_ops)


def lstm_layer_from_small_ops(x, h, c, w_ih, w_hh, b_ih, b_hh):
    """The same layer from ops that each have a graph_backward (for second derivatives)."""
    from ..factories import stack
    projected = x @ w_ih.T + (b_ih + b_hh)
    hs, cs = [h], [c]
    for t in range(x.shape[1]):
        _, c, h = step_from_ops(projected[:, t] + h @ w_hh.T, c)
        hs.append(h)
        cs.append(c)
    return stack([stack(hs), stack(cs)])
