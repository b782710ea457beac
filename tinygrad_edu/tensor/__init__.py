"""The tensor engine: ``Tensor`` on numpy, its op table, factories and anomaly mode."""
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
