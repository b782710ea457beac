"""Every exercise: the reference passes, and typical wrong answers fail with the right
diagnosis (checked in this process; the sandbox and the command have their own tests)."""
import numpy as np
import pytest

from tinygrad_edu import exercises
from tinygrad_edu.data import load_digits
from tinygrad_edu.exercises import diagnosis as D
from tinygrad_edu.exercises.function_task import FunctionTask
from tinygrad_edu.exercises.search import find_failure
from tinygrad_edu.exercises.tasks import (conv2d, lstm_cell, mul, neuron, tanh,
                                          topological_order, train_mlp, unbroadcast)


def diagnosed(name, **functions):
    """The mistake named for these learner functions (they must fail)."""
    outcome = exercises.task(name).check(functions, shrink=False)
    assert outcome.status == "wrong", outcome.message
    return outcome.mistake


@pytest.mark.parametrize("name", exercises.names())
def test_every_reference_solution_passes(name):
    module = exercises.task(name)
    outcome = module.check(vars(module))
    assert outcome.passed, outcome.message


def test_the_exercises_come_in_course_order():
    assert exercises.names() == ["mul", "tanh", "pow", "neuron", "topological_order",
                                 "unbroadcast", "matmul", "softmax_cross_entropy", "conv2d",
                                 "lstm_cell", "train_mlp"]


@pytest.mark.parametrize("name", [n for n in exercises.names()
                                  if isinstance(getattr(exercises.task(n), "TASK", None),
                                                FunctionTask)])
def test_the_library_reference_agrees_with_central_differences(name):
    """What the check calls 'expected' (the library's op) is right: float64 central
    differences agree on drawn inputs."""
    t = exercises.task(name).TASK
    disagree = find_failure(t.cases, lambda case: not all(
        D.close(e, n, rtol=1e-5, atol=1e-6) for e, n in zip(t.expected(case), t.numeric(case))),
        examples=15)
    assert disagree is None, disagree


def test_mul_diagnoses_and_shrinks_to_the_simplest_input():
    assert diagnosed("mul", backward=lambda a, b, u: (-u * b, -u * a)) == D.SIGN
    assert diagnosed("mul", backward=lambda a, b, u: (b, a)) == D.UPSTREAM
    assert diagnosed("mul", backward=lambda a, b, u: (u * a, u * b)) == "swapped operands"
    message = mul.check({"backward": lambda a, b, u: (-u * b, -u * a)}).message
    assert "simplest input that shows it: a = 0, b = 1, upstream = 1" in message
    assert "expected dL/da = upstream 1 x b = 1 (central differences: 1)" in message
    assert "yours gave -1" in message


def test_tanh_diagnoses():
    assert diagnosed("tanh", derivative=lambda x, out: 1 - x ** 2) == D.INPUT_FOR_OUTPUT
    assert diagnosed("tanh", derivative=lambda x, out: out ** 2 - 1) == D.SIGN
    assert diagnosed("tanh", derivative=lambda x, out: 1 - out) == "forgot the square"
    message = tanh.check({"derivative": lambda x, out: 1 - x ** 2}).message
    assert "x = 1, out = 0.761594" in message and "= 0.419974" in message
    assert "yours gave 0" in message


def test_pow_diagnoses():
    assert diagnosed("pow", backward=lambda x, n, u: n * x ** (n - 1)) == D.UPSTREAM
    assert diagnosed("pow", backward=lambda x, n, u: u * n * x ** n) == "exponent not lowered"
    assert diagnosed("pow", backward=lambda x, n, u: -u * n * x ** (n - 1)) == D.SIGN
    assert diagnosed("pow", backward=lambda x, n, u: u * x ** (n - 1)) == "forgot the factor n"


def _neuron(v, overwrite=False, tanh_input=False, y_sign=1, upstream=True):
    """A hand-written neuron backward with one typical slip switched on."""
    v["L"].grad = 1.0
    if overwrite:
        v["e"].grad = v["e"].data * v["L"].grad
    else:
        v["e"].grad = 2 * v["e"].data * v["L"].grad
    v["o"].grad = v["e"].grad
    v["y"].grad = -y_sign * v["e"].grad
    slope = 1 - (v["n"] if tanh_input else v["o"]).data ** 2
    v["n"].grad = v["o"].grad * slope if upstream else slope
    for name in ("s", "b", "x1w1", "x2w2"):
        v[name].grad = v["n"].grad
    v["x1"].grad, v["w1"].grad = v["w1"].data * v["x1w1"].grad, v["x1"].data * v["x1w1"].grad
    v["x2"].grad, v["w2"].grad = v["w2"].data * v["x2w2"].grad, v["x2"].data * v["x2w2"].grad


