"""Basic layers: Linear, Sequential, MLP, activations, Flatten, Dropout.

>>> import numpy as np
>>> from tinygrad_edu import Tensor, manual_seed
>>> manual_seed(0)
>>> model = MLP(4, [8, 3])
>>> model(Tensor(np.ones((2, 4)))).shape
(2, 3)
"""
from __future__ import annotations

import math

import numpy as np

from . import functional as F
from . import init
from .module import Module, Parameter


class Linear(Module):
    """``y = x @ weight.T + bias``, weight (out_features, in_features), PyTorch's init:
    U(-1/sqrt(in), 1/sqrt(in)) for both weight and bias."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 dtype=np.float32):
        if in_features < 1 or out_features < 1:
            raise ValueError(f"Linear: sizes must be >= 1, got ({in_features}, {out_features})")
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(np.zeros((out_features, in_features)), dtype=dtype)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        self.bias = None
        if bias:
            bound = 1.0 / math.sqrt(in_features)
            self.bias = init.uniform_(Parameter(np.zeros(out_features), dtype=dtype), -bound, bound)

    def forward(self, x):
        shape = x._data.shape
        if not shape or shape[-1] != self.in_features:
            raise ValueError(f"Linear({self.in_features}, {self.out_features}): got input of shape "
                             f"{x.shape}; expected (..., {self.in_features})")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, " \
               f"bias={self.bias is not None}"


class Sequential(Module):
    """Apply modules in order. Children are named 0, 1, 2, ... as in PyTorch, or by the
    keys of one OrderedDict given instead (``model.fc``, ``fc.weight``)."""

    def __init__(self, *modules: Module):
        names = None
        if len(modules) == 1 and isinstance(modules[0], dict):
            names, modules = [str(key) for key in modules[0]], tuple(modules[0].values())
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: expected modules (or one OrderedDict of them); "
                                f"argument {i} is a {type(module).__name__}")
        self._modules = list(modules)
        self._names = names

    def named_children(self):
        names = self.__dict__.get("_names")
        for name, child in super().named_children():
            yield (names[int(name)] if names and name.isdigit() else name), child

    def __getattr__(self, name: str):
        names = self.__dict__.get("_names")
        if names and name in names:
            return self._modules[names.index(name)]
        return super().__getattr__(name)

    def forward(self, x):
        for module in self._modules:
            x = module(x)
        return x

    def __getitem__(self, i):
        return self._modules[i]

    def __len__(self) -> int:
        return len(self._modules)


class ReLU(Module):
    def forward(self, x):
        return x.relu()


class LeakyReLU(Module):
    def __init__(self, negative_slope: float = 0.01):
        self.negative_slope = negative_slope

    def forward(self, x):
        return x.leaky_relu(self.negative_slope)


class Tanh(Module):
    def forward(self, x):
        return x.tanh()


class Sigmoid(Module):
    def forward(self, x):
        return x.sigmoid()


class Softmax(Module):
    """Softmax over ``dim`` (numpy's name ``axis`` is taken too). A dim is required:
    PyTorch's ``Softmax()`` guesses one from the input's rank (0 for 3-D inputs)."""

    def __init__(self, dim: int | None = None, *, axis: int | None = None):
        if (dim is None) == (axis is None):
            raise TypeError(f"Softmax: give dim= (the axis whose entries sum to 1), e.g. "
                            f"nn.Softmax(dim=-1); got dim={dim!r}, axis={axis!r}")
        self.axis = dim if axis is None else axis

    def forward(self, x):
        return x.softmax(self.axis)


class Flatten(Module):
    """Flatten all but the batch axis: (B, ...) -> (B, prod(...))."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return x.flatten(self.start_dim, self.end_dim)


class Dropout(Module):
    """Zero activations with probability p in training (scaling the rest by 1/(1-p));
    the identity in eval mode."""

    def __init__(self, p: float = 0.5):
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p}")
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"


_ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "leaky_relu": LeakyReLU}


class MLP(Sequential):
    """``MLP(nin, [h1, h2, nout])``: Linear layers with an activation between them (none
    after the last, which gives raw scores for the loss)."""

    def __init__(self, nin: int, sizes: list, activation: str = "relu", dropout: float = 0.0):
        if not sizes:
            raise ValueError("MLP: sizes must list at least one layer size")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"MLP: unknown activation {activation!r}; expected one of "
                             f"{sorted(_ACTIVATIONS)}")
        dims = [nin] + list(sizes)
        modules = []
        for i in range(len(sizes)):
            modules.append(Linear(dims[i], dims[i + 1]))
            if i < len(sizes) - 1:
                modules.append(_ACTIVATIONS[activation]())
                if dropout:
                    modules.append(Dropout(dropout))
        super().__init__(*modules)
