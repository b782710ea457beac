"""The tensor engine: ``Tensor`` on numpy, its op table, factories and anomaly mode.

The subpackage is also callable, as PyTorch's ``torch.tensor(data, dtype=None,
requires_grad=False)``: ``tinygrad_edu.tensor([1.0, 2.0])`` (see ``torch_functions.tensor``).
"""
import sys
import types

from .anomaly import AnomalyError, detect_anomaly
from .factories import (arange, cat, concat, eye, full, full_like, linspace, manual_seed,
                        maximum, minimum, ones, ones_like, randn, stack, uniform, where,
                        zeros, zeros_like)
from .function import OP_TABLE, Function, register
from .tensor import Tensor
from .einsum import einsum

__all__ = ["Tensor", "Function", "register", "OP_TABLE", "AnomalyError", "detect_anomaly",
           "arange", "cat", "concat", "einsum", "eye", "full", "full_like", "linspace",
           "manual_seed", "maximum", "minimum", "ones", "ones_like", "randn", "stack",
           "uniform", "where", "zeros", "zeros_like"]


class _CallableModule(types.ModuleType):
    """This subpackage, callable: imports and attributes work as for any package."""

    def __call__(self, data, dtype=None, device=None, requires_grad=False):
        from .torch_functions import tensor
        return tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


sys.modules[__name__].__class__ = _CallableModule
