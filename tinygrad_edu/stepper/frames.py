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
from .explain import (NO_MARKS, contribution_line, describe_step, local_rule, marked, same_text,
                      unmark, wrapped)
from .names import display_names

PENDING, PARTIAL, FINAL = "pending", "partial", "final"
# A prediction this close is right, in the terminal (driver) and on the page (page).
ANSWER_REL_TOL, ANSWER_ABS_TOL = 1e-2, 1e-3


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
    numbers: tuple = field(default=(), repr=False)  # per line: (start, end, exact) spans

    @property
    def rows(self) -> tuple:
        """Row per node, in topological order, as they stand after this frame."""
        return self.timeline.rows_at(self.index)


def _value(node, num=format_number) -> str:
    data = node.data
    if isinstance(data, np.ndarray) and data.size > 4:
        return f"{data.shape} {format_number(data)}"
    return num(data)


def _unmarked(lines) -> tuple:
    """Lines written with ``marked`` numbers: (the lines as shown, their number spans)."""
    pairs = [unmark(line) for line in lines]
    return tuple(text for text, _ in pairs), tuple(spans for _, spans in pairs)


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

    # The explanation's numbers carry their exact values (shown on hover on the page); a
    # label holding the marks themselves gets U+FFFD there, so they cannot be forged.
    said = {k: name.translate(NO_MARKS) for k, name in names.items()}
    for i, node in enumerate(order):
        lines, numbers = _unmarked(_forward_lines(node, said))
        frames.append(Frame(len(frames), total, "forward", i,
                            f"Forward {i + 1}/{len(order)}: {names[id(node)]}", lines,
                            (Change(i, value=_value(node)),), timeline=timeline, numbers=numbers))

    for k, step in enumerate(steps):
        changes = (Change(step.node_id, grad=format_number(step.upstream)),) + tuple(
            Change(ids[id(p.parent)], grad=format_number(p.total)) for p in step.parents)
        lines, numbers = _unmarked(_backward_lines(step, said))
        frames.append(Frame(len(frames), total, "backward", step.node_id,
                            f"Backward {k + 1}/{len(steps)}: {names[id(step.node)]}", lines,
                            changes, _questions(step, names), timeline=timeline,
                            numbers=numbers))
    return frames


def _forward_lines(node, said: dict) -> tuple:
    """What computing ``node`` did, its numbers ``marked``: the formula, the operands'
    values, the result (or, for a leaf, its value)."""
    me = said[id(node)]
    if not node.parents:
        return (f"{me} = {_value(node, marked)}: a leaf (an input or a parameter)",)
    operands = ", ".join(f"{said[id(p)]} = {marked(p.data)}" for p in node.parents)
    formula = formula_text(node, lambda p: said[id(p)])
    return (me if same_text(formula, me) else f"{me} = {formula}", f"  with {operands}",
            f"  gives {me} = {_value(node, marked)}")


def _backward_lines(step, said: dict) -> list:
    """The chain rule at one backward step, its numbers ``marked``."""
    lines = describe_step(step, said, num=marked)
    if not step.parents:
        me = said[id(step.node)]
        lines.append(f"  {me} is a leaf: its gradient is final, "
                     f"dL/d{wrapped(me)} = {marked(step.upstream)}")
    return lines


def _questions(step, names: dict) -> tuple:
    """What prediction mode asks at one backward step: each scalar parent's gradient."""
    def name(n):
        return names[id(n)]
    me = name(step.node)
    return tuple(
        Question(name(p.parent), contribution_line(step, p, me, name, hide=True),
                 float(np.sum(p.contribution)),
                 f"d({me})/d({name(p.parent)}) = {local_rule(step, p, name)}",
                 contribution_line(step, p, me, name))
        for p in step.parents if np.size(p.contribution) == 1)
