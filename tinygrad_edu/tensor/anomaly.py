"""Anomaly mode: stop at the first op whose forward or backward makes nan or inf.

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> x = Tensor([0.0, 1.0], requires_grad=True)
>>> with detect_anomaly():
...     y = x.log()
Traceback (most recent call last):
  ...
tinygrad_edu.tensor.anomaly.AnomalyError: log forward produced -inf (1 of 2 elements not finite) from inputs of shape (2,), created at ...
"""
from __future__ import annotations

import contextlib
import os
import traceback

import numpy as np

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class AnomalyError(FloatingPointError):
    """An op produced nan or inf while anomaly detection was on."""


class AnomalyMode:
    enabled = False


def creation_site() -> str:
    """'file:line in function' of the first caller outside tinygrad_edu."""
    for frame in reversed(traceback.extract_stack()):
        if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR):
            return f"{frame.filename}:{frame.lineno} in {frame.name}"
    return "<unknown>"


def _describe(array: np.ndarray) -> str:
    bad = ~np.isfinite(array)
    kinds = sorted({"nan" if np.isnan(v) else ("inf" if v > 0 else "-inf") for v in array[bad].flat})
    return f"{'/'.join(kinds)} ({int(bad.sum())} of {array.size} elements not finite)"


def check_forward(fn, inputs, data, site: str) -> None:
    if data.dtype.kind == "f" and not np.all(np.isfinite(data)):
        shapes = ", ".join(str(t.shape) for t in inputs)
        raise AnomalyError(f"{fn.name} forward produced {_describe(data)} from inputs of shape "
                           f"{shapes}, created at {site}")


def _check_backward(step) -> None:
    for p in step.parents:
        g = np.asarray(p.contribution)
        if g.dtype.kind == "f" and not np.all(np.isfinite(g)):
            node = step.node
            shapes = ", ".join(str(getattr(q, "shape", ())) for q in node.parents)
            site = getattr(node, "_created_at", None) or "<unknown>"
            raise AnomalyError(f"{node._op.name} backward produced {_describe(g)} in the gradient "
                               f"of an input of shape {getattr(p.parent, 'shape', ())} (inputs "
                               f"{shapes}), op created at {site}")


@contextlib.contextmanager
def detect_anomaly():
    """Check every op's output, and every backward contribution, for nan/inf.

    Slow (it inspects every array): use it to find where a nan first appears.
    """
    from ..core.backward import observe_backward
    previous = AnomalyMode.enabled
    AnomalyMode.enabled = True
    try:
        with observe_backward(_check_backward):
            yield
    finally:
        AnomalyMode.enabled = previous
