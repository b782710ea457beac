"""``grad`` for Values: gradients as Values, without touching ``.grad``; with
``create_graph=True`` they are graphs of Values, to differentiate again (any order).

>>> from tinygrad_edu.scalar import Value, grad
>>> x = Value(0.5, label="x")
>>> dx, = grad(x.tanh(), x, create_graph=True)     # 1 - tanh(x)², built from the tanh node
>>> round(dx.data, 6), dx.op
(0.786448, '*')
>>> ddx, = grad(dx, x)                             # -2 tanh(x) (1 - tanh(x)²)
>>> round(ddx.data, 6)
-0.726862
"""
from __future__ import annotations

from ..core.backward import gradients
from ..core.errors import GraphError
from ..core.mode import set_grad_enabled
from ..core.graph import check_unchanged
from .value import Value


def grad(outputs, inputs, grad_outputs=None, create_graph: bool = False,
         allow_unused: bool = False) -> tuple:
    """d(outputs)/d(inputs), one Value per input, as ``tinygrad_edu.grad`` for tensors.
    ``grad_outputs`` (numbers or Values) weight each output; 1 by default."""
    outputs, inputs = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
    weights = [1.0] * len(outputs) if grad_outputs is None else \
        list(grad_outputs) if isinstance(grad_outputs, (list, tuple)) else [grad_outputs]
    if len(weights) != len(outputs):
        raise ValueError(f"grad: {len(weights)} grad_outputs for {len(outputs)} outputs; "
                         "expected one per output")
    seeds: list[Value | float] = []
    for w in weights:
        if create_graph:
            seeds.append(w if isinstance(w, Value) else Value(w, label="seed"))
        else:
            seeds.append(w.data if isinstance(w, Value) else float(w))
    for out in outputs:
        check_unchanged(out)
    with set_grad_enabled(create_graph):
        raw = gradients(list(zip(outputs, seeds)), inputs, create_graph)
    result = []
    for i, g in enumerate(raw):
        if g is None and not allow_unused:
            raise GraphError(f"grad: the outputs do not depend on input {i} ({inputs[i]!r}); "
                             "pass allow_unused=True to get None for it")
        result.append(g if g is None or isinstance(g, Value) else Value(float(g)))
    return tuple(result)


def _as_list(items, what: str) -> list:
    items = list(items) if isinstance(items, (list, tuple)) else [items]
    for i, item in enumerate(items):
        if not isinstance(item, Value):
            raise TypeError(f"grad: {what}[{i}] is a {type(item).__name__}; expected a Value")
    return items
