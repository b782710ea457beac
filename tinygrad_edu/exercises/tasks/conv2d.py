"""Exercise 9, conv2d: backward of a convolution written as im2col and a matrix product.

The template's worked example, by the reference solution:

>>> x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]]); w = np.ones((1, 1, 1, 1))
>>> dx, dw = backward(x, w, np.ones((1, 1, 2, 2)))
>>> dx.tolist(), dw.tolist()
([[[[1.0, 1.0], [1.0, 1.0]]]], [[[[10.0]]]])
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..diagnosis import OVERWRITE, SIGN, UPSTREAM
from ..function_task import FunctionTask
from ..library import tensor_grads
from ..search import arrays, central_differences

NAME = "conv2d"
SUMMARY = "conv2d (stride 1, no padding) via im2col: dL/dx and dL/dweight"
TEMPLATE = '''"""Exercise: conv2d. A convolution's backward, through im2col.

x: (N, C, H, W) images; w: (O, C, kh, kw) filters. The forward (stride 1, no padding,
cross-correlation as in PyTorch) is written below with im2col: each output position's
window is one row of `cols`, and the convolution is one matrix product. Backward
reaches the output with upstream, shaped (N, O, H - kh + 1, W - kw + 1).
Return (dL/dx, dL/dw), shaped like x and w.

Worked example:
    x = [[[[1, 2], [3, 4]]]] (1, 1, 2, 2), w = [[[[1]]]] (1, 1, 1, 1), upstream = ones
    -> forward(x, w) == x and backward(x, w, upstream) == (ones like x, [[[[10]]]])

Check it with:  tinygrad-edu exercise check conv2d
"""
import numpy as np


def im2col(x, kh, kw):
    """(N, OH * OW, C * kh * kw): row p of sample n is the window under output p."""
    N, C, H, W = x.shape
    OH, OW = H - kh + 1, W - kw + 1
    cols = np.empty((N, OH, OW, C, kh, kw))
    for i in range(kh):
        for j in range(kw):
            cols[:, :, :, :, i, j] = x[:, :, i:i + OH, j:j + OW].transpose(0, 2, 3, 1)
    return cols.reshape(N, OH * OW, C * kh * kw)


def forward(x, w):
    """The convolution: (N, O, OH, OW)."""
    N, _, H, W = x.shape
    O, _, kh, kw = w.shape
    out = im2col(x, kh, kw) @ w.reshape(O, -1).T          # (N, OH * OW, O)
    return out.reshape(N, H - kh + 1, W - kw + 1, O).transpose(0, 3, 1, 2)


def backward(x, w, upstream):
    """(dL/dx, dL/dw) for out = forward(x, w), given upstream = dL/dout."""
    raise NotImplementedError
'''
HINTS = (
    "Undo forward's last steps first: bring upstream to (N, OH * OW, O), the shape of "
    "`cols @ w.reshape(O, -1).T`. Then it is the matmul exercise again.",
    "dL/dw: the weight is shared by every sample and position, so sum over both: "
    "sum over n of up[n].T @ cols[n], reshaped to w.shape. dL/dcols = up @ w.reshape(O, -1).",
    "dL/dx: run im2col backwards (col2im). Windows overlap, so a pixel gets a gradient from "
    "every window it sits in: add them (+=) into a zero array, never assign.",
)


def im2col(x, kh, kw):
    """The template's im2col (the reference solution uses it)."""
    N, C, H, W = x.shape
    OH, OW = H - kh + 1, W - kw + 1
    cols = np.empty((N, OH, OW, C, kh, kw))
    for i in range(kh):
        for j in range(kw):
            cols[:, :, :, :, i, j] = x[:, :, i:i + OH, j:j + OW].transpose(0, 2, 3, 1)
    return cols.reshape(N, OH * OW, C * kh * kw)


def backward(x, w, upstream):
    """The reference: the matmul's backward, then col2im adding overlapping windows."""
    return _backward(x, w, upstream)


def _backward(x, w, upstream, mistake=None):
    """The reference, or what ``mistake`` would compute instead."""
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    OH, OW = H - kh + 1, W - kw + 1
    if mistake == UPSTREAM:
        upstream = np.ones_like(upstream)
    up = upstream.transpose(0, 2, 3, 1).reshape(N, OH * OW, O)
    cols = im2col(x, kh, kw)
    per_sample = np.einsum("npo,npk->nok", up, cols)
    dw = (per_sample[0] if mistake == "batch not summed" else per_sample.sum(0)).reshape(w.shape)
    wm = (w[:, :, ::-1, ::-1] if mistake == "kernel flipped" else w).reshape(O, -1)
    dcols = (up @ wm).reshape(N, OH, OW, C, kh, kw)
    dx = np.zeros_like(x)
    if mistake == "overwrite windows":  # the same slip, looping over output positions
        for p in range(OH * OW):
            dx[:, :, p // OW:p // OW + kh, p % OW:p % OW + kw] = dcols[:, p // OW, p % OW]
        return dx, dw
    for i in range(kh):
        for j in range(kw):
            window = dcols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
            if mistake == OVERWRITE:
                dx[:, :, i:i + OH, j:j + OW] = window
            else:
                dx[:, :, i:i + OH, j:j + OW] += window
    return (-dx, -dw) if mistake == SIGN else (dx, dw)


@st.composite
def _cases(draw):
    n, c, o = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, min(h, 2))), draw(st.integers(1, min(w, 2)))
    return {"x": draw(arrays((n, c, h, w))), "w": draw(arrays((o, c, kh, kw))),
            "upstream": draw(arrays((n, o, h - kh + 1, w - kw + 1)))}


def _expected(case):
    from ...nn import functional as F
    return tensor_grads(F.conv2d, [case["x"], case["w"]], case["upstream"])


def _numeric(case):
    u, w = case["upstream"], case["w"]

    def loss(x, w):
        N, _, H, W = x.shape
        O, _, kh, kw = w.shape
        out = (im2col(x, kh, kw) @ w.reshape(O, -1).T).reshape(N, H - kh + 1, W - kw + 1, O)
        return float((out.transpose(0, 3, 1, 2) * u).sum())
    return tuple(central_differences(loss, [case["x"], w]))


def _mistakes(case):
    def variant(m):
        return _backward(case["x"], case["w"], case["upstream"], m)
    return {OVERWRITE: [variant(OVERWRITE), variant("overwrite windows")],
            **{m: variant(m) for m in (SIGN, UPSTREAM, "batch not summed", "kernel flipped")}}


TASK = FunctionTask(
    NAME, "backward", ("x", "w", "upstream"), _cases(), ("dL/dx", "dL/dw"), _expected, _numeric,
    _mistakes, lambda case, k: ("col2im(upstream @ w)", "sum over samples of upstreamᵀ @ cols")[k],
    explain={"batch not summed": "the filters are shared by every sample: dL/dw sums the "
                                 "contributions of all N samples, not only the first",
             "kernel flipped": "PyTorch's conv2d is a cross-correlation: dL/dcols uses w as it "
                               "is, not rotated by 180 degrees"},
    examples=40)


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)
