"""PyTorch tutorials' training code on Tensor: ``.grad`` a Tensor (None before backward),
``zero_grad`` as PyTorch's, in-place methods and ``-=`` on a leaf under ``no_grad()``,
in-place ops recorded in the graph, and writes through any handle caught by backward."""
import re

import numpy as np
import pytest
from hypothesis import given, strategies as st

import tinygrad_edu as tg
from tinygrad_edu import Tensor, nn, no_grad, optim

RNG = np.random.default_rng(0)
X = RNG.standard_normal((16, 3))
Y = X @ np.array([[1.5], [-2.0], [0.5]]) + 0.3
W0 = RNG.standard_normal((3, 1)) * 0.1
LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation"


def mse(w, b):
    return ((Tensor(X, dtype=np.float64) @ w + b - Tensor(Y, dtype=np.float64)) ** 2).mean()


def params():
    return (Tensor(W0, requires_grad=True, dtype=np.float64),
            Tensor([0.0], requires_grad=True, dtype=np.float64))


def manual_loop(steps=20, lr=0.1):
    """The loop every PyTorch tutorial writes, unchanged."""
    w, b = params()
    ids, losses = (id(w), id(b)), []
    for _ in range(steps):
        loss = mse(w, b)
        loss.backward()
        with no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
        losses.append(loss.item())
    assert (id(w), id(b)) == ids and w.is_leaf and b.is_leaf and w.requires_grad
    return w, b, losses


