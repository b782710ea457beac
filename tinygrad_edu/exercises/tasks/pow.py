"""Exercise 3, pow: the power rule inside the chain rule.

The template's worked example, by the reference solution:

>>> backward(3.0, 2.0, 1.0)
6.0
"""
from __future__ import annotations

from hypothesis import strategies as st

from ...scalar import Value
from ..diagnosis import SIGN, UPSTREAM
from ..function_task import FunctionTask
from ..search import central_differences

NAME = "pow"
SUMMARY = "y = x ** n for a number n: the gradient of x, given the upstream gradient dL/dy"
TEMPLATE = '''"""Exercise: pow. The power rule, times the upstream gradient.

y = x ** n, with n a plain number (2, 3, 0.5, -1, ...) and x > 0. Backward reaches y
with upstream = dL/dy. Return dL/dx = upstream * dy/dx.

Inputs: x (float > 0), n (float), upstream (float). Return: dL/dx (a float).

Worked example:
    x = 3.0, n = 2.0, upstream = 1.0  ->  y = 9.0 and backward(...) == 6.0

Check it with:  tinygrad-edu exercise check pow
"""


def backward(x, n, upstream):
    """dL/dx for y = x ** n, given upstream = dL/dy."""
    raise NotImplementedError
'''
HINTS = (
    "The power rule: d(x^n)/dx = n * x^(n - 1). It holds for any real n when x > 0.",
    "Then the chain rule: multiply by the upstream gradient.",
    "x = 2, n = 3, upstream = 0.5: 0.5 * 3 * 2² = 6.",
)


def backward(x, n, upstream):
    """The reference: upstream * n * x ** (n - 1)."""
    return upstream * n * x ** (n - 1)


def _expected(case):
    x = Value(case["x"])
    (x ** case["n"]).backward(case["upstream"])
    return (x.grad,)


def _numeric(case):
    n, u = case["n"], case["upstream"]
    return (float(central_differences(lambda x: u * x ** n, [case["x"]])[0]),)


def _mistakes(case):
    x, n, u = case["x"], case["n"], case["upstream"]
    return {SIGN: (-u * n * x ** (n - 1),), UPSTREAM: (n * x ** (n - 1),),
            "exponent not lowered": (u * n * x ** n,), "forgot the factor n": (u * x ** (n - 1),)}


def _why(case, k):
    return f"upstream {case['upstream']:g} x n·x^(n-1) [= {case['n']:g}·{case['x']:g}^{case['n'] - 1:g}]"


TASK = FunctionTask(
    NAME, "backward", ("x", "n", "upstream"),
    st.fixed_dictionaries({"x": st.floats(0.25, 3), "n": st.sampled_from([2.0, 3.0, 0.5, -1.0, 1.5, -2.0]),
                           "upstream": st.floats(-3, 3)}),
    ("dL/dx",), _expected, _numeric, _mistakes, _why,
    explain={"exponent not lowered": "d(x^n)/dx = n·x^(n - 1): the exponent goes down by one",
             "forgot the factor n": "d(x^n)/dx = n·x^(n - 1): the old exponent comes down as a "
                                    "factor"})


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)


def page_root(inputs):
    """The failing case as a graph: L = x ** n * upstream."""
    x = Value(inputs["x"], label="x")
    y = x ** inputs["n"]
    y.label = "y"
    root = y * Value(inputs["upstream"], label="upstream")
    root.label = "L"
    return root, {"dL/dx": x}
