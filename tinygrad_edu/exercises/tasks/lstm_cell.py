"""Exercise 10, lstm_cell: one LSTM step's backward, gates i, f, g, o as in PyTorch.

The template's worked example, by the reference solution:

>>> z, one = np.zeros((1, 1)), np.ones((1, 1))
>>> grads = backward(z, z, one, np.zeros((4, 1)), np.zeros((4, 1)), np.zeros(4), one, z)
>>> round(float(grads[2][0, 0]), 5)
0.19661
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..diagnosis import BROADCAST, INPUT_FOR_OUTPUT, SIGN
from ..function_task import FunctionTask
from ..library import tensor_grads
from ..search import arrays, central_differences

NAME = "lstm_cell"
SUMMARY = "one LSTM step (PyTorch's gates i, f, g, o): the gradients of x, h, c, weights, bias"
OUTPUTS = ("dx", "dh", "dc", "dw_ih", "dw_hh", "db")
TEMPLATE = '''"""Exercise: lstm_cell. Backward through one LSTM step.

x: (N, I) inputs; h, c: (N, H) the previous hidden and cell state; w_ih: (4H, I),
w_hh: (4H, H), b: (4H,). PyTorch's LSTM cell (gates in the order i, f, g, o):

    z = x @ w_ih.T + h @ w_hh.T + b                       (N, 4H)
    i = sigmoid(z[:, :H])     f = sigmoid(z[:, H:2H])
    g = tanh(z[:, 2H:3H])     o = sigmoid(z[:, 3H:])
    c2 = f * c + i * g        h2 = o * tanh(c2)

Backward reaches (h2, c2) with dh2 = dL/dh2 and dc2 = dL/dc2 (both (N, H); dc2 comes
from the next time step). Return (dx, dh, dc, dw_ih, dw_hh, db): dL/d of each input,
shaped like it.

Worked example (H = 1, I = 1, N = 1; all weights and the bias 0):
    z = 0, i = f = o = 0.5, g = 0; with c = 1: c2 = 0.5, h2 = 0.5 * tanh(0.5) = 0.231059.
    With dh2 = 1 and dc2 = 0: dc = dL/dc2 * f where dL/dc2 = o * (1 - tanh(c2)²) = 0.39322,
    so dc = 0.19661.

Check it with:  tinygrad-edu exercise check lstm_cell
"""
import numpy as np


def backward(x, h, c, w_ih, w_hh, b, dh2, dc2):
    """(dx, dh, dc, dw_ih, dw_hh, db) for one LSTM step."""
    raise NotImplementedError
'''
HINTS = (
    "Go backward one line at a time. h2 = o * tanh(c2): do = dh2 * tanh(c2), and c2 gets "
    "dh2 * o * (1 - tanh(c2)²) on top of the dc2 it already receives from the next step.",
    "c2 = f * c + i * g: df = dc2_total * c, dc = dc2_total * f, di = dc2_total * g, "
    "dg = dc2_total * i. Then through the activations: sigmoid' = s * (1 - s), "
    "tanh' = 1 - t², written with their outputs.",
    "Put the four gate gradients side by side (N, 4H) as dz, then it is a linear layer: "
    "dx = dz @ w_ih, dh = dz @ w_hh, dw_ih = dz.T @ x, dw_hh = dz.T @ h, db = dz summed "
    "over the batch.",
)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def backward(x, h, c, w_ih, w_hh, b, dh2, dc2):
    """The reference."""
    return _backward(x, h, c, w_ih, w_hh, b, dh2, dc2)


def _backward(x, h, c, w_ih, w_hh, b, dh2, dc2, mistake=None):
    """The reference, or what ``mistake`` would compute instead."""
    H = h.shape[1]
    z = x @ w_ih.T + h @ w_hh.T + b
    i, f, g, o = _sigmoid(z[:, :H]), _sigmoid(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), \
        _sigmoid(z[:, 3 * H:])
    c_new = f * c + i * g
    t = np.tanh(c_new)
    slope = 1 - (c_new if mistake == INPUT_FOR_OUTPUT else t) ** 2
    dcn = dh2 * o * slope + (0 if mistake == "forgot dc2" else dc2)
    dz = np.concatenate([dcn * g * i * (1 - i), dcn * c * f * (1 - f), dcn * i * (1 - g ** 2),
                         dh2 * t * o * (1 - o)], axis=1)
    db = dz[0] if mistake == BROADCAST else dz.sum(0)
    out = (dz @ w_ih, dz @ w_hh, dcn * f, dz.T @ x, dz.T @ h, db)
    return tuple(-a for a in out) if mistake == SIGN else out


@st.composite
def _cases(draw):
    n, i, hid = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    return {"x": draw(arrays((n, i))), "h": draw(arrays((n, hid))), "c": draw(arrays((n, hid))),
            "w_ih": draw(arrays((4 * hid, i))), "w_hh": draw(arrays((4 * hid, hid))),
            "b": draw(arrays((4 * hid,))), "dh2": draw(arrays((n, hid))),
            "dc2": draw(arrays((n, hid)))}


ARGS = ("x", "h", "c", "w_ih", "w_hh", "b", "dh2", "dc2")


def _expected(case):
    from ...nn import LSTMCell
    from ...tensor import Tensor
    n_in, hid = case["x"].shape[1], case["h"].shape[1]
    cell = LSTMCell(n_in, hid)

    def step(x, h, c, w_ih, w_hh, b):
        cell.weight_ih, cell.weight_hh, cell.bias_ih = w_ih, w_hh, b
        cell.bias_hh = Tensor(np.zeros(4 * hid), dtype=np.float64)
        return cell(x, (h, c))
    return tensor_grads(step, [case[a] for a in ARGS[:6]], (case["dh2"], case["dc2"]))


def _numeric(case):
    def loss(x, h, c, w_ih, w_hh, b):
        H = h.shape[1]
        z = x @ w_ih.T + h @ w_hh.T + b
        c_new = _sigmoid(z[:, H:2 * H]) * c + _sigmoid(z[:, :H]) * np.tanh(z[:, 2 * H:3 * H])
        h_new = _sigmoid(z[:, 3 * H:]) * np.tanh(c_new)
        return float((h_new * case["dh2"]).sum() + (c_new * case["dc2"]).sum())
    return tuple(central_differences(loss, [case[a] for a in ARGS[:6]]))


def _mistakes(case):
    args = [case[a] for a in ARGS]
    return {m: _backward(*args, mistake=m) for m in ("forgot dc2", INPUT_FOR_OUTPUT, SIGN, BROADCAST)}


TASK = FunctionTask(
    NAME, "backward", ARGS, _cases(), OUTPUTS, _expected, _numeric, _mistakes,
    explain={"forgot dc2": "c2 feeds two things: h2 (through tanh) and the next step; its "
                           "gradient is dh2 * o * (1 - tanh(c2)²) + dc2, both paths added",
             INPUT_FOR_OUTPUT: "tanh's derivative at c2 is 1 - tanh(c2)², written with the "
                               "output tanh(c2), not 1 - c2²",
             BROADCAST: "the bias is added to every row of the batch: db sums dz over the "
                        "batch axis (0)"},
    examples=40)


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)
