"""Neuron, Layer and MLP on scalar Values, with micrograd's names and behaviour.

>>> import random
>>> model = MLP(2, [16, 16, 1], rng=random.Random(0))
>>> len(model.parameters()), model.parameters()[0].label   # unique names for pictures
(337, 'layers.0.neurons.0.w0')
>>> out = model([1.0, -2.0]); out.backward()
>>> model.zero_grad(); model.parameters()[0].grad
0.0
"""
from __future__ import annotations

import random

from ..core.scope import FRAMES, Frame
from .value import Value

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


class Module:
    """Something with parameters: ``parameters()`` and ``zero_grad()``. Calling it runs
    ``forward`` inside a module scope, so pictures can group its nodes."""

    def __call__(self, x):
        # core.scope.module_call inlined (as nn.Module's): the context manager cost 1.1 us
        # a call against 0.25 us, 2% of the scalar MLP step.
        FRAMES.append(Frame(self, FRAMES[-1]))
        try:
            return self.forward(x)
        finally:
            FRAMES.pop()

    def forward(self, x):
        raise NotImplementedError

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list:
        return []


class Neuron(Module):
    """``activation(w · x + b)``: weights from uniform(-1, 1), bias 0 (as micrograd).

    ``nonlin=False`` is micrograd's spelling of ``activation="linear"``.
    """

    def __init__(self, nin: int, activation: str = "relu", nonlin: bool = True,
                 rng: random.Random | None = None, label: str = ""):
        if nin < 1:
            raise ValueError(f"Neuron: nin must be >= 1, got {nin}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"Neuron: unknown activation {activation!r}; expected one of {ACTIVATIONS}")
        uniform = (rng or random).uniform     # random.uniform unless given a generator
        self.activation = activation if nonlin else "linear"
        self.w = [Value(uniform(-1, 1), label=f"{label}w{i}") for i in range(nin)]
        self.b = Value(0.0, label=f"{label}b")

    def forward(self, x):
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs, got {len(x)}")
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        if self.activation == "linear":
            return act
        return getattr(act, self.activation)()

    def parameters(self) -> list:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{self.activation.capitalize()}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons that each see all ``nin`` inputs. Returns a Value when nout is 1."""

    def __init__(self, nin: int, nout: int, label: str = "", **kwargs):
        self.neurons = [Neuron(nin, label=f"{label}neurons.{j}.", **kwargs) for j in range(nout)]

    def forward(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers ``nin -> nouts[0] -> ... -> nouts[-1]``; the last layer is linear."""

    def __init__(self, nin: int, nouts: list, activation: str = "relu",
                 rng: random.Random | None = None):
        if not nouts:
            raise ValueError("MLP: nouts must list at least one layer size")
        sizes = [nin] + list(nouts)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation=activation,
                  nonlin=i != len(nouts) - 1, rng=rng, label=f"layers.{i}.")
            for i in range(len(nouts))
        ]

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
