"""Hypothesis cases for the op table's spatial and sequence ops (conv, pools, unfold/fold,
scatter, the LSTM step and layer), in the form of tensor_op_cases: each draws float64
input arrays and returns (function of tensors, arrays)."""
import numpy as np
from hypothesis import strategies as st

from tinygrad_edu.testing.strategies import float64_arrays


def case_conv2d(draw):
    n, c, o = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 1)), draw(st.integers(0, 1)))
    h, w = draw(st.integers(max(kh - 2 * padding[0], 1), 5)), draw(st.integers(max(kw - 2 * padding[1], 1), 5))
    from tinygrad_edu.nn import functional as F
    bias = draw(st.booleans())
    arrays = [draw(float64_arrays((n, c, h, w))), draw(float64_arrays((o, c, kh, kw)))]
    if bias:
        arrays.append(draw(float64_arrays((o,))))
    return (lambda x, wt, *b: F.conv2d(x, wt, b[0] if b else None, stride, padding)), arrays


def pool_case(name):
    def case(draw):
        from tinygrad_edu.nn import functional as F
        k = draw(st.integers(1, 3))
        s = draw(st.integers(1, 3))
        p = draw(st.integers(0, k // 2))
        h, w = draw(st.integers(k, 6)), draw(st.integers(k, 6))
        fn = getattr(F, name)
        return (lambda x: fn(x, k, s, p)), [draw(float64_arrays((1, 2, h, w), unique=True))]
    return case


def case_lstm_cell(draw):
    from tinygrad_edu.tensor.ops.recurrent import LSTMCell
    b, t, h = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    step = draw(st.integers(0, t - 1))
    arrays = [draw(float64_arrays(s)) for s in ((b, t, 4 * h), (2, b, h), (4 * h, h))]
    return (lambda xg, state, w: LSTMCell.apply(xg, state, w, t=step)), arrays


def case_lstm_layer(draw):
    from tinygrad_edu.tensor.ops.lstm_layer import CHUNK, LSTMLayer
    b, i, h = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    t = draw(st.integers(1, CHUNK + 2))    # past one chunk of the backward loop
    shapes = ((b, t, i), (b, h), (b, h), (4 * h, i), (4 * h, h), (4 * h,), (4 * h,))
    return LSTMLayer.apply, [draw(float64_arrays(s)) for s in shapes]


def _window(draw):
    """A kernel, stride and padding, and an input (N, C, H, W) they fit."""
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 1)), draw(st.integers(0, 1)))
    h, w = draw(st.integers(max(kh - 2 * padding[0], 1), 5)), draw(st.integers(max(kw - 2 * padding[1], 1), 5))
    return (kh, kw), dict(stride=stride, padding=padding), (draw(st.integers(1, 2)), 2, h, w)


def case_unfold(draw):
    from tinygrad_edu.tensor.ops.conv import Unfold
    kernel, where, x_shape = _window(draw)
    return (lambda x: Unfold.apply(x, kernel=kernel, **where)), [draw(float64_arrays(x_shape))]


def case_fold(draw):
    from tinygrad_edu.tensor.ops.conv import Fold, Unfold
    kernel, where, x_shape = _window(draw)
    cols_shape = Unfold.compute(np.zeros(x_shape), kernel=kernel, **where).shape
    return (lambda c: Fold.apply(c, x_shape=x_shape, **where)), [draw(float64_arrays(cols_shape))]


def case_scatter(draw):
    from tinygrad_edu.tensor.ops.movement import Scatter
    n = draw(st.integers(1, 4))
    index = draw(st.sampled_from([np.array([0, n - 1, 0]), slice(None, None, 2), 0]))
    picked = np.zeros((n, 3))[index].shape
    return (lambda g: Scatter.apply(g, shape=(n, 3), index=index)), [draw(float64_arrays(picked))]
