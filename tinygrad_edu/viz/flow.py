"""Gradient flow of a graph: every node's gradient and every edge's contribution, from
a side-effect-free trace of backward, with a reason wherever the gradient vanished.

>>> from tinygrad_edu.scalar import Value
>>> x = Value(-2.0, label="x"); y = (x * 3.0).relu()
>>> flow = GradientFlow.trace(y)
>>> flow.grad_of(x), flow.reason_of(x)
(0.0, 'relu off: its input was <= 0')
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.backward import trace_backward
from .style import finite, magnitude

VANISHED_RATIO = 1e-7  # a gradient this much smaller than the largest counts as vanished


def backward_has_run(order) -> bool:
    """True once some leaf that requires grad holds a gradient."""
    for node in order:
        if not node.parents and getattr(node, "requires_grad", True):
            g = node.grad
            if g is not None and np.any(np.asarray(g) != 0):
                return True
    return False


@dataclass
class GradientFlow:
    """Gradients (d root / d node) and edge contributions keyed by ``id(node)``."""

    grads: dict = field(default_factory=dict)
    contributions: dict = field(default_factory=dict)  # (id(parent), id(child)) -> sum
    reasons: dict = field(default_factory=dict)
    largest: float = 0.0
    smallest: float = 0.0

    @classmethod
    def trace(cls, root, steps=None) -> "GradientFlow":
        """From ``root``'s backward trace (or the ``steps`` of one already taken)."""
        flow = cls()
        for step in trace_backward(root) if steps is None else steps:
            flow.grads[id(step.node)] = step.upstream
            for p in step.parents:
                key = (id(p.parent), id(step.node))
                previous = flow.contributions.get(key)
                flow.contributions[key] = p.contribution if previous is None else previous + p.contribution
                reason = step.node._op.vanishing_note(p.local)
                if reason is None and magnitude(step.upstream) == 0.0:
                    reason = flow.reasons.get(id(step.node), "its consumer's gradient is 0")
                if reason is not None and id(p.parent) not in flow.reasons:
                    flow.reasons[id(p.parent)] = reason
        mags = [m for m in (magnitude(g) for g in flow.grads.values()) if m > 0 and np.isfinite(m)]
        mags += [m for m in (magnitude(c) for c in flow.contributions.values()) if m > 0 and np.isfinite(m)]
        flow.largest = max(mags, default=0.0)
        flow.smallest = max(min(mags, default=0.0), flow.largest * VANISHED_RATIO)
        return flow

    def grad_of(self, node):
        return self.grads.get(id(node))

    def has_grad(self, node) -> bool:
        return id(node) in self.grads

    def vanished(self, value) -> bool:
        return finite(value) and magnitude(value) <= self.largest * VANISHED_RATIO

    def reason_of(self, node) -> str | None:
        """Why this node's gradient vanished (None when it did not, or no op knows)."""
        g = self.grads.get(id(node))
        if g is None or not self.vanished(g):
            return None
        return self.reasons.get(id(node), "no gradient reaches it")
