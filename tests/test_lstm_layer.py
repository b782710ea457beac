"""nn.LSTM runs each layer as one op (lstm_layer); with return_states=True it unrolls
into one lstm_cell op per step. Both must give the same numbers; the op's own gradient
is checked against central differences with every other op (test_tensor_ops)."""
import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import Tensor, nn
from tinygrad_edu.tensor.ops.lstm_layer import CHUNK, LSTMLayer


def _run(lstm, x, state, unrolled):
    for p in lstm.parameters():
        p.grad = None
    x.grad = None
    out, (h, c), *_ = lstm(x, state, return_states=unrolled)
    weights = np.random.default_rng(1).standard_normal(out.shape)
    loss = (out * Tensor(weights)).sum() + (h * c).sum() + c.sum()
    loss.backward()
    return out, [out.numpy(), h.numpy(), c.numpy(), x.grad] + [p.grad for p in lstm.parameters()]


@pytest.mark.parametrize("batch_first", [True, False])
def test_one_op_per_layer_gives_the_unrolled_numbers(batch_first):
    tg.manual_seed(0)
    lstm = nn.LSTM(3, 4, num_layers=2, batch_first=batch_first).double()
    steps = CHUNK + 3                          # the backward loop crosses a chunk boundary
    rng = np.random.default_rng(0)
    shape = (2, steps, 3) if batch_first else (steps, 2, 3)
    x = Tensor(rng.standard_normal(shape), dtype=np.float64, requires_grad=True)
    state = tuple(Tensor(rng.standard_normal((2, 2, 4)), dtype=np.float64) for _ in range(2))
    fused_out, fused = _run(lstm, x, state, unrolled=False)
    _, unrolled = _run(lstm, x, state, unrolled=True)
    for a, b in zip(fused, unrolled):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    ops = set()
    stack, seen = [fused_out], set()
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            ops.add(type(node._op).__name__ if node._op else None)
            stack.extend(node._parents)
    assert "LSTMLayer" in ops and "LSTMCell" not in ops


def test_the_output_holds_every_state_from_the_initial_one():
    rng = np.random.default_rng(2)
    B, T, I, H = 2, 3, 2, 3
    x, h0, c0 = rng.standard_normal((B, T, I)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    w_ih, w_hh = rng.standard_normal((4 * H, I)), rng.standard_normal((4 * H, H))
    b = rng.standard_normal(4 * H)
    states = LSTMLayer.compute(x, h0, c0, w_ih, w_hh, b, np.zeros(4 * H))
    h, c = h0, c0
    for t in range(T):                         # the textbook equations, written out here
        z = x[:, t] @ w_ih.T + h @ w_hh.T + b
        i, f, g, o = (1 / (1 + np.exp(-z[:, :H])), 1 / (1 + np.exp(-z[:, H:2 * H])),
                      np.tanh(z[:, 2 * H:3 * H]), 1 / (1 + np.exp(-z[:, 3 * H:])))
        np.testing.assert_allclose(states[:, t], [h, c], rtol=1e-12)
        c = f * c + i * g
        h = o * np.tanh(c)
    np.testing.assert_allclose(states[:, T], [h, c], rtol=1e-12)


def test_shapes_that_do_not_fit_are_named():
    args = [np.zeros(s) for s in ((2, 3, 5), (2, 4), (2, 4), (16, 5), (16, 4), (16,), (16,))]
    LSTMLayer.compute(*args)
    args[4] = np.zeros((16, 3))
    with pytest.raises(ValueError, match=r"lstm_layer: .*W_hh \(16, 3\).*expected"):
        LSTMLayer.compute(*args)
    args[4], args[0] = np.zeros((16, 4)), np.zeros((2, 0, 5))
    with pytest.raises(ValueError, match=r"lstm_layer: shapes x \(2, 0, 5\)"):
        LSTMLayer.compute(*args)


def test_an_empty_batch_gives_empty_outputs_and_zero_gradients():
    lstm = nn.LSTM(3, 4, batch_first=True)
    x = Tensor(np.zeros((0, CHUNK + 1, 3), np.float32), requires_grad=True)
    out, (h, c) = lstm(x)
    (out.sum() + c.sum()).backward()
    assert out.shape == (0, CHUNK + 1, 4) and h.shape == (1, 0, 4) and x.grad.shape == x.shape
    assert all(not p.grad.numpy().any() for p in lstm.parameters())


def test_backward_refuses_weights_changed_in_place_after_forward():
    tg.manual_seed(0)
    lstm = nn.LSTM(2, 3, batch_first=True)
    out, _ = lstm(Tensor(np.ones((1, 4, 2), np.float32)))
    lstm.weight_hh_l0.data[0, 0] += 1.0
    with pytest.raises(RuntimeError, match=r"lstm_layer backward: input 4 .*modified in place"):
        out.sum().backward()
    assert lstm.weight_ih_l0.grad is None


def test_the_initial_state_may_change_after_forward_it_was_copied():
    rng = np.random.default_rng(3)
    shapes = ((1, 4, 2), (1, 3), (1, 3), (12, 2), (12, 3), (12,), (12,))
    args = [Tensor(rng.standard_normal(s), dtype=np.float64, requires_grad=True) for s in shapes]
    states = LSTMLayer.apply(*args)
    before = states.numpy().copy()
    args[1].data[:] = 5.0                      # h_0 and c_0 are copied into the output
    args[2].data[:] = 5.0
    states[0, -1].sum().backward()
    assert args[1].grad.shape == (1, 3) and np.array_equal(states.numpy(), before)
