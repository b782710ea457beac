"""Importing this package registers every tensor op in ``OP_TABLE``."""
from . import (binary, conv, linalg, lstm_layer, movement, pool, recurrent, reduce, softmax,
               special, unary)

__all__ = ["binary", "conv", "linalg", "lstm_layer", "movement", "pool", "recurrent", "reduce",
           "softmax", "special", "unary"]
