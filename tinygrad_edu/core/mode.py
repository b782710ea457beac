"""Global autograd switches: whether ops record the graph.

The switch is process-wide (not per thread): it is read on every op, and a plain
attribute read keeps that cheap.

>>> from tinygrad_edu.core import no_grad, is_grad_enabled
>>> with no_grad():
...     is_grad_enabled()
False
>>> is_grad_enabled()
True
"""
from __future__ import annotations

import contextlib


class GradMode:
    """Holds the switch; engines read ``GradMode.enabled`` directly on their hot path."""

    enabled = True


def is_grad_enabled() -> bool:
    """True unless inside a ``no_grad()`` block."""
    return GradMode.enabled


@contextlib.contextmanager
def set_grad_enabled(enabled: bool):
    """Turn graph recording on or off inside a ``with`` block."""
    previous = GradMode.enabled
    GradMode.enabled = bool(enabled)
    try:
        yield
    finally:
        GradMode.enabled = previous


def no_grad():
    """Ops inside this block build no graph: results have no parents and no grad.

    Use it for evaluation and for parameter updates, as in PyTorch.
    """
    return set_grad_enabled(False)