def test_neuron_names_the_first_wrong_node_and_the_stepper_line():
    assert neuron.check({"backward": _neuron}).passed
    assert diagnosed("neuron", backward=lambda v: _neuron(v, overwrite=True)) == D.OVERWRITE
    assert diagnosed("neuron", backward=lambda v: _neuron(v, tanh_input=True)) == D.INPUT_FOR_OUTPUT
    assert diagnosed("neuron", backward=lambda v: _neuron(v, y_sign=-1)) == D.SIGN
    assert diagnosed("neuron", backward=lambda v: _neuron(v, upstream=False)) == D.UPSTREAM
    message = neuron.check({"backward": lambda v: _neuron(v, tanh_input=True)}).message
    assert "first wrong gradient in backward order: n.grad" in message
    assert "n.grad += 1.52319 x d(o)/d(n) [= 1 - o² = 0.419974] = 0.6397; yours gave 0" in message


def _dfs(root):
    out = []

    def visit(v):
        for p in v.parents:
            visit(p)
        out.append(v)
    visit(root)
    return out


def test_topological_order_diagnoses():
    ref = topological_order.topological_order
    assert diagnosed("topological_order", topological_order=_dfs) == topological_order.DUPLICATES
    assert diagnosed("topological_order", topological_order=lambda r: ref(r)[::-1]) == \
        topological_order.REVERSED
    assert diagnosed("topological_order",
                     topological_order=lambda r: [n for n in ref(r) if n.parents]) == \
        topological_order.LEAVES
    message = topological_order.check({"topological_order": _dfs}).message
    assert "simplest graph that shows it: n1 = a + a" in message and "lists a twice" in message


def test_topological_order_handles_a_deep_graph_without_recursion():
    from tinygrad_edu.scalar import Value
    x = Value(1.0)
    for _ in range(5000):
        x = x + 1.0
    assert len(topological_order.topological_order(x)) == 10001


def test_unbroadcast_diagnoses():
    def leading_only(g, s):
        return g.sum(axis=tuple(range(g.ndim - len(s))))
    assert diagnosed("unbroadcast", unbroadcast=lambda g, s: g) == D.BROADCAST
    assert diagnosed("unbroadcast", unbroadcast=leading_only) == "size-1 axes not summed"
    assert diagnosed("unbroadcast", unbroadcast=lambda g, s: unbroadcast.unbroadcast(g, s).squeeze()
                     if any(n == 1 for n in s) else unbroadcast.unbroadcast(g, s)) == \
        "keepdims forgotten"


def test_matmul_diagnoses_a_transposed_gradient():
    assert diagnosed("matmul", backward=lambda a, b, u: (u @ b.T, u.T @ a)) == D.TRANSPOSED
    assert diagnosed("matmul", backward=lambda a, b, u: (b @ u.T, a.T @ u)) == D.TRANSPOSED
    assert diagnosed("matmul", backward=lambda a, b, u: (-(u @ b.T), -(a.T @ u))) == D.SIGN
    ones = np.ones_like
    assert diagnosed("matmul", backward=lambda a, b, u: (ones(u) @ b.T, a.T @ ones(u))) == \
        D.UPSTREAM


