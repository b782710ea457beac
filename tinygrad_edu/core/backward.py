"""One backward driver for both engines, and the ``BackwardStep`` events it can emit.

Ops implement two methods (see ``Op``): ``backward(node, upstream)`` returns the
contribution to each parent's gradient, and ``local(node)`` the local derivatives
d(node)/d(parent) when they can be written as numbers (elementwise ops).

Gradients are summed per node within one pass, then handed to the node once, in
reverse topological order (without an observer: latest-made op node first; leaves
without hooks add each contribution to ``.grad`` as it arrives). Each node adds what it receives to its ``.grad``, so calling
backward twice accumulates, as in PyTorch.

Observers see one ``BackwardStep`` per node that receives a gradient. With none
attached the driver runs a loop that never builds them.

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
>>> steps = []
>>> (a * b).backward(observer=steps.append)
>>> [(s.node.op or s.node.label, s.upstream) for s in steps]
[('*', 1.0), ('b', 2.0), ('a', -3.0)]
>>> steps[0].parents[0].local, steps[0].parents[0].contribution
(-3.0, -3.0)
"""
from __future__ import annotations

import contextlib
import heapq
from dataclasses import dataclass
from typing import Any, Callable

from .graph import topological_order


class Op:
    """Base of every op in both engines.

    ``name`` is the key in the engine's op table, ``symbol`` what pictures show,
    ``rules`` the local derivative per parent as a template over the operand names
    ``{a}``, ``{b}``, the output ``{out}`` and a constant ``{k}`` (for the stepper).
    """

    name = "op"
    symbol = "op"
    rules: tuple = ()

    def backward(self, node, upstream) -> tuple:
        """Contribution to each parent's gradient (``None`` for parents that need none)."""
        raise NotImplementedError

    def local(self, node):
        """Local derivatives d(node)/d(parent), or ``None`` when not elementwise."""
        return None

    def __repr__(self) -> str:
        return f"<op {self.name}>"


@dataclass(frozen=True)
class ParentStep:
    """What one backward step gave one parent."""

    parent: Any
    rule: str            # the local derivative as a template, e.g. "{b}" for mul
    local: Any           # d(node)/d(parent) as a number/array, or None (e.g. matmul)
    contribution: Any    # what was added to the parent's gradient: local x upstream
    total: Any           # the parent's gradient so far in this pass, after the add
    fan_in: int          # how many contributions the parent has received so far


@dataclass(frozen=True)
class BackwardStep:
    """One node's turn in backward: its final upstream gradient and what it passed on."""

    index: int           # 0 for the root, then in reverse topological order
    node: Any
    node_id: int         # the node's index in topological order (deterministic)
    upstream: Any        # d(root)/d(node), complete when this step runs
    parents: tuple       # ParentStep per parent, in the node's parent order


_global_observers: list = []

# Gradient types that stand for an array without building it yet (e.g. "g placed at
# x[3:5]"): they support + with arrays and each other, and .materialize() -> array.
# Slices of one tensor then add into one buffer instead of one full array per slice.
LAZY_GRADIENTS: set = set()


def _dense(gradient):
    return gradient.materialize() if type(gradient) in LAZY_GRADIENTS else gradient


@contextlib.contextmanager
def observe_backward(callback: Callable[[BackwardStep], None]):
    """Send the BackwardStep events of every backward inside the block to ``callback``.

    >>> from tinygrad_edu.scalar import Value
    >>> x = Value(3.0); seen = []
    >>> with observe_backward(seen.append):
    ...     (x * x).backward()
    >>> len(seen)
    2
    """
    _global_observers.append(callback)
    try:
        yield callback
    finally:
        _global_observers.remove(callback)


def run_backward(root, seed, observer: Callable | None = None) -> None:
    """Propagate ``seed`` (d(root)/d(root)) from ``root`` to every node it depends on."""
    if _global_observers or observer is not None:
        observers = _global_observers + ([observer] if observer is not None else [])
        _run_observed(topological_order(root), root, seed, observers)
        return
    # Visit op nodes latest-made first (a heap on creation number, see core.graph): every
    # consumer of a node was made after it, so when a node comes off the heap all of its
    # gradient has arrived. Only nodes that receive a gradient are visited, and no
    # topological sort is needed. (id breaks ties between copies of a node.)
    pending = {id(root): seed}
    heap = [(-root._seq, id(root), root)]
    waiting_leaves = []  # leaves whose hooks must see their whole gradient at once
    pop, push = heapq.heappop, heapq.heappush
    lazy = LAZY_GRADIENTS
    while heap:
        node = pop(heap)[2]
        upstream = pending.pop(id(node))
        if type(upstream) in lazy:
            upstream = upstream.materialize()
        upstream = node._accept_grad(upstream)
        op = node._op
        if op is None:  # the root itself is a leaf
            continue
        for parent, contribution in zip(node._parents, op.backward(node, upstream)):
            if contribution is None:
                continue
            if parent._op is None and not parent._hooks and type(contribution) not in lazy:
                if parent.requires_grad:  # a plain leaf adds each contribution to .grad
                    parent._accept_grad(contribution)
                continue
            key = id(parent)
            previous = pending.get(key)
            if previous is not None:
                pending[key] = previous + contribution
            elif parent.requires_grad:
                pending[key] = contribution
                if parent._op is None:
                    waiting_leaves.append(parent)
                else:
                    push(heap, (-parent._seq, key, parent))
    for leaf in waiting_leaves:
        upstream = pending.pop(id(leaf))
        leaf._accept_grad(upstream.materialize() if type(upstream) in lazy else upstream)


def trace_backward(root, seed=None) -> list:
    """The BackwardSteps a backward from ``root`` would produce, with no side effects:
    no ``.grad`` changes and no hooks run. Pictures and the stepper use this.

    >>> from tinygrad_edu.scalar import Value
    >>> x = Value(3.0); steps = trace_backward(x * x)
    >>> steps[-1].upstream, x.grad
    (6.0, 0.0)
    """
    import numpy as np
    if seed is None:
        seed = np.ones_like(root.data) if isinstance(root.data, np.ndarray) else 1.0
    steps = []
    _run_observed(topological_order(root), root, seed, [steps.append], accept=False)
    return steps


def _run_observed(order, root, seed, observers, accept=True) -> None:
    """The same walk as ``run_backward``, building a BackwardStep per node."""
    pending = {id(root): seed}
    received = {}
    index = 0
    n = len(order)
    for position in range(n - 1, -1, -1):
        node = order[position]
        upstream = pending.pop(id(node), None)
        if upstream is None:
            continue
        upstream = _dense(upstream)
        if accept:
            upstream = node._accept_grad(upstream)
        op = node._op
        parent_steps = []
        if op is not None:
            contributions = op.backward(node, upstream)
            locals_ = op.local(node)
            for i, (parent, contribution) in enumerate(zip(node._parents, contributions)):
                if contribution is None:
                    continue
                contribution = _dense(contribution)
                key = id(parent)
                previous = pending.get(key)
                total = contribution if previous is None else previous + contribution
                pending[key] = total
                received[key] = received.get(key, 0) + 1
                parent_steps.append(ParentStep(
                    parent=parent,
                    rule=op.rules[i] if i < len(op.rules) else "",
                    local=None if locals_ is None else locals_[i],
                    contribution=contribution,
                    total=total,
                    fan_in=received[key],
                ))
        step = BackwardStep(index, node, position, upstream, tuple(parent_steps))
        index += 1
        for callback in observers:
            callback(step)
