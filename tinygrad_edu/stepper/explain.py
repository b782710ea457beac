"""A backward step in words: the chain rule written out with numbers.

A pure function from a ``BackwardStep`` event to lines of text; the stepper's frames
(terminal and page) and the command line show them.

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = a * b; c.label = "c"
>>> steps = []; c.backward(observer=steps.append)
>>> print("\\n".join(describe_step(steps[0])))
#2 c = a * b = -6, upstream dL/dc = 1
  a.grad += 1 x d(c)/d(a) [= b = -3] = -3
  b.grad += 1 x d(c)/d(b) [= a = 2] = 2
"""
from __future__ import annotations

from ..core.text import fill_rule, format_number, formula_text, node_name


def describe_step(step, names: dict | None = None) -> list:
    """Lines saying what one backward step did: the node, its upstream gradient, and per
    parent the local derivative and the contribution (with the running sum on fan-out).

    ``names`` maps ``id(node)`` to display names; by default labels or ``#id``.
    """
    def name(node, fallback_id=None):
        if names is not None and id(node) in names:
            return names[id(node)]
        return node_name(node, fallback_id)

    me = name(step.node, step.node_id)
    head = me if me == f"#{step.node_id}" else f"#{step.node_id} {me}"  # the id once
    if step.node.op and not same_text(formula_text(step.node, name), me):
        head += f" = {formula_text(step.node, name)}"
    head += f" = {format_number(step.node.data)}" + ("" if step.node.op else " (leaf)")
    lines = [f"{head}, upstream dL/d{wrapped(me)} = {format_number(step.upstream)}"]
    for p in step.parents:
        pname = name(p.parent)
        line = "  " + contribution_line(step, p, me, name)
        if p.fan_in > 1:
            line += f"  (feeds {p.fan_in} consumers so far: running sum {format_number(p.total)})"
        lines.append(line)
        note = step.node._op.vanishing_note(p.local)
        if note:
            lines.append(f"    gradient dies here: d({me})/d({pname}) ~ 0 ({note})")
    return lines


def local_rule(step, p, name) -> str:
    """The local derivative in words and, when it differs, its number: ``w = -3``."""
    rule = fill_rule(p.rule, step.node, name)
    return rule if p.local is None or rule == format_number(p.local) else \
        f"{rule} = {format_number(p.local)}"


def contribution_line(step, p, me: str, name, hide: bool = False) -> str:
    """``x.grad += 0.5 x d(y)/d(x) [= w = -3] = -1.5``; ``hide``: the question instead,
    ``x.grad += 0.5 x d(y)/d(x) = ?`` (the local derivative is a hint, asked for)."""
    pname = name(p.parent)
    head = f"{pname}.grad += {format_number(step.upstream)} x d({me})/d({pname})"
    if hide:
        return head + " = ?"
    return f"{head} [= {local_rule(step, p, name)}] = {format_number(p.contribution)}"


def same_text(a: str, b: str) -> bool:
    """Equal but for spaces: a node named by its own formula (``x*w`` = ``x * w``)."""
    return a.replace(" ", "") == b.replace(" ", "")


def wrapped(name: str) -> str:
    """A name as it reads after d in dL/d...: in parentheses when it is an expression."""
    return name if name.replace(".", "").replace("_", "").isalnum() else f"({name})"
