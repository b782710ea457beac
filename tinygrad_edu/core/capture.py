"""What the backward driver does when gradients are asked for (``grad``), not stored
in ``.grad``: record the asked-for nodes' gradients, skip the parts of the graph that
cannot reach them, and with ``create_graph`` build each op's contributions from engine
ops, boxed per op for pictures (``BackwardOf``).
"""
from __future__ import annotations

from .errors import GraphError
from .graph import topological_order
from .scope import FRAMES, Frame


def captured_step(node, upstream, capture: dict, graph: bool, partial: bool) -> tuple:
    """One node's turn when gradients are captured: record it if asked for, then pass
    the contributions on (built from engine ops when ``graph``)."""
    key = id(node)
    op = node._op
    if key in capture:
        capture[key] = upstream
        if partial:
            return ()
    if op is None:
        return ()
    if node._hooks:
        raise GraphError(f"grad: a hook is registered on a node made by {op.name}; hooks "
                         "see arrays, and grad() does not run them. Remove the hook, or "
                         "use backward() without create_graph")
    if not graph:
        return op.backward(node, upstream)
    FRAMES.append(Frame(BackwardOf(op), FRAMES[-1]))  # pictures group each op's backward
    try:
        return op.graph_backward(node, upstream)
    finally:
        FRAMES.pop()


def leading_to(roots, capture: dict) -> set:
    """ids of the nodes on a path from a root to a captured node: the only ones a
    gradient needs to reach (the rest of the graph is skipped, as PyTorch does)."""
    order = []
    for root in roots:
        order.extend(topological_order(root, grad_only=True))
    leads = set(capture)
    for node in sorted({id(n): n for n in order}.values(), key=lambda n: n._seq):
        if any(id(p) in leads for p in node._parents):
            leads.add(id(node))
    return leads


class BackwardOf:
    """Stands as the "module" of the nodes an op's ``graph_backward`` builds, so pictures
    of a gradient's graph box each op's chain rule: "∂tanh" holds 1 - out² times upstream."""

    kind = "chain rule"

    def __init__(self, op):
        self.op = op
        self.display_name = f"∂{op.symbol}"

    def parameters(self) -> list:
        return []
