"""API misuse a learner meets: each gets a clear error naming what is wrong, before any
state changes, or (where PyTorch defines one) the same answer PyTorch gives."""
import math

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, optim
from tinygrad_edu.core.errors import DomainError, GraphError
from tinygrad_edu.data import batches, first_symbol_task, load_digits, make_moons
from tinygrad_edu.nn.train import fit, predict, steps_per_epoch
from tinygrad_edu.scalar import Value, grad as scalar_grad
from tinygrad_edu.viz import gradient_table


def test_bool_of_a_tensor_is_its_one_value_or_an_error():
    assert bool(Tensor([0.0]) > 1) is False and bool(Tensor([2.0]) > 1) is True
    with pytest.raises(ValueError, match=r"shape \(2,\) \(2 elements\) is ambiguous"):
        bool(Tensor([0.0, 2.0]) > 1)


def test_a_hook_returning_the_wrong_shape_is_refused():
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: np.ones(5))
    with pytest.raises(GraphError, match=r"shape \(5,\) for a tensor of shape \(2,\)"):
        (x * 2.0).sum().backward()


@pytest.mark.parametrize("make, name", [
    (lambda p: optim.SGD(p, lr=float("nan")), "lr"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=-0.5), "momentum"),
    (lambda p: optim.SGD(p, lr=0.1, weight_decay=float("inf")), "weight_decay"),
    (lambda p: optim.Adam(p, lr=float("nan")), "lr"),
    (lambda p: optim.AdamW(p, eps=-1.0), "eps"),
    (lambda p: optim.Adam(p, betas=(0.9, 1.0)), r"betas\[1\]"),
    (lambda p: optim.Adam(p, betas=("a", 0.9)), r"betas\[0\]"),
])
def test_optimiser_settings_must_be_finite_numbers(make, name):
    with pytest.raises(ValueError, match=f"{name} must be a finite number"):
        make(nn.Linear(2, 2).parameters())


@pytest.mark.parametrize("make", [
    lambda: load_digits(seed=-1.5), lambda: make_moons(10, seed="0"),
    lambda: first_symbol_task(4, seed=2 ** 64), lambda: next(batches(np.zeros((2, 1)), [0, 1], 1, seed=None)),
])
def test_data_sets_name_themselves_when_refusing_a_seed(make):
    with pytest.raises(ValueError, match=r"^(load_digits|make_moons|first_symbol_task|batches): seed must"):
        make()
    assert make_moons(10, seed=-1)[0].shape == (10, 2)   # negative seeds work, as for manual_seed


@pytest.mark.parametrize("call, pattern", [
    (lambda m, x: fit(m, x, [0, 1], epochs=-1), r"fit: epochs must be a whole number >= 0, got -1"),
    (lambda m, x: predict(m, x, batch_size=0), r"predict: batch_size must be a whole number >= 1"),
    (lambda m, x: steps_per_epoch(len(x), 0), r"steps_per_epoch: batch_size must be"),
])
def test_training_helpers_name_a_bad_count(call, pattern):
    model = nn.Linear(3, 2)
    before = model.weight.numpy().copy()
    with pytest.raises(ValueError, match=pattern):
        call(model, np.zeros((2, 3), np.float32))
    assert (model.weight.numpy() == before).all()


@pytest.mark.parametrize("betas", ["ab", (0.9,), 0.9])
def test_adam_betas_must_be_a_pair(betas):
    with pytest.raises(ValueError, match=r"Adam: betas must be a pair of numbers in \[0, 1\)"):
        optim.Adam(nn.Linear(2, 2).parameters(), betas=betas)


@pytest.mark.parametrize("seed", [1.5, True, "3", 2 ** 64, -2 ** 63 - 1])
def test_manual_seed_takes_the_whole_numbers_pytorch_takes(seed):
    tg.manual_seed(7)
    expected = tg.randn(3).data
    tg.manual_seed(7)
    with pytest.raises(ValueError, match=r"manual_seed: seed must be a whole number in \[-2\*\*63, "):
        tg.manual_seed(seed)
    assert (tg.randn(3).data == expected).all()  # the generator was left as it was
    tg.manual_seed(-1)                            # negative seeds work, as in PyTorch
    first = tg.randn(3).data
    tg.manual_seed(np.uint64(2 ** 64 - 1))
    assert (tg.randn(3).data == first).all()


