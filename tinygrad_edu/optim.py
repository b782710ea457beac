"""Optimisers: SGD (momentum, Nesterov, weight decay), Adam and AdamW, as in PyTorch.

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> w = Tensor([1.0, -2.0], requires_grad=True)
>>> opt = SGD([w], lr=0.1)
>>> (w * w).sum().backward(); opt.step()
>>> w.data.tolist()
[0.800000011920929, -1.600000023841858]
"""
from __future__ import annotations

import math
import numbers
from collections.abc import MutableMapping

import numpy as np

from .core.graph import mark_changed
from .tensor.grads import clear_grad


class Optimizer:
    """Holds the parameters; ``zero_grad()`` clears their grads, ``step()`` updates them.
    Steps read each parameter's gradient array (``_grad``) directly: ``.grad`` would
    wrap it in a Tensor for nothing."""

    def __init__(self, params, lr: float):
        self.params = list(params)
        if any(isinstance(p, dict) for p in self.params):
            raise TypeError(f"{type(self).__name__}: parameter groups (dicts such as "
                            "{'params': ..., 'lr': ...}) are not supported; pass one list of "
                            "tensors and make one optimiser per group")
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        for i, p in enumerate(self.params):
            if not getattr(p, "requires_grad", False):
                raise ValueError(f"{type(self).__name__}: parameter {i} (shape "
                                 f"{getattr(p, 'shape', '?')}) does not require grad")
        self.lr = self._setting("lr", lr)

    def _setting(self, name: str, value, low: float = 0.0, high: float = math.inf) -> float:
        """A hyperparameter, refused (naming it) unless a finite number in [low, high)."""
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
                not math.isfinite(value) or not low <= value < high:
            raise ValueError(f"{type(self).__name__}: {name} must be a finite number in "
                             f"[{low:g}, {high:g}), got {value!r}")
        return float(value)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``.grad``: to None (PyTorch's default), or with
        ``set_to_none=False`` to zeros, in place."""
        if set_to_none:
            for p in self.params:
                p._grad = None
            return
        for p in self.params:
            clear_grad(p, set_to_none)

    def step(self) -> None:
        raise NotImplementedError

    weight_decay = 0.0
    decoupled = False  # AdamW: weight decay shrinks the weights, not added to the gradient

    def _gradient(self, p):
        """p's gradient array, with L2 weight decay (weight_decay * p) added unless the
        decay is decoupled; None when p has no gradient. Every step starts here."""
        g = p._grad
        if g is None:
            return None
        if type(g) is not np.ndarray:
            g = _values(g)
        if self.weight_decay and not self.decoupled:
            g = g + self.weight_decay * p._data
        return g

    @property
    def param_groups(self) -> list:
        """PyTorch's one group: ``for g in opt.param_groups: g['lr'] = 0.01`` sets the
        optimiser's settings (checked as the constructor checks them)."""
        return [ParamGroup(self)]

    @staticmethod
    def _apply(p, update) -> None:
        """p.data -= update, in place (a change backward must know of)."""
        p._data -= update
        mark_changed(p)


class ParamGroup(MutableMapping):
    """A view of an optimiser's settings as PyTorch's param-group dict."""

    _LIMITS = {"lr": 1e300, "weight_decay": 1e300, "eps": 1e300, "momentum": 1.0}

    def __init__(self, optimizer):
        self._opt = optimizer
        self._keys = ["params"] + [k for k in ("lr", "momentum", "nesterov", "betas", "eps",
                                               "weight_decay") if hasattr(optimizer, k)]

    def __getitem__(self, key):
        if key not in self._keys:
            raise KeyError(key)
        return self._opt.params if key == "params" else getattr(self._opt, key)

    def __setitem__(self, key, value):
        if key not in self._LIMITS or key not in self._keys:
            raise KeyError(f"param_groups: {key!r} cannot be changed here; settable: "
                           f"{[k for k in self._keys if k in self._LIMITS]}")
        setattr(self._opt, key, self._opt._setting(key, value, high=self._LIMITS[key]))

    def __delitem__(self, key):
        raise KeyError(f"param_groups: {key!r} cannot be removed")

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _values(grad):
    """The gradient's numbers: ``backward(create_graph=True)`` leaves a Tensor in .grad."""
    return grad if grad is None or type(grad) is np.ndarray else np.asarray(grad)


class SGD(Optimizer):
    """v = momentum * v + (g + weight_decay * p);  p -= lr * (g + momentum * v if
    nesterov else v). With momentum 0 this is plain gradient descent."""

    def __init__(self, params, lr: float, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        if nesterov and momentum <= 0:
            raise ValueError("SGD: nesterov=True needs momentum > 0")
        self.momentum, self.nesterov = self._setting("momentum", momentum, high=1.0), nesterov
        self.weight_decay = self._setting("weight_decay", weight_decay)
        self.velocity = [None] * len(self.params)

    def step(self) -> None:
        lr, momentum, decay = self.lr, self.momentum, self.weight_decay
        if not momentum and not decay:  # plain gradient descent: the shortest path
            changed = []
            for p in self.params:
                g = p._grad
                if g is not None:
                    p._data -= lr * (g if type(g) is np.ndarray else _values(g))
                    changed.append(p)
            mark_changed(*changed)
            return
        for i, p in enumerate(self.params):
            g = self._gradient(p)
            if g is None:
                continue
            if self.momentum:
                v = self.velocity[i]
                v = g.copy() if v is None else self.momentum * v + g
                self.velocity[i] = v
                g = g + self.momentum * v if self.nesterov else v
            self._apply(p, self.lr * g)


class Adam(Optimizer):
    """Adam with bias correction. ``weight_decay`` adds L2 to the gradient (as
    torch.optim.Adam); AdamW decouples it."""

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        if isinstance(betas, str) or np.ndim(betas) != 1 or len(betas) != 2:
            raise ValueError(f"{type(self).__name__}: betas must be a pair of numbers in [0, 1), "
                             f"got {betas!r}")
        self.betas = tuple(self._setting(f"betas[{i}]", b, high=1.0) for i, b in enumerate(betas))
        self.eps = self._setting("eps", eps)
        self.weight_decay = self._setting("weight_decay", weight_decay)
        self.m = [np.zeros_like(p._data) for p in self.params]
        self.v = [np.zeros_like(p._data) for p in self.params]
        self.t = 0

    def step(self) -> None:
        self.t += 1
        b1, b2 = self.betas
        c1, c2 = 1.0 - b1 ** self.t, 1.0 - b2 ** self.t
        for i, p in enumerate(self.params):
            g = self._gradient(p)
            if g is None:
                continue
            if self.weight_decay and self.decoupled:
                p._data *= 1.0 - self.lr * self.weight_decay
            m, v = self.m[i], self.v[i]
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * g * g
            self._apply(p, self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps))


class AdamW(Adam):
    """Adam with decoupled weight decay: p *= 1 - lr * weight_decay before the step."""

    decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)
