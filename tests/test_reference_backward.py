"""The reference backward (core/reference_backward.py, a few lines for reading) gives the
same gradients as the real driver on random graphs with fan-out, scalar and tensor (with
broadcasting), for every node, in both of its loops: training (`.backward()` into
`.grad`, core/train_backward.py) and capture (`gradients`, core/backward.py `_drive`)."""
import numpy as np
from hypothesis import given, strategies as st

import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, manual_seed
from tinygrad_edu.core.backward import gradients
from tinygrad_edu.core.graph import topological_order
from tinygrad_edu.core.reference_backward import reference_backward
from tinygrad_edu.scalar import Value
from tinygrad_edu.testing.strategies import broadcastable_shapes, expressions, float64_arrays


def assert_same_as_driver(root, seed, leaves, tol=1e-12):
    order = topological_order(root)
    ours = reference_backward(root, seed)
    captured = gradients([(root, seed)], order)          # the driver, capture mode
    for node, theirs in zip(order, captured):
        assert (id(node) in ours) == (theirs is not None), node
        if theirs is not None:
            np.testing.assert_allclose(ours[id(node)], theirs, rtol=tol, atol=tol)
    root.backward(seed)                                   # the driver, training mode
    for leaf in leaves:
        grad = leaf.grad.numpy() if isinstance(leaf.grad, Tensor) else leaf.grad
        if id(leaf) not in ours:                          # an input the root does not use
            assert grad is None or grad == 0.0
        else:
            np.testing.assert_allclose(ours[id(leaf)], grad, rtol=tol, atol=tol)
    return ours


@given(expressions(max_steps=12))
def test_scalar_graphs(expr):
    values = [Value(x, label=f"x{i}") for i, x in enumerate(expr.inputs)]
    root = expr(*values)
    # Every Value keeps its gradient, so training mode is checked at every node.
    assert_same_as_driver(root, 1.0, topological_order(root))


@given(st.data())
def test_tensor_graphs_with_broadcasting(data):
    expr = data.draw(expressions(max_steps=12))
    shapes = data.draw(broadcastable_shapes(num_shapes=3))[:len(expr.inputs)]
    tensors = [Tensor(data.draw(float64_arrays(s)), requires_grad=True, dtype=np.float64)
               for s in shapes]
    out = expr(*tensors)
    root = out if out.ndim == 0 else out.sum()
    assert_same_as_driver(root, np.ones((), np.float64), tensors)


def test_a_small_network_with_slices_matmul_and_cross_entropy():
    manual_seed(0)
    model = nn.MLP(4, [5, 3])                             # float32, as trained
    x = Tensor(np.random.default_rng(0).standard_normal((6, 4)), dtype=np.float32)
    h = model(x)
    loss = F.cross_entropy(h[:4], Tensor(np.array([0, 2, 1, 2]))) + (h[4:] ** 2).mean()
    leaves = list(model.parameters())
    ours = assert_same_as_driver(loss, np.ones((), np.float32), leaves, tol=1e-6)
    assert all(id(p) in ours for p in leaves)             # every parameter was reached
