"""API misuse a learner meets: each gets a clear error naming what is wrong, before any
state changes, or (where PyTorch defines one) the same answer PyTorch gives."""
import math

import numpy as np
import pytest

import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, optim
from tinygrad_edu.core.errors import DomainError, GraphError
from tinygrad_edu.scalar import Value
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
])
def test_optimiser_settings_must_be_finite_numbers(make, name):
    with pytest.raises(ValueError, match=f"{name} must be a finite number"):
        make(nn.Linear(2, 2).parameters())


def test_empty_batches_give_nan_like_pytorch_for_every_mean_loss():
    empty = Tensor(np.zeros((0, 3)), requires_grad=True)
    assert math.isnan(F.mse_loss(empty, np.zeros((0, 3))).item())
    assert math.isnan(F.cross_entropy(empty, np.zeros(0, dtype=np.int64)).item())
    assert F.mse_loss(empty, np.zeros((0, 3)), reduction="sum").item() == 0.0


def test_a_sequence_without_time_steps_is_named():
    for layer in (nn.LSTM(3, 4), nn.RNN(3, 4), nn.GRU(3, 4)):
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