def test_the_manual_loop_trains_and_equals_sgd():
    w, b, losses = manual_loop()
    assert losses[-1] < 0.2 * losses[0]
    w2, b2 = params()
    opt = optim.SGD([w2, b2], lr=0.1)
    for _ in range(20):
        opt.zero_grad()
        mse(w2, b2).backward()
        opt.step()
    np.testing.assert_allclose(w.numpy(), w2.numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(b.numpy(), b2.numpy(), rtol=0, atol=1e-6)


def test_the_manual_loop_equals_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch (the test extra) compares the loop")
    w, b, losses = manual_loop()
    tw = torch.tensor(W0, requires_grad=True)
    tb = torch.tensor([0.0], dtype=torch.float64, requires_grad=True)
    tx, ty = torch.tensor(X), torch.tensor(Y)
    torch_losses = []
    for _ in range(20):
        loss = ((tx @ tw + tb - ty) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            tw -= 0.1 * tw.grad
            tb -= 0.1 * tb.grad
            tw.grad.zero_()
            tb.grad.zero_()
        torch_losses.append(loss.item())
    np.testing.assert_allclose(losses, torch_losses, rtol=1e-9)
    np.testing.assert_allclose(w.numpy(), tw.detach().numpy(), rtol=0, atol=1e-9)


def test_micrograd_style_data_update_equals_the_manual_loop():
    w, b = params()
    for _ in range(20):
        w.grad = b.grad = None
        mse(w, b).backward()
        w.data -= 0.1 * w.grad      # a data view minus a Tensor
        b.data = b.data - 0.1 * b.grad
    w2, _, _ = manual_loop()
    np.testing.assert_allclose(w.numpy(), w2.numpy(), rtol=0, atol=1e-12)


@given(lr=st.floats(0.01, 0.3), steps=st.integers(1, 5))
def test_in_place_steps_equal_sgd_for_any_rate(lr, steps):
    w, b, _ = manual_loop(steps, lr)
    w2, b2 = params()
    opt = optim.SGD([w2, b2], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        mse(w2, b2).backward()
        opt.step()
    np.testing.assert_allclose(w.numpy(), w2.numpy(), rtol=0, atol=1e-9)


# -- .grad ---------------------------------------------------------------------------------
def test_grad_is_none_then_a_tensor_without_a_grad_of_its_own():
    layer = nn.Linear(2, 1)
    assert layer.weight.grad is None
    layer(Tensor([[1.0, 2.0]])).sum().backward()
    g = layer.weight.grad
    assert type(g) is Tensor and g.shape == (1, 2) and g.dtype == np.float32
    assert not g.requires_grad and g.grad is None and g.is_leaf and g is layer.weight.grad
    assert g.tolist() == [[1.0, 2.0]]


def test_grads_accumulate_into_the_tensor_handed_out():
    w = Tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    g = w.grad
    (w * 3).sum().backward()
    assert g is w.grad and g.tolist() == [5.0, 7.0]   # 2w + 3, as in PyTorch


def test_writing_one_grad_leaves_another_alone():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([[3.0], [4.0]], requires_grad=True)
    (a + b.reshape(2)).sum().backward()   # one upstream array reaches both
    a.grad.zero_()
    a.grad.numpy()[0] = 9.0
    assert b.grad.tolist() == [[1.0], [1.0]] and a.grad.tolist() == [9.0, 0.0]


def test_grad_setter_takes_a_tensor_an_array_or_none():
    w = Tensor([1.0, 2.0], requires_grad=True)
    given = Tensor([0.5, 0.5])
    w.grad = given
    assert w.grad is given
    w.grad = np.array([1.0, 1.0])          # cast to the tensor's dtype
    assert w.grad.dtype == np.float32 and w.grad.tolist() == [1.0, 1.0]
    w.grad = None
    assert w.grad is None
    with pytest.raises(ValueError, match=r"grad: cannot assign a gradient of shape \(3,\) to a "
                                         r"tensor of shape \(2,\)"):
        w.grad = np.ones(3)
    with pytest.raises(TypeError, match="grad: expected a Tensor, a numpy array or None; got a list"):
        w.grad = [1.0, 2.0]
    assert w.grad is None


def test_zero_grad_sets_none_by_default_and_zeros_in_place_when_asked():
    model = nn.Linear(2, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    model(Tensor([[1.0, -1.0]])).sum().backward()
    held = model.weight.grad
    opt.zero_grad(set_to_none=False)
    assert model.weight.grad is held and not held.numpy().any()   # zeroed in place
    model(Tensor([[1.0, -1.0]])).sum().backward()
    assert held.tolist() == [[1.0, -1.0], [1.0, -1.0]]
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model(Tensor([[1.0, -1.0]])).sum().backward()
    model.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.numpy().any() for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_zero_grad_set_to_none_false_on_a_gradient_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.tolist() == [3.0, 12.0]   # 3x², a graph
    x.zero_grad(set_to_none=False)
    assert not x.grad.requires_grad and x.grad.tolist() == [0.0, 0.0]


def test_hooks_get_the_gradient_as_a_read_only_tensor():
    w = Tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    seen = []
    h.register_hook(lambda g: seen.append(g) or g * 2)
    h.sum().backward()
    assert type(seen[0]) is Tensor and seen[0].tolist() == [1.0, 1.0]
    assert w.grad.tolist() == [6.0, 6.0]
    h2 = w * 3
    h2.register_hook(lambda g: g.zero_())
    with pytest.raises(ValueError, match=r"zero_: this tensor's array \(shape \(2,\)\) is read-only"):
        h2.sum().backward()


def test_a_leaf_numbered_after_its_consumers_is_not_taken_for_an_in_place_change():
    w = Tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    w._seq = 10 ** 12         # as if unpickled from another process
    other = Tensor([0.0])
    other += 1                # a change after the forward: backward checks every node
    loss.backward()
    assert w.grad.tolist() == [2.0, 4.0]


# -- in-place methods ---------------------------------------------------------------------
@pytest.mark.parametrize("update", [
    lambda w: w.add_(1), lambda w: w.sub_(1), lambda w: w.mul_(2), lambda w: w.div_(2),
    lambda w: w.zero_(), lambda w: w.fill_(3), lambda w: w.copy_(Tensor([1.0, 1.0])),
    lambda w: w.clamp_(0, 1), lambda w: w.uniform_(), lambda w: w.normal_()])
def test_in_place_on_a_leaf_that_requires_grad_is_refused_outside_no_grad(update):
    w = Tensor([1.5, 2.5], requires_grad=True)
    with pytest.raises(RuntimeError, match=LEAF_MESSAGE):
        update(w)
    assert w.tolist() == [1.5, 2.5] and w.is_leaf
    with no_grad():
        assert update(w) is w
    assert w.is_leaf and w.requires_grad


def test_augmented_assignment_on_a_leaf_that_requires_grad_names_the_operator():
    w = Tensor([1.0], requires_grad=True)
    for op in ("+=", "-=", "*=", "/="):
        with pytest.raises(RuntimeError, match=re.escape(f"{op}: {LEAF_MESSAGE}")):
            exec(f"w {op} 2", {}, {"w": w})
    assert w.tolist() == [1.0]


def test_in_place_values_match_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch (the test extra) checks the values")
    cases = [("add_", (2.0,), {"alpha": 3}), ("sub_", ([1.0, 2.0, 3.0],), {}),
             ("mul_", (-2.0,), {}), ("div_", (4.0,), {}), ("clamp_", (), {"min": -0.5, "max": 1}),
             ("zero_", (), {}), ("fill_", (7.0,), {}), ("copy_", ([[9.0, 8.0, 7.0]],), {})]
    start = np.array([[-1.0, 0.25, 2.0], [3.0, -4.0, 0.5]])
    for name, args, kwargs in cases:
        ours, theirs = Tensor(start, dtype=np.float64), torch.tensor(start)
        out = getattr(ours, name)(*[Tensor(np.array(a)) if isinstance(a, list) else a
                                    for a in args], **kwargs)
        getattr(theirs, name)(*[torch.tensor(a, dtype=torch.float64) if isinstance(a, list)
                                else a for a in args], **kwargs)
        assert out is ours
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=name)


def test_augmented_assignment_outside_no_grad_on_a_plain_tensor_works_in_place():
    x = Tensor([1.0, 2.0])
    data, same = x.numpy(), x
    x += 1
    x *= Tensor([2.0, 3.0])
    x -= np.array([1.0, 1.0])
    x /= 2
    assert x is same and x.tolist() == [1.5, 4.0] and data.tolist() == [1.5, 4.0]
    counts = Tensor([1, 2])
    counts += 1
    assert counts.tolist() == [2, 3] and counts.dtype == np.int64


def test_in_place_errors_name_the_op_and_change_nothing():
    x = Tensor([1.0, 2.0])
    with pytest.raises(ValueError, match=r"add_: cannot combine a tensor of shape \(2, 2\) into "
                                         r"one of shape \(2,\)"):
        x.add_(Tensor(np.ones((2, 2))))
    ints = Tensor([1, 2])
    with pytest.raises(TypeError, match=r"/=: Cannot cast ufunc 'divide' output from "
                                        r"dtype\('float64'\) to dtype\('int64'\)"):
        ints /= 2
    with pytest.raises(ValueError, match="clamp_: expected min or max"):
        x.clamp_()
    assert x.tolist() == [1.0, 2.0] and ints.tolist() == [1, 2]


def test_random_fills_use_the_seeded_generator():
    x = Tensor(np.zeros(1000))
    tg.manual_seed(5)
    first = x.uniform_(-2, 3).numpy().copy()
    tg.manual_seed(5)
    assert np.array_equal(x.uniform_(-2, 3).numpy(), first)
    assert first.min() >= -2 and first.max() < 3 and abs(first.mean() - 0.5) < 0.2
    x.normal_(4.0, 0.5)
    assert abs(x.numpy().mean() - 4.0) < 0.1 and abs(x.numpy().std() - 0.5) < 0.1
