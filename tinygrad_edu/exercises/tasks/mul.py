"""Exercise 1, mul: both local derivatives of c = a * b, times the upstream gradient.

The template's worked example, by the reference solution:

>>> backward(2.0, -3.0, 1.0)
(-3.0, 2.0)
"""
from __future__ import annotations

from hypothesis import strategies as st

from ...scalar import Value
from ..diagnosis import SIGN, UPSTREAM
from ..function_task import FunctionTask
from ..search import central_differences

NAME = "mul"
SUMMARY = "c = a * b: the gradients of a and b, given the upstream gradient dL/dc"
TEMPLATE = '''"""Exercise: mul. The chain rule through one multiplication.

A node c = a * b sits somewhere in a graph whose output is L. Backward reaches c
with the upstream gradient dL/dc (a number). Return the gradients of a and b:

    dL/da = dL/dc * dc/da        dL/db = dL/dc * dc/db

Inputs: a, b, upstream (floats; upstream is dL/dc). Return: (dL/da, dL/db).

Worked example (check your formula against it, then against others):
    a = 2.0, b = -3.0, upstream = 1.0  ->  c = -6.0 and backward(...) == (-3.0, 2.0)

Check it with:  tinygrad-edu exercise check mul
"""


def backward(a, b, upstream):
    """(dL/da, dL/db) for c = a * b, given upstream = dL/dc."""
    raise NotImplementedError
'''
HINTS = (
    "Hold b fixed and nudge a: c changes by b per unit of a. So dc/da = b.",
    "The chain rule multiplies: dL/da = upstream * dc/da. Do the same for b.",
    "With upstream = 2, a = 1, b = 5: dL/da = 2 * 5 = 10 and dL/db = 2 * 1 = 2.",
)


def backward(a, b, upstream):
    """The reference: each factor's derivative is the other factor."""
    return upstream * b, upstream * a


def _expected(case):
    a, b = Value(case["a"]), Value(case["b"])
    (a * b).backward(case["upstream"])
    return a.grad, b.grad


def _numeric(case):
    u = case["upstream"]
    return tuple(float(g) for g in central_differences(lambda a, b: u * a * b, [case["a"], case["b"]]))


def _mistakes(case):
    a, b, u = case["a"], case["b"], case["upstream"]
    return {SIGN: (-u * b, -u * a), UPSTREAM: (b, a),
            "swapped operands": (u * a, u * b)}


def _why(case, k):
    other = "b" if k == 0 else "a"
    return f"upstream {case['upstream']:g} x {other}"


_number = st.floats(-4, 4, allow_nan=False)
TASK = FunctionTask(
    NAME, "backward", ("a", "b", "upstream"),
    st.fixed_dictionaries({"a": _number, "b": _number, "upstream": _number}),
    ("dL/da", "dL/db"), _expected, _numeric, _mistakes, _why,
    explain={"swapped operands": "dc/da is b (the other factor), not a: nudge a by 1 and c "
                                 "moves by b"})


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)


def page_root(inputs):
    """The failing case as a graph for the stepper page: L = (a * b) * upstream."""
    a, b = Value(inputs["a"], label="a"), Value(inputs["b"], label="b")
    c = a * b
    c.label = "c"
    root = c * Value(inputs["upstream"], label="upstream")
    root.label = "L"
    return root, {"dL/da": a, "dL/db": b}
