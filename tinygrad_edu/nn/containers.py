"""``ModuleList``, ``Identity`` and the GELU and SiLU activations, as in PyTorch.

>>> from tinygrad_edu import Tensor
>>> blocks = ModuleList([Identity(), SiLU()])
>>> _ = blocks.append(GELU()); len(blocks), [type(m).__name__ for m in blocks]
(3, ['Identity', 'SiLU', 'GELU'])
>>> round(blocks[1](Tensor([1.0])).item(), 4)
0.7311
"""
from __future__ import annotations

from . import functional as F
from .module import Module


class ModuleList(Module):
    """A list of modules whose parameters the parent sees (children named 0, 1, ...)."""

    def __init__(self, modules=()):
        self._modules = []
        self.extend(modules)

    def append(self, module: Module) -> "ModuleList":
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: expected a Module, got {type(module).__name__}")
        self._modules.append(module)
        return self

    def extend(self, modules) -> "ModuleList":
        for module in modules:
            self.append(module)
        return self

    def __getitem__(self, i):
        return ModuleList(self._modules[i]) if isinstance(i, slice) else self._modules[i]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleList has no forward: call its modules in a loop")


class Identity(Module):
    """Returns its input (a placeholder layer)."""

    def __init__(self, *args, **kwargs):
        pass

    def forward(self, x):
        return x


class GELU(Module):
    def __init__(self, approximate: str = "none"):
        self.approximate = approximate

    def forward(self, x):
        return F.gelu(x, approximate=self.approximate)


class SiLU(Module):
    def forward(self, x):
        return F.silu(x)
