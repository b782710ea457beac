"""The node protocol both engines share, and an iterative topological order.

Every node (a scalar ``Value`` or a ``Tensor``) offers:

- ``data``     its value (a float or a numpy array)
- ``grad``     its gradient, or the engine's "none yet"
- ``parents``  the nodes it was computed from (a tuple, empty for leaves)
- ``op``       the name of the op that made it ('' for a leaf)
- ``label``    an optional human name

Ids are not stored on nodes: a node's id is its index in ``topological_order(root)``,
so the same graph always gets the same ids.

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0, label="a"); b = a * a + a
>>> [n.op or n.label for n in topological_order(b)]
['a', '*', '+']
"""
from __future__ import annotations


def topological_order(root, grad_only: bool = False) -> list:
    """Nodes reachable from ``root``, every node after all of its parents.

    Iterative depth-first search, so a chain of a million nodes needs no recursion.
    Nodes are compared by identity (tensors overload ``==``). ``grad_only`` leaves out
    nodes that do not require grad (backward has nothing to send them).
    """
    order = []
    visited = set()
    stack = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if finished:
            order.append(node)
            continue
        key = id(node)
        if key in visited:
            continue
        visited.add(key)
        stack.append((node, True))
        parents = node._parents
        # Push in reverse so the first parent is visited (and numbered) first.
        for i in range(len(parents) - 1, -1, -1):
            parent = parents[i]
            if id(parent) not in visited and (parent.requires_grad or not grad_only):
                stack.append((parent, False))
    return order


def node_ids(order: list) -> dict:
    """Map ``id(node)`` to its deterministic id (its index in ``order``)."""
    return {id(node): i for i, node in enumerate(order)}
