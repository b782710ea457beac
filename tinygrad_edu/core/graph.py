"""The node protocol both engines share, and an iterative topological order.

Every node (a scalar ``Value`` or a ``Tensor``) offers:

- ``data``     its value (a float or a numpy array)
- ``grad``     its gradient, or the engine's "none yet"
- ``parents``  the nodes it was computed from (a tuple, empty for leaves)
- ``op``       the name of the op that made it ('' for a leaf)
- ``label``    an optional human name

For the backward driver, engines also give every node ``_seq`` (its creation number,
from ``next_creation_number``), ``requires_grad``, ``_hooks`` (falsy when none),
``_retains_grad`` (an op's node keeps its gradient in ``.grad``), ``_op``/``_parents``
and ``_accept_grad(g)`` (take a gradient, return what flows on). A training backward
hands an op's node its gradient only when it has hooks or retains it. A node whose
``.grad`` is a plain number that backward may add to in place (``node.grad += g``, no
hooks) says so with ``_plain_grad`` (the scalar engine: it saves a call per node).

Ids are not stored on nodes: a node's id is its index in ``topological_order(root)``
(creation order), so the same graph always gets the same ids.

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0, label="a"); b = a * a + a
>>> [n.op or n.label for n in topological_order(b)]
['a', '*', '+']
"""
from __future__ import annotations

import itertools
from typing import Any

# Every node takes the next number when it is made (its ``_seq``). A node is always made
# after its parents, so decreasing creation number is a reverse topological order: the
# backward driver walks it with a heap and needs no separate sort.
next_creation_number = itertools.count().__next__

# The same clock dates in-place changes: a node whose value changes gets a fresh number
# in ``_changed_at``, and LAST_CHANGE holds the latest. A graph whose root is newer than
# LAST_CHANGE was built from current values only, so backward need not look closer; an
# input changed after an op used it is one with ``_changed_at`` above the op's output's.
LAST_CHANGE = [-1]


# Gradient types that stand for an array without building it yet (e.g. "g placed at
# x[3:5]"): they support + with arrays and each other, and .materialize() -> array.
# Slices of one tensor then add into one buffer instead of one full array per slice.
LAZY_GRADIENTS: set = set()


def dense(gradient):
    """``gradient`` as an array, when it is one of the LAZY_GRADIENTS."""
    return gradient.materialize() if type(gradient) in LAZY_GRADIENTS else gradient


def mark_changed(*nodes) -> None:
    """Record that the ``nodes``' values were just changed in place (``.data = ...``, an
    optimiser step, a write into ``tensor.data``)."""
    stamp = LAST_CHANGE[0] = next_creation_number()
    for node in nodes:
        node._changed_at = stamp


def check_unchanged(root) -> None:
    """Raise if some op in ``root``'s graph reads an input that changed in place after
    the op ran (each node's ``_check_saved``). Engines call it before backward moves
    any gradient; it looks only when something changed after the root was made. The
    backward driver checks the nodes older than LAST_CHANGE as it reaches them, which
    covers a root built after the change."""
    if LAST_CHANGE[0] <= root._seq:  # the graph was built from current values only
        return
    for node in topological_order(root, grad_only=True):
        if node._op is not None:
            node._check_saved()


class Node:
    """The node protocol's shared half: ``parents`` and ``op`` from ``_parents`` and
    ``_op``. Engines subclass it and add ``data``, ``grad``, ``label``."""

    __slots__ = ()
    _plain_grad = False  # see the module's docstring
    _parents: tuple     # set by the engines
    _op: Any

    @property
    def parents(self) -> tuple:
        return self._parents

    @property
    def op(self) -> str:
        return self._op.symbol if self._op is not None else ""


def topological_order(root, grad_only: bool = False) -> list:
    """Nodes reachable from ``root`` in the order they were made: every node after all of
    its parents, and the forward pass as it ran (so backward, latest-made first, is its
    exact mirror).

    An iterative depth-first search finds them (a chain of a million nodes needs no
    recursion); nodes are compared by identity (tensors overload ``==``). ``grad_only``
    leaves out nodes that do not require grad (backward has nothing to send them).
    """
    found = []
    visited = {id(root)}
    stack = [root]
    while stack:
        node = stack.pop()
        found.append(node)
        for parent in node._parents:
            key = id(parent)
            if key not in visited and (not grad_only or parent.requires_grad):
                visited.add(key)
                stack.append(parent)
    found.reverse()  # copies of a node share its creation number: keep a stable order
    found.sort(key=_creation_number)
    return found


def _creation_number(node) -> int:
    return node._seq


def node_ids(order: list) -> dict:
    """Map ``id(node)`` to its deterministic id (its index in ``order``)."""
    return {id(node): i for i, node in enumerate(order)}
