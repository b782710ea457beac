"""A backward step in words: the chain rule written out with numbers.

A pure function from a ``BackwardStep`` event to lines of text; the stepper's frames
(terminal and page) and the command line show them.

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = a * b; c.label = "c"
>>> steps = []; c.backward(observer=steps.append)
>>> print("\\n".join(describe_step(steps[0])))
c = a * b = -6, upstream dL/dc = 1
  a.grad += 1 x d(c)/d(a) [= b = -3] = -3
  b.grad += 1 x d(c)/d(b) [= a = 2] = 2
"""
from __future__ import annotations

import numpy as np

from ..core.text import fill_rule, format_number, formula_text, node_name

# Unicode noncharacters (kept for a program's internal use): a number as a line shows it,
# then its exact value, inside these marks; ``unmark`` takes them out again.
OPEN, SEP, CLOSE = "\ufdd0", "\ufdd1", "\ufdd2"
NO_MARKS = str.maketrans({OPEN: "\ufffd", SEP: "\ufffd", CLOSE: "\ufffd"})


def marked(x) -> str:
    """``format_number(x)`` marked with its exact value (a scalar's repr) for ``unmark``;
    an array's summary is left unmarked."""
    shown = format_number(x)
    if np.size(x) != 1:
        return shown
    return f"{OPEN}{shown}{SEP}{float(np.asarray(x).reshape(-1)[0])!r}{CLOSE}"


def unmark(line: str) -> tuple:
    """The line as shown, and its numbers as ``(start, end, exact)`` spans, counted in
    UTF-16 units as a browser's string counts them.

    >>> unmark("x = " + marked(0.1 + 0.2) + " and " + marked(2.0))
    ('x = 0.3 and 2', ((4, 7, '0.30000000000000004'), (12, 13, '2.0')))
    """
    units = lambda text: len(text.encode("utf-16-le", "surrogatepass")) // 2  # noqa: E731
    plain, spans, rest = "", [], line
    while OPEN in rest:
        before, _, rest = rest.partition(OPEN)
        shown, _, rest = rest.partition(SEP)
        exact, _, rest = rest.partition(CLOSE)
        plain += before
        spans.append((units(plain), units(plain) + units(shown), exact))
        plain += shown
    return plain + rest, tuple(spans)


def describe_step(step, names: dict | None = None, num=format_number) -> list:
    """Lines saying what one backward step did: the node, its upstream gradient, and per
    parent the local derivative and the contribution (with the running sum on fan-out).

    ``names`` maps ``id(node)`` to display names; by default labels or ``#id``. ``num``
    writes the numbers (``marked``: with their exact values, for the page).
    """
    def name(node, fallback_id=None):
        if names is not None and id(node) in names:
            return names[id(node)]
        return node_name(node, fallback_id)

    me = name(step.node, step.node_id)
    head = me  # its name, or #id where it has none: never both
    if step.node.op and not same_text(formula_text(step.node, name), me):
        head += f" = {formula_text(step.node, name)}"
    head += f" = {num(step.node.data)}" + ("" if step.node.op else " (leaf)")
    lines = [f"{head}, upstream dL/d{wrapped(me)} = {num(step.upstream)}"]
    for p in step.parents:
        pname = name(p.parent)
        line = "  " + contribution_line(step, p, me, name, num=num)
        if p.fan_in > 1:
            line += f"  (feeds {p.fan_in} consumers so far: running sum {num(p.total)})"
        lines.append(line)
        note = step.node._op.vanishing_note(p.local)
        if note:
            lines.append(f"    gradient dies here: d({me})/d({pname}) ~ 0 ({note})")
    return lines


def local_rule(step, p, name, num=format_number) -> str:
    """The local derivative in words and, when it differs, its number: ``w = -3``."""
    rule = fill_rule(p.rule, step.node, name)
    return rule if p.local is None or rule == format_number(p.local) else \
        f"{rule} = {num(p.local)}"


def contribution_line(step, p, me: str, name, hide: bool = False, num=format_number) -> str:
    """``x.grad += 0.5 x d(y)/d(x) [= w = -3] = -1.5``; ``hide``: the question instead,
    ``x.grad += 0.5 x d(y)/d(x) = ?`` (the local derivative is a hint, asked for)."""
    pname = name(p.parent)
    head = f"{pname}.grad += {num(step.upstream)} x d({me})/d({pname})"
    if hide:
        return head + " = ?"
    return f"{head} [= {local_rule(step, p, name, num)}] = {num(p.contribution)}"


def same_text(a: str, b: str) -> bool:
    """Equal but for spaces: a node named by its own formula (``x*w`` = ``x * w``)."""
    return a.replace(" ", "") == b.replace(" ", "")


def wrapped(name: str) -> str:
    """A name as it reads after d in dL/d...: in parentheses when it is an expression."""
    return name if name.replace(".", "").replace("_", "").isalnum() else f"({name})"
