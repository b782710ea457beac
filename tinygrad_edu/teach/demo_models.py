"""The models the tour, ``tinygrad-edu graph --model`` and ``step --model`` show: the
tour's neuron, a scalar MLP and the digits MLP's loss. A module of their own, so the
command line and the tour both import it and neither imports the other.

>>> out, leaves = build_neuron()
>>> round(out.data, 4), sorted(leaves)
(0.7071, ['b', 'w1', 'w2', 'x1', 'x2'])
>>> demo_model(spelling("digits-mlp"), batch=4).label
'loss'
"""
from __future__ import annotations

import random

from ..scalar import MLP, Value

DEMO_MODELS = ("neuron", "mlp", "digits_mlp")


def spelling(name: str) -> str:
    """Names of demos and models: 'digits-mlp' and 'digits_mlp' are the same one."""
    return name.replace("-", "_")


def build_neuron():
    """The neuron of the tour: two inputs, two weights, a bias and tanh."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    total = x1w1 + x2w2
    total.label = "s"
    n = total + b
    n.label = "n"
    out = n.tanh()
    out.label = "out"
    return out, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def demo_model(name: str, batch: int = 32):
    """The output node of the demo model ``name`` (one of ``DEMO_MODELS``); for the
    digits MLP, its cross-entropy loss on the first ``batch`` training images."""
    if name == "neuron":
        return build_neuron()[0]
    if name == "mlp":
        model = MLP(2, [16, 16, 1], rng=random.Random(0))
        out = model([0.5, -1.5])
        out.label = "score"
        return out
    if name != "digits_mlp":
        raise ValueError(f"demo_model: no model named {name!r}; expected one of {DEMO_MODELS}")
    import tinygrad_edu as tg  # the tensor engine, nn and the data load only for this one
    from .. import nn
    from ..data import load_digits
    from ..nn import functional as F
    data = load_digits()
    tg.manual_seed(0)
    model = nn.MLP(64, [16, 16, 10])
    loss = F.cross_entropy(model(tg.Tensor(data.train_images[:batch].reshape(-1, 64))),
                           data.train_labels[:batch])
    loss.label = "loss"
    return loss
