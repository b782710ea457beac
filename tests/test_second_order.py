"""Second and higher derivatives: every op's Hessian-vector product against central
differences of its analytic first derivative (float64), third derivatives against
closed forms, and the checker itself caught on a wrong second derivative."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

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


TIES_ARE_KINKS = {"maximum", "minimum", "max", "min", "max_pool2d"}


# The LSTM's: each example is a Hessian-vector check by central differences over every
# element of up to seven arrays (lstm_layer 58 ms, lstm_cell 30 ms an example). Their
# shapes are few (batch, input, hidden 1-2 or 1-3; up to 12 time steps): 30 examples
# (derandomized) draw all 8 of lstm_layer's (batch, input, hidden) and reach 11 steps,
# past one CHUNK of its backward loop; test_tensor_ops checks their first derivatives
# on 60 examples. 5.3 s -> 2.9 s.
SEQUENCE = {"lstm_cell", "lstm_layer"}


def _check_second_derivative(name, data):
    fn, arrays = CASES[name](data.draw)
    if name in TIES_ARE_KINKS:  # the first derivative jumps at a tie: keep away from one
        values = np.concatenate([a.ravel() for a in arrays])
        assume(len(np.unique(values)) == len(values))
    inputs = [leaf(a) for a in arrays]
    assert type(fn(*inputs)._op) is OP_TABLE[name]
    gradgradcheck(fn, inputs)


@pytest.mark.parametrize("name", sorted(set(CASES) - SEQUENCE))
@given(data=st.data())
def test_every_tensor_op_has_a_correct_second_derivative(name, data):
    _check_second_derivative(name, data)


@pytest.mark.parametrize("name", sorted(SEQUENCE))
@settings(max_examples=30)
@given(data=st.data())
def test_the_lstm_ops_have_a_correct_second_derivative(name, data):
    _check_second_derivative(name, data)


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
