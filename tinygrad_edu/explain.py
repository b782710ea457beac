"""Plain-text explanations of backward steps: the chain rule written out with numbers.

Pure functions from ``BackwardStep`` events to lines of text; the command line, the
stepper and the demos print them.

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = a * b; c.label = "c"
>>> steps = []; c.backward(observer=steps.append)
>>> print("\\n".join(describe_step(steps[0])))
#2 c = a * b = -6, upstream dL/dc = 1
  a.grad += 1 x d(c)/d(a) [= b = -3] = -3
  b.grad += 1 x d(c)/d(b) [= a = 2] = 2
"""
from __future__ import annotations

import numpy as np


def node_name(node, node_id: int | None = None) -> str:
    """A node's label, or ``#id`` / the op symbol when it has none."""
    if node.label:
        return node.label
    if node_id is not None:
        return f"#{node_id}"
    return node.op or "leaf"


def format_number(x) -> str:
    """Short numbers for explanations: 6 significant digits; small arrays in full on
    one line, larger ones by shape, mean and largest magnitude.

    >>> format_number(np.array([[1.0, 2.0], [3.0, 4.5]]))
    '[[1, 2], [3, 4.5]]'
    >>> format_number(np.zeros((3, 4)))
    '<3x4 array, mean 0, |max| 0>'
    """
    if isinstance(x, np.ndarray) and x.size > 1:
        if x.size <= 8:
            text = np.array2string(x, separator=", ", formatter={"all": lambda v: f"{v:.4g}"})
            return " ".join(text.split())
        return (f"<{'x'.join(map(str, x.shape))} array, mean {np.mean(x):.4g}, "
                f"|max| {np.max(np.abs(x)):.4g}>")
    return f"{float(np.asarray(x).reshape(-1)[0]):.6g}"


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
    if step.node.op:
        operands = [name(p) for p in step.node.parents]
        if len(operands) == 2:
            formula = f"{operands[0]} {step.node.op} {operands[1]}"
        else:
            formula = f"{step.node.op}({', '.join(operands)})"
        head = f"#{step.node_id} {me} = {formula} = {format_number(step.node.data)}"
    else:
        head = f"#{step.node_id} {me} = {format_number(step.node.data)} (leaf)"
    lines = [f"{head}, upstream dL/d{me} = {format_number(step.upstream)}"]
    up = format_number(step.upstream)
    for p in step.parents:
        pname = name(p.parent)
        rule = fill_rule(p.rule, step.node, name)
        shown = rule if p.local is None or rule == format_number(p.local) else \
            f"{rule} = {format_number(p.local)}"
        line = (f"  {pname}.grad += {up} x d({me})/d({pname}) [= {shown}] = "
                f"{format_number(p.contribution)}")
        if p.fan_in > 1:
            line += f"  (feeds {p.fan_in} consumers so far: running sum {format_number(p.total)})"
        lines.append(line)
        note = vanishing_note(step.node, p.local)
        if note:
            lines.append(f"    gradient dies here: d({me})/d({pname}) ~ 0 ({note})")
    return lines


def fill_rule(template: str, node, name=node_name) -> str:
    """Put operand names into an op's rule template: "{b}" for a*b becomes "w1"."""
    parents = node.parents
    k = getattr(node, "_arg", None)
    if k is None:
        k = getattr(node._op, "k", None)
    fields = {"out": name(node), "k": "k" if k is None else format_number(k)}
    for key, parent in zip("ab", parents):
        fields[key] = name(parent)
    try:
        return template.format(**fields)
    except (KeyError, IndexError):
        return template


SATURATED = 1e-3  # |local derivative| below this: a saturated tanh or sigmoid


def vanishing_note(node, local) -> str | None:
    """Why an op passes (almost) no gradient to a parent, when the op is the cause."""
    if local is None or node._op is None:
        return None
    op = node._op.name
    loc = np.abs(np.asarray(local, dtype=np.float64))
    if op == "relu" and np.all(loc == 0):
        return "relu off: its input was <= 0"
    if op in ("tanh", "sigmoid") and np.all(loc < SATURATED):
        return f"saturated {op}: its output sits on the flat end"
    if op == "dropout" and np.all(loc == 0):
        return "dropped by dropout"
    if op == "mul" and np.all(loc == 0):
        return "multiplied by 0: the other factor is 0"
    return None
