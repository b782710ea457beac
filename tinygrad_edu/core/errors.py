"""Errors with messages that name the op, the values or shapes, and what was expected."""


class DomainError(ValueError):
    """An op was asked for a value outside its domain (log of 0, 0 ** -1, ...)."""


class GraphError(RuntimeError):
    """Backward cannot run on this graph (no grad, modified saved data, ...)."""
