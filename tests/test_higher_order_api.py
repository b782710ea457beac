"""The higher-order API as a user meets it: grad and backward(create_graph=True) in both
engines, hvp/hessian/jacobian, optimisers after a double backward, and gradients drawn
and stepped as graphs of their own (library and command line)."""
import math

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import Tensor
from tinygrad_edu.core.errors import GraphError
from tinygrad_edu.scalar import Value, grad as scalar_grad


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
    torch = pytest.importorskip("torch", reason="compared with PyTorch's hessian: pip install -e '.[torch]'")
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


def test_a_derivative_written_with_numpy_functions_names_the_op():
    from tinygrad_edu.tensor.function import Elementwise

    class Sine(Elementwise):
        name, symbol = "my_sine", "sin"

        def forward(self, a):
            return np.sin(a)

        def derivative(self, a, out):
            return (np.cos(a),)  # fine on arrays, not on Tensors

    x = Tensor([0.5], dtype=np.float64, requires_grad=True)
    assert tg.grad(Sine.apply(x).sum(), x)[0].data == pytest.approx(np.cos(0.5))
    with pytest.raises(GraphError, match="my_sine: its derivative cannot be evaluated on graph nodes"):
        tg.grad(Sine.apply(x).sum(), x, create_graph=True)
