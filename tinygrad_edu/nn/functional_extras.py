"""``F.one_hot`` and ``F.l1_loss`` (re-exported by ``nn.functional``), built from
engine ops so their gradients come from the op table.

>>> from tinygrad_edu import Tensor
>>> one_hot(Tensor([0, 2]), 3).tolist()
[[1, 0, 0], [0, 0, 1]]
>>> p = Tensor([1.0, -1.0], requires_grad=True)
>>> l1_loss(p, Tensor([0.0, 0.0])).item()
1.0
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Integer class indices -> int64 rows with a 1 at each index (``num_classes=-1``:
    one more than the largest index, as PyTorch)."""
    labels = np.asarray(getattr(tensor, "_data", tensor))
    if labels.dtype.kind not in "iu":
        raise TypeError(f"one_hot: expected integer class indices (int64), got dtype {labels.dtype}")
    if labels.size and labels.min() < 0:
        raise ValueError(f"one_hot: class indices must be >= 0, got {int(labels.min())}")
    classes = (int(labels.max()) + 1 if labels.size else 0) if num_classes == -1 else num_classes
    if labels.size and labels.max() >= classes:
        raise ValueError(f"one_hot: class index {int(labels.max())} is out of range for "
                         f"num_classes={classes}")
    return Tensor(np.eye(classes, dtype=np.int64)[labels])


def l1_loss(pred: Tensor, target, reduction: str = "mean") -> Tensor:
    """Mean (or sum, or none) of |pred - target|; shapes must match."""
    target = pred._lift(target)
    if pred.shape != target.shape:
        raise ValueError(f"l1_loss: pred has shape {pred.shape} but target has {target.shape}; "
                         "expected the same shape (broadcasting here is usually a bug)")
    loss = (pred - target).abs()
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"l1_loss: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
