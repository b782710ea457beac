"""Tensor behaviour beyond single ops: dtypes, errors, hooks, no_grad, in-place changes, anomaly."""
import numpy as np
import pytest
from hypothesis import assume, given

import tinygrad_edu as tg
from tinygrad_edu import Tensor, no_grad
from tinygrad_edu.core import GraphError
from tinygrad_edu.gradcheck import gradcheck
from tinygrad_edu.testing.strategies import expressions


def test_dtypes_default_to_float32_and_keep_float64_on_request():
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(3.0).dtype == np.float32
    assert Tensor([1, 2]).dtype.kind == "i"
    assert Tensor([1.0], dtype=np.float64).dtype == np.float64
    x = Tensor(np.ones(3), dtype=np.float32, requires_grad=True)
    (x * 2.5).sum().backward()
    assert x.grad.dtype == np.float32


def test_factories_are_seedable():
    tg.manual_seed(7)
    a = tg.randn(3, 2).numpy().copy()
    tg.manual_seed(7)
    assert np.array_equal(a, tg.randn(3, 2).numpy())
    assert tg.zeros(2, 3).shape == (2, 3) and tg.ones((4,)).numpy().sum() == 4
    assert tg.eye(3).numpy().trace() == 3 and tg.arange(5).tolist() == [0, 1, 2, 3, 4]
    u = tg.uniform(1000, low=-1, high=1).numpy()
    assert -1 <= u.min() and u.max() < 1


def test_item_detach_numpy():
    x = Tensor([[2.5]], requires_grad=True)
    assert x.item() == 2.5
    d = (x * 2).detach()
    assert not d.requires_grad and d.parents == ()
    with pytest.raises(ValueError, match=r"item: only a one-element tensor.*shape \(2,\)"):
        Tensor([1.0, 2.0]).item()


@given(expressions(max_steps=10))
def test_random_composite_tensor_graphs_with_fan_out(expr):
    rng = np.random.default_rng(len(expr.steps))
    inputs = [Tensor(x + 0.3 * rng.standard_normal((2, 3)), dtype=np.float64, requires_grad=True)
              for x in expr.inputs]
    assume(expr.kink_distance(*inputs) > 1e-3)
    gradcheck(expr, inputs)


def test_broadcast_gradient_is_summed_back_to_each_shape():
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.ones((3,)), requires_grad=True)
    c = Tensor(np.ones((2, 1)), requires_grad=True)
    (a * b * c).sum().backward()
    assert b.grad.tolist() == [2.0, 2.0, 2.0] and c.grad.tolist() == [[3.0], [3.0]]


def test_max_splits_gradient_evenly_between_ties():
    x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]


def test_repeated_indices_accumulate():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[np.array([0, 0, 2])].sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 1.0]


def test_comparisons_give_tensors_without_grad():
    x = Tensor([1.0, -1.0], requires_grad=True)
    m = x > 0
    assert m.dtype == bool and not m.requires_grad and m.tolist() == [True, False]


def test_softmax_is_stable_for_huge_logits():
    z = Tensor([[1000.0, 0.0, -1000.0]])
    assert np.allclose(z.softmax().numpy(), [[1.0, 0.0, 0.0]])
    assert np.isfinite(z.log_softmax().numpy()).all()


