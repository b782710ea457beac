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

from dataclasses import dataclass

import numpy as np

from ..core.backward import trace_backward
from ..core.graph import topological_order
from ..core.text import fill_rule, format_number, formula_text, node_name
from .explain import describe_step

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
    """What prediction mode asks: the gradient flowing into ``parent`` at this step."""

    parent: str
    prompt: str
    answer: float


@dataclass(frozen=True)
class Frame:
    index: int
    total: int
    phase: str        # 'forward' or 'backward'
    cursor: int       # node id of the current node
    title: str
    lines: tuple      # the explanation, plain text
    rows: tuple       # Row per node, in topological order
    questions: tuple = ()


def _value(node) -> str:
    data = node.data
    if isinstance(data, np.ndarray) and data.size > 4:
        return f"{data.shape} {format_number(data)}"
    return format_number(data)


def build_frames(root) -> list:
    """Forward frames (one per node, topological order), then backward frames (one per
    node that receives a gradient, reverse topological order). No side effects."""
    order = topological_order(root)
    ids = {id(n): i for i, n in enumerate(order)}
    names = {id(n): node_name(n, i) for i, n in enumerate(order)}
    formulas = [formula_text(n, lambda p: names[id(p)]) for n in order]
    values = [_value(n) for n in order]
    steps = trace_backward(root)
    total = len(order) + len(steps)
    frames = []

    for i, node in enumerate(order):
        rows = tuple(Row(j, names[id(n)], formulas[j], values[j] if j <= i else "", "",
                         "done" if j <= i else "todo") for j, n in enumerate(order))
        if node.parents:
            operands = ", ".join(f"{names[id(p)]} = {format_number(p.data)}" for p in node.parents)
            lines = (f"{names[id(node)]} = {formulas[i]}", f"  with {operands}",
                     f"  gives {names[id(node)]} = {_value(node)}")
        else:
            lines = (f"{names[id(node)]} = {_value(node)}: a leaf (an input or a parameter)",)
        frames.append(Frame(len(frames), total, "forward", i,
                            f"Forward {i + 1}/{len(order)}: {names[id(node)]}", lines, rows))

    grads = {}        # id -> gradient so far (running sums)
    final = set()
    for k, step in enumerate(steps):
        final.add(id(step.node))
        grads[id(step.node)] = step.upstream
        for p in step.parents:
            grads[id(p.parent)] = p.total
        rows = []
        for j, n in enumerate(order):
            g = grads.get(id(n))
            state = FINAL if id(n) in final else (PARTIAL if g is not None else PENDING)
            rows.append(Row(j, names[id(n)], formulas[j], values[j],
                            "" if g is None else format_number(g), state))
        me = names[id(step.node)]
        questions = tuple(
            Question(names[id(p.parent)],
                     f"{names[id(p.parent)]}.grad += {format_number(step.upstream)} x "
                     f"d({me})/d({names[id(p.parent)]}) [= {fill_rule(p.rule, step.node, lambda n: names[id(n)])}] = ?",
                     float(np.sum(p.contribution)))
            for p in step.parents if np.size(p.contribution) == 1)
        lines = tuple(describe_step(step, names))
        if not step.parents:
            lines += (f"  {me} is a leaf: its gradient is final, dL/d{me} = "
                      f"{format_number(step.upstream)}",)
        frames.append(Frame(len(frames), total, "backward", ids[id(step.node)],
                            f"Backward {k + 1}/{len(steps)}: {me}", lines, tuple(rows), questions))
    return frames
