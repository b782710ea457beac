"""Exercise 6, unbroadcast: broadcasting's backward, summing a gradient back to a shape.

The template's worked examples, by the reference solution:

>>> g = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
>>> unbroadcast(g, (3,)).tolist(), unbroadcast(g, (2, 1)).tolist()
([5.0, 7.0, 9.0], [[6.0], [15.0]])
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..diagnosis import BROADCAST
from ..function_task import FunctionTask
from ..library import tensor_grads
from ..search import arrays, central_differences

NAME = "unbroadcast"
SUMMARY = "sum a broadcast gradient back to its input's shape (the backward of broadcasting)"
TEMPLATE = '''"""Exercise: unbroadcast. Broadcasting's backward.

In x + y with x of shape (3,) and y of shape (2, 3), numpy stretches x to (2, 3): each
of x's numbers is used once per row. Backward then receives a gradient of the output's
shape (2, 3) for x, and must add up, for each of x's numbers, the gradients of all its
copies, giving back x's own shape (3,).

Inputs: grad (numpy array, the output's shape) and shape (a tuple: the input's shape,
which broadcasts to grad.shape). Return: an array of exactly `shape`.

Worked example:
    grad = [[1, 2, 3], [4, 5, 6]], shape = (3,)    -> [5, 7, 9]
    grad = [[1, 2, 3], [4, 5, 6]], shape = (2, 1)  -> [[6], [15]]

Check it with:  tinygrad-edu exercise check unbroadcast
"""
import numpy as np


def unbroadcast(grad, shape):
    """``grad`` summed over the axes that broadcasting added or stretched, to ``shape``."""
    raise NotImplementedError
'''
HINTS = (
    "Broadcasting does two things: it adds new leading axes, and it stretches axes of "
    "size 1. Undo both.",
    "Sum over the leading grad.ndim - len(shape) axes first; then, for each axis where "
    "shape has 1 and grad does not, sum over it with keepdims=True.",
    "The result's shape must be exactly `shape`: (2, 1) stays (2, 1), not (2,).",
)


def unbroadcast(grad, shape):
    """The reference: sum the added leading axes, then the stretched size-1 axes."""
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad


@st.composite
def _cases(draw):
    shape = tuple(draw(st.lists(st.sampled_from([1, 2, 3]), max_size=3)))
    lead = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    full = lead + tuple(draw(st.integers(1, 3)) if n == 1 else n for n in shape)
    return {"grad": draw(arrays(full)), "shape": shape}


def _expected(case):
    return tensor_grads(lambda x: x + np.zeros(case["grad"].shape), [np.zeros(case["shape"])],
                        case["grad"])


def _numeric(case):
    g = case["grad"]
    return tuple(central_differences(lambda x: float((np.broadcast_to(x, g.shape) * g).sum()),
                                     [np.zeros(case["shape"])]))


def _mistakes(case):
    g, shape = case["grad"], case["shape"]
    extra = g.ndim - len(shape)
    lead = g.sum(axis=tuple(range(extra)))
    axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shape)
                                       if n == 1 and g.shape[extra + i] != 1)
    right = unbroadcast(g, shape)
    return {BROADCAST: (g,), "size-1 axes not summed": (lead,),
            "mean instead of sum": (g.mean(axis=axes).reshape(shape) if axes else g,),
            "keepdims forgotten": (right.reshape(tuple(n for n in shape if n != 1)),)}


def _why(case, k):
    g, shape = case["grad"], case["shape"]
    extra = g.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shape)
                                       if n == 1 and g.shape[extra + i] != 1)
    return f"grad summed over axes {axes} to shape {shape}"


TASK = FunctionTask(
    NAME, "unbroadcast", ("grad", "shape"), _cases(), ("the input's gradient",), _expected,
    _numeric, _mistakes, _why,
    explain={"size-1 axes not summed": "after summing the added leading axes, the axes where "
                                       "the input has size 1 were stretched too: sum them with "
                                       "keepdims=True",
             "mean instead of sum": "each copy of a number adds its own gradient: sum, not mean",
             "keepdims forgotten": "the result must have exactly the input's shape, size-1 axes "
                                   "included: sum with keepdims=True"})


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)
