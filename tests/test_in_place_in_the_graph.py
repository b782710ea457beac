"""In-place ops on tensors in a graph are recorded (or refused at backward), and writes
through any handle the library gives out (``.data``, ``.numpy()``, views, ``detach()``)
are caught by the backward that needs the old values (issue 24, item 4)."""
import numpy as np
import pytest

from tinygrad_edu import Tensor, nn, no_grad, optim
from tinygrad_edu.gradcheck import gradcheck


# -- in-place on a tensor in the graph ----------------------------------------------------------
def in_place_chain(x):
    total = 0
    for k in (1.0, 2.0):
        total += (x * k).tanh()      # total is a non-leaf from the second pass on
    h = x * 1.5
    h += x.exp()
    h *= x
    h.sub_(x, alpha=0.5)
    h.div_(x * x + 1.0)
    h.clamp_(-10, 10)                # values stay well inside: no kink
    return (total * h).sum()


def test_in_place_ops_in_the_graph_give_the_right_gradient():
    x = Tensor([0.3, -0.7, 1.1], requires_grad=True, dtype=np.float64)
    assert gradcheck(in_place_chain, [x]).passed      # against central differences
    y = x * 2
    same = y
    y += 1
    assert y is same and not y.is_leaf and y.tolist() == pytest.approx([1.6, -0.4, 3.2])


def test_an_update_that_reads_the_old_value_gives_the_right_gradient():
    layer = nn.Linear(3, 3, dtype=np.float64)

    def residual(x):
        h = x * 1.0
        h += h * 2               # the operand was computed from the old h
        h *= h                   # the operand is the old h itself
        h += layer(h).tanh()     # a residual connection, written in place
        h.sub_(h.sum() * 0.1)
        return h.sum()
    x = Tensor([0.3, -0.2, 0.5], requires_grad=True, dtype=np.float64)
    assert gradcheck(residual, [x]).passed


def test_in_place_on_a_plain_tensor_with_an_operand_that_requires_grad_joins_the_graph():
    w = Tensor([1.0, 2.0], requires_grad=True, dtype=np.float64)
    acc = Tensor(np.zeros(2))
    acc += w * w
    acc.sum().backward()
    assert not acc.is_leaf and w.grad.tolist() == [2.0, 4.0]


def test_fills_in_the_graph_pass_no_gradient_to_the_old_value():
    w = Tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    h.zero_()
    (h + w).sum().backward()
    assert w.grad.tolist() == [1.0, 1.0]


def test_in_place_after_another_op_used_the_old_value_refuses_at_backward():
    w = Tensor([1.0, 2.0], requires_grad=True)
    h = w * 2
    z = h + 1            # uses the old h
    h += 1
    with pytest.raises(RuntimeError, match=r"add backward: input 0 of shape \(2,\) was changed by "
                                           r"\+= after add used it"):
        (z + h).sum().backward()
    assert w.grad is None


def test_in_place_under_no_grad_on_a_saved_value_refuses_at_backward():
    w = Tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    with no_grad():
        w -= 0.1
    with pytest.raises(RuntimeError, match="mul backward: input 0 of shape"):
        loss.backward()


# -- writes through any handle (issue 24, item 4) ---------------------------------------------
def test_a_write_into_an_intermediate_whose_op_reads_it_is_caught():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = a.exp()
    y = b.sum()
    b.data[0] = 0
    with pytest.raises(RuntimeError, match=r"exp backward: its output of shape \(2,\) was "
                                           "modified in place"):
        y.backward()


def test_a_write_into_an_intermediate_whose_op_does_not_read_it_keeps_the_gradient():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = a + 1            # add's derivative is 1: it never reads its output
    y = b.sum()
    b.data[0] = 0
    y.backward()
    assert a.grad.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("write", [
    lambda a: a.numpy().__setitem__(0, 100.0),
    lambda a: a.detach().numpy().__setitem__(0, 100.0),
    lambda a: a.detach().add_(1),
    lambda a: a.detach().reshape(2, 1).data.__setitem__((0, 0), 100.0),
    lambda a: np.copyto(a.numpy(), 0.0)])
def test_writes_through_any_handle_reach_the_check(write):
    a = Tensor([1.0, 2.0], requires_grad=True)
    y = (a * a).sum()
    write(a)
    with pytest.raises(RuntimeError, match=r"mul backward: input 0 of shape \(2,\) was modified"):
        y.backward()


def test_a_write_through_a_view_made_under_no_grad_is_caught():
    a = Tensor([1.0, 2.0], requires_grad=True)
    y = (a * a).sum()
    with no_grad():
        a.reshape(2, 1).zero_()
    with pytest.raises(RuntimeError, match="mul backward: input 0"):
        y.backward()


def test_np_asarray_gives_a_read_only_view():
    a = Tensor([1.0, 2.0])
    view = np.asarray(a)
    with pytest.raises(ValueError, match="read-only"):
        view[0] = 5.0
    assert np.asarray(a, dtype=np.float64).flags.writeable and a.tolist() == [1.0, 2.0]


def test_an_optimiser_step_on_a_weight_a_transpose_saved_is_caught():
    w = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    loss = (Tensor([[1.0, 1.0]]) @ w.T).sum()    # matmul saves the view w.T
    w.grad = np.ones((2, 2))
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="was modified in place"):
        loss.backward()
