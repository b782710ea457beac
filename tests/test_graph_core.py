"""The shared graph core: topological order, backward driver, observers, no_grad."""
import gc

import pytest
from hypothesis import assume, given

from tinygrad_edu.core import no_grad, node_ids, observe_backward, topological_order
from tinygrad_edu.gradcheck import GradcheckError, gradcheck, gradgradcheck
from tinygrad_edu.scalar import Value
from tinygrad_edu.testing.strategies import expressions


@given(expressions(max_steps=12))
def test_random_expression_dags_match_central_differences(expr):
    values = [Value(x) for x in expr.inputs]
    assume(expr.kink_distance(*values) > 1e-3)
    gradcheck(expr, values)


@given(expressions(min_inputs=1, max_inputs=2, max_steps=12))
def test_random_dags_really_fan_out_and_still_check(expr):
    assume(expr.fan_out() >= 2)  # a node feeds two or more consumers
    values = [Value(x) for x in expr.inputs]
    assume(expr.kink_distance(*values) > 1e-3)
    gradcheck(expr, values)


def test_a_million_op_chain_backpropagates_without_recursion_error():
    # The cyclic collector paused while the million nodes exist: it would walk the growing
    # chain again and again (3.8 against 2.1 CPU-s beside the suite's heap), and nothing
    # here is about collection.
    gc.disable()
    try:
        x = Value(1.0)
        y = x
        for _ in range(1_000_000):
            y = y * 1.0000001
        y.backward()
    finally:
        gc.enable()
    assert x.grad == pytest.approx(1.0000001 ** 1_000_000, rel=1e-6)


def test_topological_order_puts_parents_first_and_ids_are_deterministic():
    def build():
        a = Value(2.0, label="a")
        b = Value(-3.0, label="b")
        e = a * b
        d = e + a
        return d * d
    first = [n.op or n.label for n in topological_order(build())]
    second = [n.op or n.label for n in topological_order(build())]
    assert first == second == ["a", "b", "*", "+", "*"]
    root = build()
    order = topological_order(root)
    ids = node_ids(order)
    for node in order:
        assert all(ids[id(p)] < ids[id(node)] for p in node.parents)


def test_backward_step_stream_matches_hand_computed_chain_rule():
    # L = (a*b + a)^2 with a = 2, b = -3:  e = -6, d = -4, L = 16
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    d = e + a
    L = d * d
    steps = []
    L.backward(observer=steps.append)

    assert [s.node for s in steps] == [L, d, e, b, a]
    assert [s.node_id for s in steps] == [4, 3, 2, 1, 0]
    assert [s.upstream for s in steps] == [1.0, -8.0, -8.0, -16.0, 16.0]

    def table(step):
        return [(p.parent, p.local, p.contribution, p.total, p.fan_in) for p in step.parents]

    # L = d*d: each factor's local derivative is the other one, -4; d receives both.
    assert table(steps[0]) == [(d, -4.0, -4.0, -4.0, 1), (d, -4.0, -4.0, -8.0, 2)]
    assert [p.rule for p in steps[0].parents] == ["{b}", "{a}"]
    # d = e + a: local derivatives 1.
    assert table(steps[1]) == [(e, 1.0, -8.0, -8.0, 1), (a, 1.0, -8.0, -8.0, 1)]
    # e = a*b: a gets b * upstream = -3 * -8 = 24 on top of -8 (fan-out), b gets 2 * -8.
    assert table(steps[2]) == [(a, -3.0, 24.0, 16.0, 2), (b, 2.0, -16.0, -16.0, 1)]
    assert steps[3].parents == () and steps[4].parents == ()
    assert (a.grad, b.grad) == (16.0, -16.0)


def test_global_observer_sees_backward_and_detaches_after_block():
    x = Value(3.0)
    seen = []
    with observe_backward(seen.append):
        (x * x).backward()
    assert len(seen) == 2
    (x * x).backward()
    assert len(seen) == 2


def test_no_grad_builds_no_graph():
    a = Value(2.0)
    with no_grad():
        b = a * a + 1.0
    assert b.parents == () and b.op == ""
    b.backward()
    assert a.grad == 0.0


def test_observer_does_not_change_the_gradients():
    def grads(observer):
        a, b = Value(0.3), Value(-1.2)
        ((a * b).tanh() + a.sigmoid() * b).backward(observer=observer)
        return a.grad, b.grad
    assert grads(None) == grads(lambda step: None)


def test_gradcheck_reports_the_worst_elements_of_a_wrong_gradient(monkeypatch):
    from tinygrad_edu.scalar import ops
    monkeypatch.setattr(ops.Tanh, "backward", lambda self, node, g: (g,))  # wrong on purpose
    a = Value(0.8)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a: a.tanh(), [a])
    message = str(info.value)
    assert "input 0" in message and "numeric 0.55" in message and "analytic 1" in message
    report = gradcheck(lambda a: a.tanh(), [a], raise_on_failure=False)
    assert not report.passed and report.worst[0].analytic == 1.0