def _softmax(z, axis=1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_softmax_cross_entropy_diagnoses():
    def onehot(z, t):
        return np.eye(z.shape[1])[t]
    assert diagnosed("softmax_cross_entropy", backward=lambda z, t: _softmax(z) - onehot(z, t)) \
        == "forgot the mean's 1/N"
    assert diagnosed("softmax_cross_entropy",
                     backward=lambda z, t: (onehot(z, t) - _softmax(z)) / len(t)) == D.SIGN
    assert diagnosed("softmax_cross_entropy", backward=lambda z, t: _softmax(z) / len(t)) == \
        "one-hot not subtracted"


def _conv_backward(x, w, up, mistake=None):
    """A loop-by-loop conv2d backward, written apart from the package's, with slips."""
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    dx, dw = np.zeros_like(x), np.zeros_like(w)
    for n in range(N if mistake != "batch" else 1):
        for o in range(O):
            for i in range(H - kh + 1):
                for j in range(W - kw + 1):
                    dw[o] += up[n, o, i, j] * x[n, :, i:i + kh, j:j + kw]
    for n in range(N):
        for i in range(H - kh + 1):
            for j in range(W - kw + 1):
                patch = np.einsum("o,ocyx->cyx", up[n, :, i, j], w)
                if mistake == "overwrite":
                    dx[n, :, i:i + kh, j:j + kw] = patch
                else:
                    dx[n, :, i:i + kh, j:j + kw] += patch
    return (-dx, -dw) if mistake == "sign" else (dx, dw)


def test_conv2d_diagnoses():
    assert conv2d.check({"backward": _conv_backward}).passed
    assert diagnosed("conv2d", backward=lambda x, w, u: _conv_backward(x, w, u, "overwrite")) == \
        D.OVERWRITE
    assert diagnosed("conv2d", backward=lambda x, w, u: _conv_backward(x, w, u, "sign")) == D.SIGN
    assert diagnosed("conv2d", backward=lambda x, w, u: _conv_backward(x, w, u, "batch")) == \
        "batch not summed"


def _lstm_backward(x, h, c, w_ih, w_hh, b, dh2, dc2, mistake=None):
    """An LSTM step's backward written apart from the package's, with slips."""
    H = h.shape[1]
    z = x @ w_ih.T + h @ w_hh.T + b
    i, f, o = (1 / (1 + np.exp(-z[:, k * H:(k + 1) * H])) for k in (0, 1, 3))
    g = np.tanh(z[:, 2 * H:3 * H])
    c2 = f * c + i * g
    slope = 1 - c2 ** 2 if mistake == "input" else 1 - np.tanh(c2) ** 2
    dc_total = dh2 * o * slope + (0 if mistake == "dc" else dc2)
    dz = np.hstack([dc_total * g * i * (1 - i), dc_total * c * f * (1 - f),
                    dc_total * i * (1 - g * g), dh2 * np.tanh(c2) * o * (1 - o)])
    grads = [dz @ w_ih, dz @ w_hh, dc_total * f, dz.T @ x, dz.T @ h, dz.sum(axis=0)]
    return tuple(-d for d in grads) if mistake == "sign" else tuple(grads)


def test_lstm_cell_diagnoses():
    assert lstm_cell.check({"backward": _lstm_backward}).passed
    assert diagnosed("lstm_cell", backward=lambda *a: _lstm_backward(*a, mistake="dc")) == \
        "forgot dc2"
    assert diagnosed("lstm_cell", backward=lambda *a: _lstm_backward(*a, mistake="input")) == \
        D.INPUT_FOR_OUTPUT
    assert diagnosed("lstm_cell", backward=lambda *a: _lstm_backward(*a, mistake="sign")) == D.SIGN


def _mlp_gradients(p, x, y, mistake=None):
    """A 2-layer MLP's gradients written apart from the package's, with slips."""
    z1 = x @ p["W1"] + p["b1"]
    a1 = np.maximum(z1, 0)
    d = _softmax(a1 @ p["W2"] + p["b2"]) - np.eye(p["W2"].shape[1])[y]
    d = d / len(y) * (-1 if mistake == "sign" else 1)
    dz1 = d @ p["W2"].T * (1 if mistake == "relu" else (z1 > 0))
    return {"W1": (dz1.T @ x) if mistake == "transposed" else x.T @ dz1,
            "b1": dz1.sum(0), "W2": a1.T @ d, "b2": d.sum(0)}


def test_train_mlp_gradients_are_checked_and_diagnosed():
    assert train_mlp.TASK.check({"gradients": _mlp_gradients}).passed
    waiting = train_mlp.check({"gradients": _mlp_gradients}, shrink=False)
    assert waiting.status == "not started" and "no train() to run yet" in waiting.message
    for mistake, name in (("sign", D.SIGN), ("relu", "relu mask forgotten"),
                          ("transposed", D.TRANSPOSED)):
        assert diagnosed("train_mlp", gradients=lambda p, x, y, m=mistake:
                         _mlp_gradients(p, x, y, m)) == name


def test_train_mlp_reaches_the_stated_accuracy_with_a_margin_across_seeds():
    data = load_digits()
    x_train = data.train_images.reshape(-1, 64).astype(np.float64)
    x_test = data.test_images.reshape(-1, 64).astype(np.float64)
    scores = [train_mlp.accuracy(train_mlp.train(x_train, data.train_labels, seed), x_test,
                                 data.test_labels) for seed in range(5)]
    assert min(scores) >= train_mlp.ACCURACY + 0.03, scores


def test_train_mlp_fails_a_model_that_does_not_learn():
    def lazy(images, labels, seed):
        return {"W1": np.zeros((64, 4)), "b1": np.zeros(4), "W2": np.zeros((4, 10)),
                "b2": np.zeros(10)}
    data = load_digits()
    outcome = train_mlp.check({"gradients": _mlp_gradients, "train": lazy}, data=data)
    assert outcome.status == "wrong" and "below the 0.90 asked for" in outcome.message


def test_a_learner_exception_names_their_line():
    def derivative(x, out):
        values = [1.0]
        return values[3]
    outcome = exercises.check_functions("tanh", {"derivative": derivative})
    assert outcome.status == "error"
    assert "derivative raised IndexError: list index out of range" in outcome.message
    assert "return values[3]" in outcome.message and "test_exercises.py" in outcome.message


def test_not_started_and_missing_functions_say_so():
    assert exercises.check_functions("mul", {}).status == "not started"
    stub = exercises.check_functions("mul", {"backward": lambda a, b, u: exec("raise NotImplementedError")})
    assert stub.status == "not started"


def test_a_wrong_number_of_outputs_is_explained():
    outcome = exercises.check_functions("mul", {"backward": lambda a, b, u: u * b})
    assert outcome.status == "wrong" and "should return 2 value(s)" in outcome.message


@pytest.mark.parametrize("name", exercises.names())
def test_every_template_states_the_task_and_checks_as_not_started(name):
    module = exercises.task(name)
    namespace = {}
    exec(compile(module.TEMPLATE, f"{name}.py", "exec"), namespace)
    assert "Worked example" in namespace["__doc__"] and "raise NotImplementedError" in module.TEMPLATE
    assert len(module.HINTS) >= 2 and module.SUMMARY
    assert module.check(namespace, shrink=False).status == "not started"