def test_empty_batches_give_nan_like_pytorch_for_every_mean_loss():
    empty = Tensor(np.zeros((0, 3)), requires_grad=True)
    assert math.isnan(F.mse_loss(empty, np.zeros((0, 3))).item())
    assert math.isnan(F.cross_entropy(empty, np.zeros(0, dtype=np.int64)).item())
    assert F.mse_loss(empty, np.zeros((0, 3)), reduction="sum").item() == 0.0


def test_a_sequence_without_time_steps_is_named():
    for layer in (nn.LSTM(3, 4, batch_first=True), nn.RNN(3, 4, batch_first=True), nn.GRU(3, 4, batch_first=True)):
        with pytest.raises(ValueError, match=r"\(2, 0, 3\) has no time steps"):
            layer(Tensor(np.zeros((2, 0, 3))))


def test_scalar_overflow_is_a_domain_error():
    with pytest.raises(DomainError, match=r"overflows"):
        Value(1e200) ** 2


def test_a_gradient_table_prints_itself():
    model = nn.Linear(2, 2)
    (model(Tensor([[1.0, 2.0]])) ** 2).sum().backward()
    text = str(gradient_table(model))
    assert "weight" in text and "mean |grad|" in text and "object at 0x" not in text
    assert "<table" not in text and "weight" in gradient_table(model)._repr_html_()


def test_assigning_a_values_data_after_forward_is_refused_at_backward():
    x = Value(2.0, label="x")
    y = x * x
    x.data = 5.0
    with pytest.raises(GraphError, match=r"x \(now 5\) was assigned .* after mul used it \(output 4\)"):
        y.backward()
    assert x.grad == 0.0                 # refused before any gradient moved
    with pytest.raises(GraphError, match="was assigned"):
        scalar_grad(y, x)
    z = x + 1.0                          # + never reads its operands' values: still right
    x.data = 7.0
    z.backward()
    assert x.grad == 1.0
    w = x * x                            # the usual loop: change .data, then a new forward
    w.backward()
    assert x.grad == 1.0 + 14.0


def test_a_change_before_the_rest_of_the_graph_was_built_is_still_caught():
    # The root is newer than the change, the op that read the old value older.
    x = Value(2.0, label="x")
    y = x * x
    x.data = 5.0
    with pytest.raises(GraphError, match=r"x \(now 5\) was assigned"):
        (y + 1.0).backward()
    with pytest.raises(GraphError, match="was assigned"):
        scalar_grad(y + 1.0, x)
    t = Tensor([2.0, 3.0], requires_grad=True, label="t")
    u = t * t
    t.data[0] = 5.0
    with pytest.raises(RuntimeError, match=r"mul backward: input 0 't' .* modified in place"):
        u.sum().backward()
    with pytest.raises(RuntimeError, match="modified in place"):
        tg.grad(u.sum(), t)
    assert t.grad is None


@pytest.mark.parametrize("write", [
    lambda d: d.__setitem__(0, 9.0),
    lambda d: d[1:].__imul__(2.0),
    lambda d: d.fill(0.5),
    lambda d: np.copyto(d, np.zeros(3)),
    lambda d: np.add(d, 1.0, out=d),
    lambda d: d.reshape(3, 1).__setitem__((0, 0), 9.0),
    lambda d: np.add.at(d, [0, 0], 1.0),
])
def test_writing_into_a_tensors_data_after_forward_is_refused_at_backward(write):
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    write(x.data)
    with pytest.raises(RuntimeError, match="modified in place after the forward pass"):
        y.backward()
    assert x.grad is None


def test_reading_a_tensors_data_changes_nothing():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    d = x.data
    copy = d.copy()
    copy[0] = 9.0                                     # a copy is the caller's own
    total = float(np.sum(d * 2 + d.mean())), d.tolist(), repr(d), d[1:].T.shape
    assert type(d * 2) is np.ndarray and type(copy) is np.ndarray
    assert repr(d) == "array([1., 2., 3.], dtype=float32)" and total[1] == [1.0, 2.0, 3.0]
    y.backward()
    assert x.grad.tolist() == [2.0, 4.0, 6.0]
