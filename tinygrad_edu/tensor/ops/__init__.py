"""Importing this package registers every tensor op in ``OP_TABLE``."""
from . import elementwise, linalg, movement, reduce, softmax  # noqa: F401
