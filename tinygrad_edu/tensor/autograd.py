"""``grad``: gradients of tensors as tensors, without touching ``.grad``; with
``create_graph=True`` they are graphs themselves, to differentiate again (any order).

>>> from tinygrad_edu import Tensor, grad
>>> x = Tensor([1.0, 2.0], requires_grad=True)
>>> y = (x ** 3).sum()
>>> dx, = grad(y, x, create_graph=True)          # 3x², itself a graph over x
>>> dx.tolist()
[3.0, 12.0]
>>> ddx, = grad(dx.sum(), x)                     # 6x
>>> ddx.tolist()
[6.0, 12.0]
"""
from __future__ import annotations

import numpy as np

from ..core.backward import gradients
from ..core.errors import GraphError
from ..core.graph import check_unchanged
from ..core.mode import set_grad_enabled
from .tensor import Tensor


def grad(outputs, inputs, grad_outputs=None, create_graph: bool = False,
         allow_unused: bool = False) -> tuple:
    """d(outputs)/d(inputs), one Tensor per input (PyTorch's ``torch.autograd.grad``).

    ``outputs``: a tensor or a list; a one-element output needs no ``grad_outputs``,
    others need one (the vector in the vector-Jacobian product), of the output's shape.
    ``create_graph``: build the gradients from tensor ops, so they can be differentiated
    again. An input the outputs do not depend on raises, unless ``allow_unused`` (then
    its gradient is None).
    """
    outputs, inputs = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    grad_outputs = _as_list(grad_outputs, "grad_outputs", allow_none=True)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad: {len(grad_outputs)} grad_outputs for {len(outputs)} outputs; "
                         "expected one per output")
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise GraphError(f"grad: input {i} (shape {x.shape}) does not require grad; create "
                             "it with requires_grad=True")
    pairs = [(out, _seed(out, go, i, create_graph))
             for i, (out, go) in enumerate(zip(outputs, grad_outputs))]
    for out in outputs:
        check_unchanged(out)
    with set_grad_enabled(create_graph):
        raw = gradients(pairs, inputs, create_graph)
    result = []
    for i, (x, g) in enumerate(zip(inputs, raw)):
        if g is None:
            if not allow_unused:
                raise GraphError(f"grad: the outputs do not depend on input {i} (shape {x.shape}); "
                                 "pass allow_unused=True to get None for it")
        elif not isinstance(g, Tensor):
            g = Tensor._make(np.array(g, dtype=x.dtype))  # a copy: never share the graph's arrays
        result.append(g)
    return tuple(result)


def _as_list(items, what: str, allow_none: bool = False) -> list:
    items = list(items) if isinstance(items, (list, tuple)) else [items]
    for i, item in enumerate(items):
        if not isinstance(item, Tensor) and not (allow_none and item is None) and \
                not (what == "grad_outputs" and isinstance(item, np.ndarray)):
            raise TypeError(f"grad: {what}[{i}] is a {type(item).__name__}; expected a Tensor")
    return items


def _seed(out, given, i: int, create_graph: bool):
    """d(out)/d(out): ones for a one-element output, else the given grad_output."""
    if not out.requires_grad:
        raise GraphError(f"grad: output {i} (shape {out.shape}) does not require grad; expected it "
                         "to depend on a tensor created with requires_grad=True")
    if given is None:
        if out.numel() != 1:
            raise GraphError(f"grad: output {i} has shape {out.shape}; pass grad_outputs for "
                             "outputs with more than one element")
        given = np.ones(out.shape, dtype=out.dtype)
    if isinstance(given, Tensor):
        if not create_graph:
            given = given._data
    else:
        given = np.asarray(given, dtype=out.dtype)
    if given.shape != out.shape:
        raise GraphError(f"grad: grad_outputs[{i}] has shape {given.shape}; expected the output's "
                         f"shape {out.shape}")
    if create_graph and not isinstance(given, Tensor):
        given = Tensor._make(given)
        given.label = "seed"  # d(out)/d(out), where the backward graph starts
    return given

