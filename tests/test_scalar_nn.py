"""Neuron, Layer, MLP: micrograd's API, and the MLP really learns two moons."""
import random

import numpy as np
import pytest

from tinygrad_edu.data import make_moons
from tinygrad_edu.gradcheck import gradcheck
from tinygrad_edu.scalar import MLP, Layer, Neuron, Value


def test_mlp_shapes_and_parameter_count():
    model = MLP(2, [16, 16, 1], rng=random.Random(0))
    assert len(model.parameters()) == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)
    assert isinstance(model([0.5, -1.0]), Value)
    assert len(Layer(3, 4)([1.0, 2.0, 3.0])) == 4


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_neuron_gradients_match_central_differences(activation):
    neuron = Neuron(3, activation=activation, rng=random.Random(3))
    x = [Value(0.4), Value(-0.9), Value(1.3)]
    params = neuron.parameters()
    gradcheck(lambda *inputs: neuron(inputs[len(params):]), params + x)


def test_zero_grad_resets_every_parameter():
    model = MLP(2, [4, 1], rng=random.Random(0))
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        Neuron(2, activation="softplus")
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        Neuron(2)([1.0, 2.0, 3.0])


def test_mlp_separates_two_moons_with_plain_gradient_descent():
    # 32 points, 60 steps at lr 0.5: accuracy 1.0 here and >= 0.969 for seeds 2-5 in
    # 5 CPU-s; the earlier 80 points, 50 steps at lr 0.2 took 12-16 CPU-s and reached
    # 0.975 on seed 1 but 0.875 and 0.925 on seeds 2 and 3. Pure Python floats: the
    # same on every CPU.
    X, y = make_moons(32, noise=0.1, seed=1)
    signs = np.where(y == 1, 1.0, -1.0)
    model = MLP(2, [16, 16, 1], rng=random.Random(1))
    for _ in range(60):
        scores = [model(list(map(float, x))) for x in X]
        loss = sum((1.0 - s * score).relu() for s, score in zip(signs, scores)) * (1.0 / len(X))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
    predictions = np.array([model(list(map(float, x))).data > 0 for x in X])
    accuracy = np.mean(predictions == (signs > 0))
    assert accuracy >= 0.95, f"training accuracy {accuracy:.3f}"
