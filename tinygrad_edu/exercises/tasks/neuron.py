"""Exercise 4, neuron: backward by hand through a tanh neuron and its squared error.

The template's worked example (micrograd's neuron), by the reference solution:

>>> L, v = build({"x1": 2.0, "w1": -3.0, "x2": 0.0, "w2": 1.0, "b": 6.8813735870195432, "y": 1.0})
>>> backward(v)
>>> [round(v[k].data, 4) for k in ("n", "o", "e", "L")]
[0.8814, 0.7071, -0.2929, 0.0858]
>>> [round(v[k].grad, 4) for k in ("e", "o", "n", "x1")]
[-0.5858, -0.5858, -0.2929, 0.8787]
"""
from __future__ import annotations

from hypothesis import strategies as st

from ...scalar import Value
from ..graph_task import GraphTask

NAME = "neuron"
SUMMARY = "a tanh neuron and its squared error as a Value graph: set every node's .grad by hand"
LEAVES = ("x1", "w1", "x2", "w2", "b", "y")
TEMPLATE = '''"""Exercise: neuron. Backpropagation by hand, node by node.

One neuron with two inputs, and its squared error against a target y, as a graph of
Values (each has .data, already computed, and .grad = 0.0 for you to fill in):

    x1w1 = x1 * w1        x2w2 = x2 * w2        s = x1w1 + x2w2        n = s + b
    o = tanh(n)           e = o - y             L = e * e

`v` is a dict from those names to the Values: v["x1"].data, v["e"].grad, ...
Set v[name].grad = dL/d(name) for all 13 names: L, e, o, n, s, x1w1, x2w2, b, x1,
w1, x2, w2, y. Do it by hand (no .backward()): start at L (dL/dL = 1) and move back
one node at a time; each node's gradient is complete once all its users are done.
Note that e is used twice by L = e * e.

Worked example (micrograd's neuron): x1 = 2, w1 = -3, x2 = 0, w2 = 1,
b = 6.8813735870195432, y = 1 gives n = 0.8814, o = 0.7071, e = -0.2929, L = 0.0858,
and then dL/de = -0.5858, dL/do = -0.5858, dL/dn = -0.2929, ..., dL/dx1 = 0.8787.

Check it with:  tinygrad-edu exercise check neuron
"""


def backward(v):
    """Set v[name].grad for every node of the graph above."""
    raise NotImplementedError
'''
HINTS = (
    "Start with v['L'].grad = 1.0. For L = e * e, e is both factors: it gets e.data * 1 "
    "twice, once per use, and the two add up.",
    "o = tanh(n): n.grad = o.grad * (1 - o.data ** 2), the output's square, not the input's. "
    "A sum passes its gradient unchanged to each term.",
    "A product passes each factor the other factor times its own gradient: "
    "x1.grad = w1.data * x1w1.grad, w1.grad = x1.data * x1w1.grad. And e = o - y gives "
    "y.grad = -e.grad.",
)


def build(case):
    """The exercise's graph for the inputs in ``case``: (L, {name: Value})."""
    v = {name: Value(float(case[name]), label=name) for name in LEAVES}
    v["x1w1"] = v["x1"] * v["w1"]
    v["x2w2"] = v["x2"] * v["w2"]
    v["s"] = v["x1w1"] + v["x2w2"]
    v["n"] = v["s"] + v["b"]
    v["o"] = v["n"].tanh()
    v["e"] = v["o"] - v["y"]
    v["L"] = v["e"] * v["e"]
    for name, node in v.items():
        node.label = name
    return v["L"], v


def backward(v):
    """The reference, in backward's order; += wherever a node has more than one user."""
    v["L"].grad = 1.0
    v["e"].grad += v["e"].data * v["L"].grad
    v["e"].grad += v["e"].data * v["L"].grad
    v["o"].grad = v["e"].grad
    v["y"].grad = -v["e"].grad
    v["n"].grad = v["o"].grad * (1 - v["o"].data ** 2)
    v["s"].grad = v["b"].grad = v["n"].grad
    v["x1w1"].grad = v["x2w2"].grad = v["s"].grad
    v["x1"].grad, v["w1"].grad = v["w1"].data * v["x1w1"].grad, v["x1"].data * v["x1w1"].grad
    v["x2"].grad, v["w2"].grad = v["w2"].data * v["x2w2"].grad, v["x2"].data * v["x2w2"].grad


_number = st.floats(-2, 2, allow_nan=False)
TASK = GraphTask(NAME, "backward", st.fixed_dictionaries({k: _number for k in LEAVES}), build)


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)


def page_root(inputs):
    """The failing case's graph for the stepper page, and its nodes by name."""
    return build(inputs)
