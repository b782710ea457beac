"""The library's own ops as the reference: gradients of float64 Tensors.

>>> import numpy as np
>>> tensor_grads(lambda a, b: a * b, [np.array([2.0]), np.array([3.0])], np.array([1.0]))
(array([3.]), array([2.]))
"""
from __future__ import annotations

import numpy as np


def tensor_grads(forward, arrays: list, upstream) -> tuple:
    """d(sum(forward(*arrays) * upstream))/d(array) for each array, by the library's
    backward in float64: upstream is dL/d(output) (a tuple of them when ``forward``
    returns a tuple of outputs)."""
    from ..tensor import Tensor
    inputs = [Tensor(np.array(a, dtype=np.float64), requires_grad=True, dtype=np.float64)
              for a in arrays]
    outs, ups = forward(*inputs), upstream
    if not isinstance(outs, tuple):  # one output and its upstream gradient
        outs, ups = (outs,), (upstream,)
    loss = sum((o * Tensor(np.asarray(u, dtype=np.float64), dtype=np.float64)).sum()
               for o, u in zip(outs, ups))
    loss.backward()
    return tuple(np.zeros_like(t.data) if t.grad is None else
                 np.array(t.grad.data if isinstance(t.grad, Tensor) else t.grad, dtype=np.float64)
                 .reshape(t.shape) for t in inputs)
