"""Importing this package registers every tensor op in ``OP_TABLE``."""
from . import conv, elementwise, linalg, movement, recurrent, reduce, softmax  # noqa: F401