@pytest.mark.parametrize("make, pattern", [
    (lambda: Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3))), r"matmul: shapes \(2, 3\) and \(2, 3\)"),
    (lambda: Tensor(np.ones((2, 3))) + Tensor(np.ones((4,))), r"add: cannot broadcast shapes \(2, 3\) and \(4,\)"),
    (lambda: Tensor(np.ones((2, 3))).reshape(4), r"reshape: cannot reshape .*\(2, 3\).* to \(4,\)"),
    (lambda: Tensor([1, 2], requires_grad=True), r"only floating-point tensors can require grad; got dtype int"),
    (lambda: Tensor(np.ones(3)).sum(axis=2), r"sum: dim 2 is out of range"),
    (lambda: Tensor("abc"), r"Tensor: cannot make a tensor from str"),
    (lambda: Tensor([[1.0, 2.0], [3.0]]), r"Tensor: .*list: its nested lists have different lengths"),
    (lambda: Tensor(["1", "x"], dtype=np.float32), r"Tensor: .*could not convert string to float"),
    (lambda: Tensor(np.ones((2, 3))).transpose(0, 5), r"transpose: dim 5 is out of range .*\(2, 3\)"),
    (lambda: Tensor(np.ones((2, 3))).permute(0, 5), r"permute: axes \(0, 5\) are not a permutation"),
    (lambda: Tensor(np.ones((2, 3))).softmax(axis=2), r"softmax: dim 2 is out of range"),
    (lambda: Tensor(np.ones((2, 3))).log_softmax(axis=-3), r"log_softmax: dim -3 is out of range"),
    (lambda: tg.randn(-1, 3), r"randn: sizes must be whole numbers >= 0, got \(-1, 3\)"),
    (lambda: tg.zeros(2.5), r"zeros: sizes must be whole numbers >= 0"),
    (lambda: Tensor(np.ones((2, 3))).flatten(5), r"flatten: dim 5 is out of range"),
])
def test_shape_and_type_errors_name_the_op_and_shapes(make, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        make()


def test_backward_on_non_scalar_needs_a_gradient():
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    y = x * 2
    with pytest.raises(GraphError, match=r"shape \(2, 2\) without a gradient"):
        y.backward()
    y.backward(np.ones((2, 2)))
    assert x.grad.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_backward_through_a_no_grad_graph_is_refused_clearly():
    x = Tensor([1.0], requires_grad=True)
    with no_grad():
        y = (x * 2).sum()
    assert not y.requires_grad and y.parents == ()
    with pytest.raises(GraphError, match="inside no_grad"):
        y.backward()
    with pytest.raises(GraphError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


def test_modifying_saved_data_before_backward_names_the_tensor():
    w = Tensor([1.0, 2.0], requires_grad=True, label="w")
    x = Tensor([3.0, 4.0], requires_grad=True, label="x")
    y = (w * x).sum()
    x.data = np.array([0.0, 0.0])   # mul saved x for the gradient of w
    with pytest.raises(RuntimeError, match=r"mul backward: input 1 'x' of shape \(2,\) was modified"):
        y.backward()
    assert w.grad is None  # the error came before any gradient was written


def test_modifying_data_that_backward_does_not_need_is_fine():
    x = Tensor([3.0, 4.0], requires_grad=True)
    y = (x + 1.0).sum()
    x.data -= 1.0
    y.backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_gradients_accumulate_and_hooks_can_rewrite_them():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    seen = []
    handle = h.register_hook(lambda g: seen.append(g.numpy().copy()) or g * 0.5)
    h.sum().backward()
    assert seen[0].tolist() == [1.0, 1.0] and x.grad.tolist() == [1.5, 1.5]
    handle.remove()
    h.sum().backward()
    assert x.grad.tolist() == [4.5, 4.5]  # accumulated, the hook gone


def test_retain_grad_keeps_non_leaf_gradients():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    h.retain_grad()
    k = x + 1
    (h + k).sum().backward()
    assert h.grad.tolist() == [1.0, 1.0] and k.grad is None


def test_anomaly_mode_names_the_op_that_made_nan_in_backward():
    x = Tensor([0.0, 4.0], requires_grad=True)
    with tg.detect_anomaly():
        y = x.sqrt()  # forward is finite; d sqrt(x)/dx = inf at 0
        with pytest.raises(tg.AnomalyError, match=r"sqrt backward produced inf .*created at .*test_tensor_engine.py"):
            y.sum().backward()


def test_anomaly_mode_stops_at_the_first_forward_nan():
    x = Tensor([-1.0, 1.0], requires_grad=True)
    with tg.detect_anomaly():
        with pytest.raises(tg.AnomalyError, match=r"log forward produced nan .*\(2,\)"):
            x.log()
    assert np.isnan(x.log().numpy()[0])  # outside anomaly mode: numpy's nan, no error


def test_tensor_backward_emits_steps_with_shapes():
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    steps = []
    (x * x).sum().backward(observer=steps.append)
    assert [s.node.op or s.node.label for s in steps] == ["sum", "*", "x"]
    mul = steps[1]
    assert [p.rule for p in mul.parents] == ["{b}", "{a}"]
    assert np.array_equal(mul.parents[0].local, [1.0, 2.0])
    assert np.array_equal(mul.parents[1].total, [2.0, 4.0])  # fan-out: x feeds both sides


def test_parents_never_share_a_gradient_array():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    h = a + b
    h.retain_grad()
    (h * 1.0).sum().backward()
    assert a.grad is not b.grad and h.grad is not a.grad
    a.grad *= 0.0                       # clipping one in place leaves the others alone
    assert b.grad.tolist() == [1.0, 1.0] and h.grad.tolist() == [1.0, 1.0]


def test_op_outputs_and_new_tensors_set_every_slot():
    x = Tensor([1.0, 2.0], requires_grad=True)
    made = {"op output": x * 2.0, "constant op output": Tensor([1.0]) * 2.0,
            "_make": Tensor._make(np.ones(2)), "leaf": x}
    slots = [s for s in Tensor.__slots__ if not s.startswith("__")]
    for what, t in made.items():
        for slot in slots:
            assert hasattr(t, slot), f"{what} lacks {slot}"


def test_accumulating_gradients_never_writes_into_arrays_it_does_not_own():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    mine = np.array([10.0, 10.0], dtype=np.float32)
    b.grad = mine
    for _ in range(3):  # three passes, each giving `a` two contributions
        y = a + b       # add hands one upstream array to both of its parents
        (y + a + a * 0.0).sum().backward()
    assert a.grad.tolist() == [6.0, 6.0] and b.grad.tolist() == [13.0, 13.0]
    assert mine.tolist() == [10.0, 10.0] and a.grad is not b.grad
    # one leaf used three times in one graph: its third contribution is added in place
    w = Tensor(np.linspace(-1, 1, 6).reshape(3, 2), dtype=np.float64, requires_grad=True)
    x = Tensor(np.arange(6.0).reshape(2, 3) / 6, dtype=np.float64)
    gradcheck(lambda w: ((x @ w).tanh() @ w.T @ w).tanh().sum(), [w])
    import pickle
    ((x @ w) @ w.T @ w).sum().backward()  # w now holds a sum it made
    twin = pickle.loads(pickle.dumps(w))
    assert np.array_equal(twin.grad, w.grad) and twin.grad is not w.grad
