"""Exercise 2, tanh: its derivative written with its output.

The template's worked example, by the reference solution:

>>> derivative(0.0, 0.0), 0 < derivative(0.5, math.tanh(0.5)) < 1
(1.0, True)
"""
from __future__ import annotations

import math

from hypothesis import strategies as st

from ...scalar import Value
from ..diagnosis import INPUT_FOR_OUTPUT, SIGN
from ..function_task import FunctionTask
from ..search import central_differences

NAME = "tanh"
SUMMARY = "d tanh(x)/dx written with the output out = tanh(x), as backward sees it"
TEMPLATE = '''"""Exercise: tanh. The local derivative of the tanh neuron's activation.

Backward reaches out = tanh(x) knowing both x and out. Return d out / d x,
the local derivative (backward multiplies it by the upstream gradient itself).
Write it with `out` (as micrograd does): it saves computing tanh again.

Inputs: x and out = tanh(x) (floats). Return: d tanh(x)/dx (a float).

Worked example:
    x = 0.0, out = 0.0  ->  derivative(0.0, 0.0) == 1.0   (tanh is steepest at 0)
    x = 0.5, out = tanh(0.5) = 0.462117  ->  a number between 0 and 1

Check it with:  tinygrad-edu exercise check tanh
"""


def derivative(x, out):
    """d tanh(x)/dx, where out = tanh(x)."""
    raise NotImplementedError
'''
HINTS = (
    "tanh(x) = (e^x - e^-x) / (e^x + e^-x). Differentiate with the quotient rule, or look "
    "at the picture: the slope is 1 at 0 and falls to 0 for large |x|.",
    "The quotient rule gives 1 - tanh(x)². Which argument holds tanh(x) already?",
    "For x = 1: out = 0.761594 and the derivative is 1 - 0.761594² = 0.419974.",
)


def derivative(x, out):
    """The reference: 1 - out² (the library's Tanh op states the same)."""
    return 1 - out ** 2


def _expected(case):
    x = Value(case["x"])
    x.tanh().backward()
    return (x.grad,)


def _numeric(case):
    return (float(central_differences(lambda x: math.tanh(x), [case["x"]])[0]),)


def _mistakes(case):
    x, out = case["x"], case["out"]
    return {INPUT_FOR_OUTPUT: (1 - x ** 2,), SIGN: (out ** 2 - 1,),
            "forgot the square": (1 - out,), "1 + out²": (1 + out ** 2,)}


def _why(case, k):
    return f"1 - out² [out = {case['out']:.6g}]"


TASK = FunctionTask(
    NAME, "derivative", ("x", "out"),
    st.floats(-3, 3, allow_nan=False).map(lambda x: {"x": x, "out": math.tanh(x)}),
    ("d tanh/dx",), _expected, _numeric, _mistakes, _why,
    explain={"forgot the square": "d tanh(x)/dx = 1 - out², with out squared",
             "1 + out²": "the derivative of tanh is 1 - tanh², not 1 + tanh² (that one is tan's)"})


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)


def page_root(inputs):
    """The failing case as a graph: out = tanh(x)."""
    x = Value(inputs["x"], label="x")
    out = x.tanh()
    out.label = "out"
    return out, {"d tanh/dx": x}
