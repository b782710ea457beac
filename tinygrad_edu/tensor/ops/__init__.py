"""Importing this package registers every tensor op in ``OP_TABLE``."""
from . import binary, conv, linalg, movement, pool, recurrent, reduce, softmax, unary  # noqa: F401
