"""``Module`` and ``Parameter``: PyTorch's way of holding layers and their weights.

Attributes that are Parameters, Modules, or lists/tuples of Modules are found by
walking the module's ``__dict__`` in assignment order, so names are deterministic
and match PyTorch's (``layers.0.weight``).

>>> from tinygrad_edu import nn
>>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
>>> [name for name, _ in model.named_parameters()]
['0.weight', '0.bias', '2.weight', '2.bias']
"""
from __future__ import annotations

import numpy as np

from ..core.graph import mark_changed
from ..core.scope import FRAMES, Frame
from ..tensor import Tensor
from ..tensor.grads import clear_grad
from ..tensor.methods import dtype_of_to


class Parameter(Tensor):
    """A tensor that a Module trains: requires grad by default."""

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True, dtype=None, label: str = ""):
        super().__init__(data, requires_grad=requires_grad, dtype=dtype, label=label)


class Module:
    """Base class for layers and models: parameters, children, train/eval, state dicts."""

    training = True

    def __call__(self, *args, **kwargs):
        # Inlined core.scope.module_call: nodes made in forward remember this call.
        FRAMES.append(Frame(self, FRAMES[-1]))
        try:
            return self.forward(*args, **kwargs)
        finally:
            FRAMES.pop()

    def __getattr__(self, name: str):
        """A buffer by name (``bn.running_mean``), as PyTorch's: a Tensor sharing its
        memory. Only reached when normal lookup fails, so layers pay nothing."""
        buffers = self.__dict__.get("_buffers")
        if buffers is not None and name in buffers:
            return Tensor._make(buffers[name])
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    # -- structure -----------------------------------------------------------------
    def register_buffer(self, name: str, array) -> None:
        """State that is saved with the model but not trained (e.g. running means)."""
        buffers = self.__dict__.setdefault("_buffers", {})
        buffers[name] = np.asarray(array)

    def named_children(self):
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield f"{name}.{i}" if name != "_modules" else str(i), item

    def children(self):
        return [module for _, module in self.named_children()]

    def named_modules(self, prefix: str = ""):
        yield prefix, self
        for name, child in self.named_children():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self):
        return [m for _, m in self.named_modules()]

    def apply(self, fn) -> "Module":
        """Call ``fn(module)`` on every submodule, children first, then on this one (as
        PyTorch's; e.g. custom initialisation)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def named_parameters(self, prefix: str = ""):
        seen = set()
        for module_name, module in self.named_modules(prefix):
            for name, value in vars(module).items():
                if isinstance(value, Parameter) and id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{module_name}.{name}" if module_name else name), value

    def parameters(self) -> list:
        return [p for _, p in self.named_parameters()]

    def named_buffers(self):
        for module_name, module in self.named_modules():
            for name in module.__dict__.get("_buffers", {}):
                yield (f"{module_name}.{name}" if module_name else name), module, name

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    # -- modes and gradients -------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> "Module":
        return self.train(False)

    def to(self, dtype=None, device=None) -> "Module":
        """Cast every parameter and floating buffer to ``dtype`` (float64 for gradcheck);
        ``model.to('cpu')`` (PyTorch's device boilerplate) leaves it as it is."""
        dtype = dtype_of_to(f"{type(self).__name__}.to", dtype, device)
        if dtype is None:
            return self
        for p in self.parameters():
            p._data = p._data.astype(dtype)
            mark_changed(p)
            p.grad = None
        for _, module, key in self.named_buffers():
            if module._buffers[key].dtype.kind == "f":  # counters stay integers
                module._buffers[key] = module._buffers[key].astype(dtype)
        return self

    def double(self) -> "Module":
        return self.to(np.float64)

    def float(self) -> "Module":
        return self.to(np.float32)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``.grad``: to None (PyTorch's default), or with
        ``set_to_none=False`` to zeros, in place."""
        for p in self.parameters():
            clear_grad(p, set_to_none)

    # -- state ---------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Name -> numpy array (a copy) for every parameter and buffer."""
        state = {name: p.data.copy() for name, p in self.named_parameters()}
        for name, module, key in self.named_buffers():
            state[name] = module._buffers[key].copy()
        return state

    def load_state_dict(self, state: dict, strict: bool = True) -> None:
        """Copy arrays into this model. Every problem (missing or unexpected names,
        wrong shapes or dtypes) is reported at once, before anything changes."""
        params = dict(self.named_parameters())
        buffers = {name: (module, key) for name, module, key in self.named_buffers()}
        expected = {name: p.data for name, p in params.items()}
        expected.update({name: m._buffers[k] for name, (m, k) in buffers.items()})
        problems = []
        missing = [n for n in expected if n not in state]
        unexpected = [n for n in state if n not in expected]
        if strict and missing:
            problems.append(f"missing: {', '.join(missing)}")
        if strict and unexpected:
            problems.append(f"unexpected: {', '.join(unexpected)}")
        for name, current in expected.items():
            if name not in state:
                continue
            value = np.asarray(state[name])
            if value.shape != current.shape:
                problems.append(f"{name}: shape {value.shape} in the state, {current.shape} in the model")
            elif value.dtype != current.dtype:
                problems.append(f"{name}: dtype {value.dtype} in the state, {current.dtype} in the model")
        if problems:
            raise ValueError(f"load_state_dict into {type(self).__name__}: " + "; ".join(problems))
        for name, p in params.items():
            if name in state:
                p.data = np.array(state[name])
        for name, (module, key) in buffers.items():
            if name in state:
                module._buffers[key] = np.array(state[name])

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in children:
            lines.append("  " + f"({name}): {child!r}".replace("\n", "\n  "))
        return "\n".join(lines + [")"])
