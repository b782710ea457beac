"""Second and higher derivatives: every op's Hessian-vector product against central
differences of its analytic first derivative (float64), third derivatives against
closed forms, and the checker itself caught on a wrong second derivative."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, strategies as st

import tinygrad_edu as tg
from tinygrad_edu import Tensor
from tinygrad_edu.core.errors import GraphError
from tinygrad_edu.gradcheck import GradcheckError, gradgradcheck
from tinygrad_edu.scalar import SCALAR_OPS, Value, grad as scalar_grad
from tinygrad_edu.tensor import OP_TABLE
from tinygrad_edu.tensor.function import Elementwise
from tinygrad_edu.testing.strategies import expressions, grid_floats
from tinygrad_edu.testing.suite import _module_cases, scalar_cases
from tensor_op_cases import CASES, leaf


TIES_ARE_KINKS = {"maximum", "max", "min", "max_pool2d"}


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
def test_every_tensor_op_has_a_correct_second_derivative(name, data):
    fn, arrays = CASES[name](data.draw)
    if name in TIES_ARE_KINKS:  # the first derivative jumps at a tie: keep away from one
        values = np.concatenate([a.ravel() for a in arrays])
        assume(len(np.unique(values)) == len(values))
    inputs = [leaf(a) for a in arrays]
    assert type(fn(*inputs)._op) is OP_TABLE[name]
    gradgradcheck(fn, inputs)


def test_every_op_of_both_engines_is_covered():
    assert set(CASES) == set(OP_TABLE)
    assert set(scalar_cases()) == set(SCALAR_OPS)


@pytest.mark.parametrize("name", sorted(SCALAR_OPS))
@given(x=grid_floats(0.3, 2.0) | grid_floats(-2.0, -0.3), y=grid_floats(0.3, 2.0))
def test_every_scalar_op_has_a_correct_second_derivative(name, x, y):
    fn, inputs = scalar_cases()[name]
    values = [Value(x), Value(y)][:len(inputs)]
    if name in ("log", "pow"):  # a positive first operand: log's domain, pow's base
        values[0] = Value(abs(x))
    gradgradcheck(fn, values)


@pytest.mark.parametrize("name", sorted(_module_cases(np.random.default_rng(0))))
def test_every_module_has_a_correct_second_derivative(name):
    fn, inputs = _module_cases(np.random.default_rng(0))[name]
    gradgradcheck(fn, inputs)


@given(expressions(max_steps=8))
def test_random_graphs_second_derivatives_both_engines(expr):
    values = [Value(x) for x in expr.inputs]
    assume(expr.kink_distance(*values) > 1e-2)
    gradgradcheck(expr, values)
    tensors = [Tensor([x, -x], dtype=np.float64, requires_grad=True) for x in expr.inputs]
    gradgradcheck(lambda *t: expr(*t).sum(), tensors)


# Third derivatives against closed forms: f, and f''' written out by hand.
def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


THIRD = {
    "tanh": (lambda v: v.tanh(),
             lambda x: -2 * (1 - math.tanh(x) ** 2) * (1 - 3 * math.tanh(x) ** 2)),
    "sigmoid": (lambda v: v.sigmoid(),
                lambda x: (lambda s: s * (1 - s) * (1 - 6 * s + 6 * s * s))(_sigmoid(x))),
    "exp": (lambda v: v.exp(), math.exp),
    "log": (lambda v: v.log(), lambda x: 2 / x ** 3),
    "pow": (lambda v: v ** 4.5, lambda x: 4.5 * 3.5 * 2.5 * x ** 1.5),
    "chain": (lambda v: (v * v).tanh(),  # tanh(x²): the chain rule three times over
              lambda x: (lambda t: -8 * x * (1 - t * t) * (3 * t + x * x * (2 - 6 * t * t)))(math.tanh(x * x))),
}


def _third_derivative(f, x, engine):
    if engine == "scalar":
        v = Value(x)
        d1, = scalar_grad(f(v), v, create_graph=True)
        d2, = scalar_grad(d1, v, create_graph=True)
        d3, = scalar_grad(d2, v)
        return d3.data
    t = Tensor([x], dtype=np.float64, requires_grad=True)
    d1, = tg.grad(f(t).sum(), t, create_graph=True)
    d2, = tg.grad(d1.sum(), t, create_graph=True)
    d3, = tg.grad(d2.sum(), t)
    return float(d3.data[0])


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
@pytest.mark.parametrize("name", sorted(THIRD))
@given(x=grid_floats(0.3, 1.5))
def test_third_derivatives_match_closed_forms(name, engine, x):
    f, closed = THIRD[name]
    assert _third_derivative(f, x, engine) == pytest.approx(closed(x), rel=1e-9, abs=1e-9)


class _DetachedCube(Elementwise):
    """x³ whose derivative forgets that it depends on x (a classic mistake): first
    derivatives are right, second derivatives silently 0."""

    name, symbol = "detached_cube", "cube"

    def forward(self, a):
        return a ** 3

    def derivative(self, a, out):
        data = a.data if isinstance(a, Tensor) else a
        return (3 * data ** 2,)


def test_gradgradcheck_catches_a_wrong_second_derivative():
    x = leaf(np.array([0.5, -1.25, 2.0]))
    tg.gradcheck.gradcheck(lambda a: _DetachedCube.apply(a), [x])  # first derivative: fine
    with pytest.raises(GradcheckError) as caught:
        gradgradcheck(lambda a: _DetachedCube.apply(a), [x])
    report = caught.value.report
    assert not report.passed
    # numeric 6·x·w for the direction w; analytic 0 (the detached derivative)
    assert all(e.analytic == 0.0 and abs(e.numeric) > 0.1 for e in report.worst if not e.ok)


def test_scalar_gradgradcheck_catches_a_wrong_second_derivative():
    from tinygrad_edu.scalar.ops import Unary

    class Cube(Unary):
        name, symbol = "cube", "cube"

        def forward(self, a):
            return a ** 3

        def derivative(self, a, out):
            return (3 * (a.data if isinstance(a, Value) else a) ** 2,)

    cube = Cube()
    with pytest.raises(GradcheckError):
        gradgradcheck(lambda a: Value._make(cube, a), [Value(0.8)])


def test_without_create_graph_no_graph_is_left_behind():
    x = Tensor([0.5, -1.0], dtype=np.float64, requires_grad=True)
    g, = tg.grad((x.tanh() * x).sum(), x)
    assert g.parents == () and not g.requires_grad and g.op == ""
    v = Value(0.5)
    dv, = scalar_grad(v.tanh() * v, v)
    assert dv.parents == () and dv.op == ""
    # ...and with it, the gradient is a graph over the forward nodes
    g2, = tg.grad((x.tanh() * x).sum(), x, create_graph=True)
    assert g2.requires_grad and g2.parents
    np.testing.assert_allclose(g2.data, g.data)
    assert x.grad is None and v.grad == 0.0  # grad() never touches .grad


def test_backward_create_graph_leaves_differentiable_grads_as_in_pytorch():
    x = Tensor([0.5, -1.0], dtype=np.float64, requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Tensor) and first.requires_grad
    np.testing.assert_allclose(first.data, 3 * x.data ** 2)
    first.sum().backward()  # accumulates 6x into x.grad, as PyTorch does
    np.testing.assert_allclose(x.grad.data, 3 * x.data ** 2 + 6 * x.data)
    v = Value(0.5)
    (v * v * v).backward(create_graph=True)
    assert isinstance(v.grad, Value) and v.grad.data == pytest.approx(0.75)


def test_grad_of_several_outputs_and_a_vector_output():
    x = Tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    a, b = (x * x).sum(), x.exp().sum()
    g, = tg.grad([a, b], x)
    np.testing.assert_allclose(g.data, 2 * x.data + np.exp(x.data))
    g, = tg.grad(x * x, x, grad_outputs=np.array([1.0, 3.0]))
    np.testing.assert_allclose(g.data, [2.0, 12.0])


def test_grad_errors_name_the_problem():
    x = Tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    y = Tensor([1.0], dtype=np.float64, requires_grad=True)
    with pytest.raises(GraphError, match="grad_outputs"):
        tg.grad(x * 2, x)
    with pytest.raises(GraphError, match="do not depend on input 1"):
        tg.grad((x * 2).sum(), [x, y])
    assert tg.grad((x * 2).sum(), [x, y], allow_unused=True)[1] is None
    with pytest.raises(GraphError, match=r"grad_outputs\[0\] has shape \(3,\)"):
        tg.grad(x * 2, x, grad_outputs=np.ones(3))


def test_an_op_without_a_graph_backward_raises_naming_it():
    from tinygrad_edu.tensor.function import Function

    class NumpyOnly(Function):
        name, symbol, rules = "numpy_only", "np", ("2",)

        def forward(self, a):
            return 2 * a

        def backward(self, node, g):
            return (2 * np.asarray(getattr(g, "data", g)),)

    x = Tensor([1.0], dtype=np.float64, requires_grad=True)
    tg.grad(NumpyOnly.apply(x).sum(), x)  # first derivatives work
    with pytest.raises(GraphError, match="numpy_only: backward gave input 0"):
        tg.grad(NumpyOnly.apply(x).sum(), x, create_graph=True)


def test_hvp_hessian_and_jacobian_against_closed_forms():
    x = Tensor([0.5, -1.5, 2.0], dtype=np.float64, requires_grad=True)
    f = lambda t: (t[0] * t[1] ** 2 + t[2].exp()).sum()  # noqa: E731
    a, b, c = x.data
    H = np.array([[0, 2 * b, 0], [2 * b, 2 * a, 0], [0, 0, np.exp(c)]])
    np.testing.assert_allclose(tg.hessian(f, x).data, H)
    v = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(tg.hvp(f, x, v).data, H @ v)
    J = tg.jacobian(lambda t: t.tanh() * 2, x)
    np.testing.assert_allclose(J.data, np.diag(2 * (1 - np.tanh(x.data) ** 2)))
    p, q = Value(0.5), Value(-1.5)
    rows = tg.hessian(lambda p, q: p * q * q, [p, q])
    np.testing.assert_allclose(rows, [[0.0, 2 * -1.5], [2 * -1.5, 2 * 0.5]])
    assert tg.jacobian(lambda p, q: [p * q, p + q], [p, q]) == [[-1.5, 0.5], [1.0, 1.0]]
    with pytest.raises(ValueError, match="hessian: x has 4000 elements"):
        tg.hessian(lambda t: t.sum(), Tensor(np.zeros(4000), requires_grad=True))


def test_hessian_of_a_small_mlp_matches_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    w1, w2 = rng.standard_normal((3, 2)) * 0.7, rng.standard_normal((1, 3)) * 0.7
    xs, ys = rng.standard_normal((5, 2)), rng.standard_normal((5, 1))
    flat = np.concatenate([w1.ravel(), w2.ravel()])

    def loss_ours(theta):
        h = (Tensor(xs, dtype=np.float64) @ theta[:6].reshape(3, 2).T).tanh()
        return ((h @ theta[6:].reshape(1, 3).T - ys) ** 2).mean()

    def loss_torch(theta):
        h = torch.tanh(torch.tensor(xs) @ theta[:6].reshape(3, 2).T)
        return ((h @ theta[6:].reshape(1, 3).T - torch.tensor(ys)) ** 2).mean()

    ours = tg.hessian(loss_ours, Tensor(flat, dtype=np.float64, requires_grad=True)).data
    theirs = torch.autograd.functional.hessian(loss_torch, torch.tensor(flat)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_hessian_over_a_models_parameters_is_one_matrix():
    rng = np.random.default_rng(3)
    w = Tensor(rng.standard_normal((2, 3)), dtype=np.float64, requires_grad=True)
    b = Tensor(rng.standard_normal(2), dtype=np.float64, requires_grad=True)
    x = rng.standard_normal(3)

    def loss(*params):
        return ((w @ x + b).tanh() ** 2).sum()

    both = tg.hessian(loss, [w, b]).data
    assert both.shape == (8, 8)
    np.testing.assert_allclose(both, both.T, atol=1e-12)  # second derivatives commute
    only_w = tg.hessian(loss, w).data.reshape(6, 6)
    np.testing.assert_allclose(both[:6, :6], only_w, atol=1e-12)


def test_pictures_and_the_stepper_show_a_gradient_as_its_own_graph():
    from tinygrad_edu.stepper import Stepper
    from tinygrad_edu.viz import draw_graph
    x = Value(0.5, label="x")
    y = x.tanh()
    y.label = "y"
    dx, = scalar_grad(y, x, create_graph=True)
    source = draw_graph(dx).source
    assert dx.label == "∂y/∂x" and "∂y/∂x" in source
    assert "∂tanh (chain rule)" in source        # the chain rule of tanh, boxed
    assert "seed" in source and "<B>y</B>" in source  # built from the forward node y
    stepper = Stepper(dx)
    assert "∂y/∂x" in stepper.to_html()
    steps = [f for f in stepper.frames if f.title.startswith("Backward")]
    assert steps  # its backward can be stepped: it gives d²y/dx²
    dx.backward()
    assert x.grad == pytest.approx(-2 * math.tanh(0.5) * (1 - math.tanh(0.5) ** 2))


def test_cli_draws_and_steps_a_derivatives_graph(tmp_path):
    import subprocess
    import sys
    run = lambda *a: subprocess.run([sys.executable, "-m", "tinygrad_edu", *a],  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    out = tmp_path / "d.dot"
    result = run("graph", "x**3", "--set", "x=2", "--derivative", "x", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "∂f/∂x" in out.read_text() and "chain rule" in out.read_text()
    result = run("step", "x**3", "--set", "x=2", "--derivative", "x", "--auto")
    assert result.returncode == 0 and "second derivatives" in result.stdout
    assert "dL/dx = 12" in result.stdout  # d²(x³)/dx² = 6x = 12 at x = 2
    result = run("step", "x**3", "--set", "x=2", "--derivative", "y", "--auto")
    assert result.returncode == 2 and "--derivative y: not a variable" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("make", [lambda ps: tg.optim.SGD(ps, lr=0.1),
                                  lambda ps: tg.optim.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: tg.optim.Adam(ps, lr=0.1)])
def test_optimisers_step_on_gradients_left_by_create_graph(make):
    w = Tensor([1.0, -2.0], dtype=np.float64, requires_grad=True)
    twin = Tensor([1.0, -2.0], dtype=np.float64, requires_grad=True)
    (w ** 2).sum().backward(create_graph=True)
    (twin ** 2).sum().backward()
    make([w]).step()
    make([twin]).step()
    np.testing.assert_allclose(w.data, twin.data)