def test_gradcheck_leaves_user_gradients_alone():
    a = Value(0.5)
    a.grad = 7.0
    gradcheck(lambda a: a * a, a)  # one input, as PyTorch's gradcheck takes it
    assert a.grad == 7.0
    import numpy as np
    from tinygrad_edu import Tensor, nn
    layer = nn.Linear(3, 2, dtype=np.float64)  # parameters f uses but gradcheck does not vary
    kept = Tensor(np.ones((2, 3)), dtype=np.float64)
    layer.weight.grad = kept
    x = Tensor([0.1, -0.2, 0.3], requires_grad=True, dtype=np.float64)
    assert gradcheck(lambda x: layer(x).tanh().sum(), x).passed
    assert layer.weight.grad is kept and kept.tolist() == [[1.0] * 3] * 2
    assert layer.bias.grad is None and x.grad is None


@pytest.mark.parametrize("call, pattern", [
    (lambda x: gradcheck(lambda a: 3.0, x), r"gradcheck: f returned a float; expected a Tensor"),
    (lambda x: gradcheck(lambda a: a * a, x, eps=0), r"gradcheck: eps must be a finite number > 0"),
    (lambda x: gradcheck(lambda a: a * a, x, atol=float("nan")), r"gradcheck: atol must be"),
    (lambda x: gradcheck(lambda a: a * a, [x, 2.0]), r"gradcheck: input 1 is a float"),
    (lambda x: gradgradcheck(lambda a: a * a, x, rtol=-1), r"gradgradcheck: rtol must be .* >= 0"),
])
def test_gradcheck_refuses_what_it_cannot_check_before_calling_f_twice(call, pattern):
    x = Value(0.5)
    with pytest.raises((TypeError, ValueError), match=pattern):
        call(x)
    assert x.data == 0.5 and x.grad == 0.0


def test_each_node_gets_its_whole_gradient_once_even_if_made_out_of_order():
    import numpy as np
    from tinygrad_edu import Tensor
    x = Tensor([1.0, 2.0], requires_grad=True, dtype=np.float64)
    w = Tensor([3.0, -1.0], requires_grad=True, dtype=np.float64)
    h = x * w
    y = (h * h).sum() + (h + x).sum() + x.sum()
    # A leaf numbered after everything (as if unpickled from another process) is still
    # handed its gradient once, summed over its four uses.
    x._seq = w._seq = 10 ** 12
    seen = []
    x.register_hook(lambda g: seen.append(g.numpy().copy()))
    y.backward()
    expected = 2 * x.numpy() * w.numpy() ** 2 + w.numpy() + 1 + 1
    assert len(seen) == 1 and np.allclose(seen[0], expected) and np.allclose(x.grad, expected)


def test_copied_nodes_can_share_a_graph_with_their_originals():
    import copy
    a = Value(0.5)
    b = a * 3.0
    b2 = copy.deepcopy(b)  # same creation numbers as a and b, new objects
    out = b * b2 + b2
    out.backward()
    a2 = b2.parents[0]
    assert a2 is not a
    assert a.grad == pytest.approx(3.0 * b2.data) and a2.grad == pytest.approx(3.0 * (b.data + 1))


def test_each_module_call_is_its_own_frame():
    from tinygrad_edu import Tensor, nn
    from tinygrad_edu.core.scope import FRAMES
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    x = Tensor([[1.0, -1.0]])
    a, b = model(x), model(x)  # the same modules, called twice
    assert a._frame is not b._frame and a._frame != b._frame and len({a._frame, b._frame}) == 2
    assert a._frame.modules == (model, model[1]) and a._frame.parent.module is model
    assert FRAMES == [None] and x._frame is None  # made outside every module
    import copy
    import pickle
    for twin in (copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
        assert [type(m).__name__ for m in twin._frame.modules] == ["Sequential", "ReLU"]


def test_a_leaf_fed_by_slices_and_whole_uses_sums_them_all():
    import numpy as np
    from tinygrad_edu import Tensor
    x = Tensor(np.linspace(0.5, 2.0, 12).reshape(3, 4), requires_grad=True, dtype=np.float64)

    def f(x):  # slices give lazy gradients; x * x gives a dense one
        return (x[:, 0] * 2.0).sum() + x[1:, 1].sum() + (x[:, 0] * x[:, 3]).sum() + (x * x).sum()
    gradcheck(f, [x])
    f(x).backward(observer=lambda step: None)
    observed = x.grad.numpy().copy()
    x.grad = None
    f(x).backward()
    assert np.allclose(x.grad, observed)
