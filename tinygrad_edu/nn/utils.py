"""``nn.utils.clip_grad_norm_``: scale the gradients so their joint norm is at most
``max_norm`` (PyTorch's formula: multiplied by min(1, max_norm / (norm + 1e-6))).

>>> from tinygrad_edu import Tensor
>>> w = Tensor([3.0, 4.0], requires_grad=True); (w * w).sum().backward()
>>> clip_grad_norm_([w], 1.0).item(), [round(g, 4) for g in w.grad.tolist()]
(10.0, [0.6, 0.8])
"""
from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> Tensor:
    """Returns the total norm before clipping; parameters without a gradient are skipped."""
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads = [np.asarray(p.grad._data) for p in params if p.grad is not None]
    if not grads:
        return Tensor(0.0)
    norm_type = float(norm_type)
    if norm_type == math.inf:
        total = max(float(np.abs(g).max(initial=0.0)) for g in grads)
    else:
        total = sum(float((np.abs(g.astype(np.float64)) ** norm_type).sum())
                    for g in grads) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} is {total}; "
                           "set error_if_nonfinite=False to clip anyway")
    scale = min(1.0, float(max_norm) / (total + 1e-6))
    for p in params:
        if p.grad is not None:
            p.grad = p.grad._data * np.asarray(scale, dtype=p.grad.dtype)
    return Tensor(total, dtype=grads[0].dtype)
