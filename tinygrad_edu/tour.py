"""The guided tour's first stop: one neuron, forward and then backward step by step.

>>> lines = neuron_walkthrough()
>>> lines[0]
'One neuron: out = tanh(x1*w1 + x2*w2 + b)'
"""
from __future__ import annotations

from .explain import describe_step
from .scalar import Value


def build_neuron():
    """The neuron of the tour: two inputs, two weights, a bias and tanh."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    total = x1w1 + x2w2
    total.label = "s"
    n = total + b
    n.label = "n"
    out = n.tanh()
    out.label = "out"
    return out, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def neuron_walkthrough() -> list:
    """Text lines: the neuron's forward values, then every backward step explained."""
    out, leaves = build_neuron()
    lines = ["One neuron: out = tanh(x1*w1 + x2*w2 + b)", "",
             "Forward: " + ", ".join(f"{k} = {v.data:.4g}" for k, v in leaves.items()),
             f"  out = {out.data:.6g}", "", "Backward, one node at a time (L = out):"]
    steps = []
    out.backward(observer=steps.append)
    for step in steps:
        lines.extend(describe_step(step))
    lines += ["", "Gradients: " + ", ".join(f"d(out)/d{k} = {v.grad:.4g}" for k, v in leaves.items())]
    return lines
