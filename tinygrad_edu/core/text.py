"""How nodes, numbers and formulas read: the one formatter the stepper, the pictures and
the command line share, so a number looks the same wherever a learner meets it.

>>> format_number(2.0), format_number(-1/3), format_number(-1/3, digits=4)
('2', '-0.333333', '-0.3333')
>>> format_number(np.array([[1.0, 2.0], [3.0, 4.5]]))
'[[1, 2], [3, 4.5]]'
>>> format_number(np.zeros((3, 4)))
'<3x4 array, mean 0, |max| 0>'
>>> from tinygrad_edu.scalar import Value
>>> x = Value(2.0, label="x"); y = x ** 3
>>> formula_text(y, node_name), fill_rule(y._op.words(y)[0], y, node_name)
('x ** 3', '3·x²')
"""
from __future__ import annotations

import math
import string

import numpy as np


def format_number(x, digits: int = 6, limit: int = 8) -> str:
    """A number in ``digits`` significant digits; arrays of up to ``limit`` elements in
    full on one line, larger ones as shape, mean and largest magnitude."""
    if isinstance(x, np.ndarray) and x.size > 1:
        if x.size <= limit:
            text = np.array2string(x, separator=", ", formatter={"all": lambda v: f"{v:.4g}"})
            return " ".join(text.split())
        if x.dtype.kind == "b":
            return f"<{'x'.join(map(str, x.shape))} mask, {int(x.sum())} true>"
        a = np.asarray(x, dtype=np.float64)
        return (f"<{'x'.join(map(str, x.shape))} array, mean {a.mean():.4g}, "
                f"|max| {np.max(np.abs(a)):.4g}>")
    value = float(np.asarray(x).reshape(-1)[0]) if np.size(x) else math.nan
    return "0" if value == 0 else f"{value:.{digits}g}"


def node_name(node, node_id: int | None = None) -> str:
    """A node's label, or ``#id`` / the op symbol when it has none."""
    if node.label:
        return node.label
    if node_id is not None:
        return f"#{node_id}"
    return node.op or "leaf"


def formula_text(node, name=node_name) -> str:
    """How ``node`` was computed, in its operands' names: ``a * b``, ``x ** 3``,
    ``tanh(z)``; ``leaf`` for inputs and parameters."""
    if not node.parents:
        return "leaf"
    operands = [name(p) for p in node.parents]
    constants = [format_number(v) for v in _constants(node._op)]
    if len(operands) + len(constants) == 2 and len(node.op) <= 2:
        return f"{(operands + constants)[0]} {node.op} {(operands + constants)[1]}"
    return f"{node.op}({', '.join(operands + constants)})"


def _constants(op) -> list:
    """The plain-number settings an op was made with (a power's exponent, a slope)."""
    return [v for k, v in getattr(op, "__dict__", {}).items()
            if k in ("k", "slope") and isinstance(v, (int, float, np.number))]


class _Names(dict):
    def __missing__(self, key):  # a name the node does not provide stays as written
        return "{" + key + "}"


def fill_rule(template: str, node, name=node_name) -> str:
    """Put operand names into an op's words: "{b}" for a * b becomes "w1"."""
    fields = _Names(out=name(node))
    for key, parent in zip("abcd", node.parents):
        fields[key] = name(parent)
    try:
        return string.Formatter().vformat(template, (), fields)
    except (ValueError, IndexError):
        return template
