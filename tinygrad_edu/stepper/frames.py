"""Stepper frames: pure data built from a graph and its BackwardStep stream.

The stepper walks forward through the graph (one node per frame), then backward in
reverse topological order (one node per frame). Frames are plain data, so they can be
tested without a terminal; ``render.py`` turns them into rich renderables.

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = a * b; c.label = "c"
>>> frames = build_frames(c)
>>> [f.phase for f in frames]
['forward', 'forward', 'forward', 'backward', 'backward', 'backward']
>>> frames[3].lines[1]
'  a.grad += 1 x d(c)/d(a) [= b = -3] = -3'
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.backward import trace_backward
from ..core.graph import Node, topological_order
from ..core.text import format_number, formula_text
from .explain import contribution_line, describe_step, local_rule, same_text, wrapped
from .names import display_names

PENDING, PARTIAL, FINAL = "pending", "partial", "final"


@dataclass(frozen=True)
class Row:
    """One node in the overview: where it is and what it knows so far."""

    node_id: int
    name: str
    formula: str
    value: str
    grad: str        # '' when no gradient has arrived yet
    state: str       # forward: 'done' / 'todo'; backward: pending / partial / final


@dataclass(frozen=True)
class Question:
    """What prediction mode asks: the gradient flowing into ``parent`` at this step; the
    local derivative is a ``hint`` given when asked, ``working`` the line that answers."""

    parent: str
    prompt: str
    answer: float
    hint: str = ""
    working: str = ""


@dataclass(frozen=True)
class Change:
    """What one frame learns about one node: its value (forward) or its gradient so far
    (backward); ``None`` where it says nothing new."""

    node_id: int
    value: str | None = None
    grad: str | None = None


class Timeline:
    """The graph's nodes (names, formulas) and every frame's changes: a frame's rows are
    rebuilt from the changes up to it, so frames take linear, not quadratic, space."""

    def __init__(self, names: list, formulas: list):
        self.names, self.formulas, self.frames = names, formulas, []

    def rows_at(self, index: int) -> tuple:
        values, grads, final = [""] * len(self.names), [""] * len(self.names), set()
        backward = self.frames[index].phase == "backward"
        for frame in self.frames[:index + 1]:
            for change in frame.changes:
                if change.value is not None:
                    values[change.node_id] = change.value
                if change.grad is not None:
                    grads[change.node_id] = change.grad
            if frame.phase == "backward":
                final.add(frame.cursor)
        return tuple(Row(j, self.names[j], self.formulas[j], values[j], grads[j],
                         _state(j, values[j], grads[j], final, backward))
                     for j in range(len(self.names)))


def _state(j, value, grad, final, backward) -> str:
    if not backward:
        return "done" if value else "todo"
    return FINAL if j in final else (PARTIAL if grad else PENDING)


@dataclass(frozen=True)
class Frame:
    index: int
    total: int
    phase: str        # 'forward' or 'backward'
    cursor: int       # node id of the current node
    title: str
    lines: tuple      # the explanation, plain text
    changes: tuple    # Change per node this frame computes or sends a gradient to
    questions: tuple = ()
    timeline: Timeline | None = field(default=None, repr=False, compare=False)

    @property
    def rows(self) -> tuple:
        """Row per node, in topological order, as they stand after this frame."""
        return self.timeline.rows_at(self.index)


def _value(node) -> str:
    data = node.data
    if isinstance(data, np.ndarray) and data.size > 4:
        return f"{data.shape} {format_number(data)}"
    return format_number(data)


def build_frames(root) -> list:
    """Forward frames (one per node, in creation order), then backward frames (one per
    node that receives a gradient, the reverse). No side effects."""
    if not isinstance(root, Node):
        raise TypeError(f"stepper: expected a Value or a Tensor to step through (the result "
                        f"of a computation), got {type(root).__name__}")
    order = topological_order(root)
    ids = {id(n): i for i, n in enumerate(order)}
    names = display_names(order)
    timeline = Timeline([names[id(n)] for n in order],
                        [formula_text(n, lambda p: names[id(p)]) for n in order])
    steps = trace_backward(root)
    total = len(order) + len(steps)
    frames = timeline.frames

    for i, node in enumerate(order):
        me, value = names[id(node)], _value(node)
        if node.parents:
            operands = ", ".join(f"{names[id(p)]} = {format_number(p.data)}" for p in node.parents)
            formula = timeline.formulas[i]
            lines = (me if same_text(formula, me) else f"{me} = {formula}", f"  with {operands}",
                     f"  gives {me} = {value}")
        else:
            lines = (f"{me} = {value}: a leaf (an input or a parameter)",)
        frames.append(Frame(len(frames), total, "forward", i, f"Forward {i + 1}/{len(order)}: {me}",
                            lines, (Change(i, value=value),), timeline=timeline))

    for k, step in enumerate(steps):
        me = names[id(step.node)]
        changes = (Change(step.node_id, grad=format_number(step.upstream)),) + tuple(
            Change(ids[id(p.parent)], grad=format_number(p.total)) for p in step.parents)
        name = lambda n: names[id(n)]  # noqa: E731
        questions = tuple(
            Question(name(p.parent), contribution_line(step, p, me, name, hide=True),
                     float(np.sum(p.contribution)),
                     f"d({me})/d({name(p.parent)}) = {local_rule(step, p, name)}",
                     contribution_line(step, p, me, name))
            for p in step.parents if np.size(p.contribution) == 1)
        lines = tuple(describe_step(step, names))
        if not step.parents:
            lines += (f"  {me} is a leaf: its gradient is final, dL/d{wrapped(me)} = "
                      f"{format_number(step.upstream)}",)
        frames.append(Frame(len(frames), total, "backward", step.node_id,
                            f"Backward {k + 1}/{len(steps)}: {me}", lines, changes, questions,
                            timeline=timeline))
    return frames
