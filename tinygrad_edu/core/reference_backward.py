"""Backward in a few lines, for reading: what the driver in ``core/backward.py`` does,
without its observers, hooks, captures and speed tricks. A property test holds the two
to the same gradients on random graphs of both engines.

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0); b = Value(-3.0)
>>> out = a * b + a
>>> grads = reference_backward(out)
>>> grads[id(a)], grads[id(b)]       # d(out)/da = b + 1, d(out)/db = a
(-2.0, 2.0)
"""
from __future__ import annotations

import numpy as np

from .graph import topological_order


def reference_backward(root, seed=None) -> dict:
    """d(root)/d(node) for every node ``root`` depends on, as {id(node): gradient};
    no ``.grad`` changes. ``seed`` is d(root)/d(root): 1 (or ones) by default."""
    if seed is None:
        seed = np.ones_like(root.data) if isinstance(root.data, np.ndarray) else 1.0
    grads = {id(root): seed}
    # Parents come before their nodes in topological order, so walking it backwards
    # reaches a node only after every node that used it has added its part.
    for node in reversed(topological_order(root)):
        upstream = grads.get(id(node))
        if upstream is None or node._op is None:     # not reached, or a leaf
            continue
        # The chain rule, stated once per op: upstream times the local derivative,
        # one contribution per parent (None: that parent needs no gradient).
        contributions = node._op.backward(node, upstream)
        for parent, part in zip(node._parents, contributions):
            if part is None or not parent.requires_grad:
                continue
            if hasattr(part, "materialize"):           # a lazy "g placed at x[3:5]"
                part = part.materialize()
            key = id(parent)
            grads[key] = grads[key] + part if key in grads else part   # fan-out: sum
    return grads
