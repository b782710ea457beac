"""The tensor engine: ``Tensor`` on numpy, its op table, factories and anomaly mode."""
from .anomaly import AnomalyError, detect_anomaly
from .factories import (arange, cat, concat, eye, manual_seed, maximum, ones, randn, stack,
                        uniform, where, zeros)
from .function import OP_TABLE, Function, register
from .tensor import Tensor

__all__ = ["Tensor", "Function", "register", "OP_TABLE", "AnomalyError", "detect_anomaly",
           "arange", "cat", "concat", "eye", "manual_seed", "maximum", "ones", "randn",
           "stack", "uniform", "where", "zeros"]
