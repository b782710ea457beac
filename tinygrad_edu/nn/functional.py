"""Functional forms of layers, activations and losses (``import tinygrad_edu.nn.functional as F``).

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> logits = Tensor([[2.0, 0.5, -1.0]], requires_grad=True)
>>> loss = cross_entropy(logits, np.array([0]))
>>> round(loss.item(), 4)
0.2413
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ..tensor.factories import default_generator
from ..tensor.ops import elementwise as E, linalg as L, softmax as S

_REDUCTIONS = ("mean", "sum", "none")


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias`` as one op."""
    return L.Linear.apply(x, weight) if bias is None else L.Linear.apply(x, weight, bias)


def relu(x): return x.relu()
def tanh(x): return x.tanh()
def sigmoid(x): return x.sigmoid()
def leaky_relu(x, negative_slope=0.01): return x.leaky_relu(negative_slope)
def softmax(x, axis=-1): return x.softmax(axis)
def log_softmax(x, axis=-1): return x.log_softmax(axis)


def dropout(x: Tensor, p: float = 0.5, training: bool = True, generator=None) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p); identity
    when not training (so expected values match between train and eval)."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout: p must be in [0, 1), got {p}")
    if not training or p == 0.0:
        return x
    rng = generator or default_generator()
    keep = rng.random(x.shape) >= p
    return E.Dropout.apply(x, mask=keep / (1.0 - p))


def _targets(targets, op: str, batch: int, classes: int | None = None) -> np.ndarray:
    t = targets._data if isinstance(targets, Tensor) else np.asarray(targets)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{op}: targets must be integer class indices, got dtype {t.dtype}")
    if t.shape != (batch,):
        raise ValueError(f"{op}: targets have shape {t.shape}; expected ({batch},), one class "
                         "index per row of the input")
    if classes is not None and t.size and (t.min() < 0 or t.max() >= classes):
        raise ValueError(f"{op}: target {int(t.max() if t.max() >= classes else t.min())} is out "
                         f"of range; expected class indices in [0, {classes - 1}]")
    return t


def _check_reduction(op, reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def cross_entropy(logits: Tensor, targets, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy from raw scores ``logits`` (B, C) and integer targets (B,)."""
    _check_reduction("cross_entropy", reduction)
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits have shape {logits.shape}; expected (batch, "
                         "classes)")
    t = _targets(targets, "cross_entropy", logits.shape[0], logits.shape[1])
    return S.CrossEntropy.apply(logits, targets=t, reduction=reduction)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    return loss.mean() if reduction == "mean" else (loss.sum() if reduction == "sum" else loss)


def nll_loss(log_probs: Tensor, targets, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of ``targets`` under ``log_probs`` (B, C), e.g. log_softmax."""
    _check_reduction("nll_loss", reduction)
    if log_probs.ndim != 2:
        raise ValueError(f"nll_loss: input has shape {log_probs.shape}; expected (batch, classes)")
    t = _targets(targets, "nll_loss", log_probs.shape[0], log_probs.shape[1])
    return _reduce(-log_probs[np.arange(len(t)), t], reduction)


def _same_shape(op, a, b):
    if a.shape != b.shape:
        raise ValueError(f"{op}: input has shape {a.shape} but target has {b.shape}; expected "
                         "equal shapes")


def _as_target(target, like: Tensor) -> Tensor:
    return target if isinstance(target, Tensor) else like._lift(np.asarray(target))


def mse_loss(pred: Tensor, target, reduction: str = "mean") -> Tensor:
    """Mean squared error."""
    _check_reduction("mse_loss", reduction)
    target = _as_target(target, pred)
    _same_shape("mse_loss", pred, target)
    diff = pred - target
    return _reduce(diff * diff, reduction)


def binary_cross_entropy(probs: Tensor, target, reduction: str = "mean",
                         eps: float = 1e-12) -> Tensor:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p (clipped to [eps, 1 - eps])."""
    _check_reduction("binary_cross_entropy", reduction)
    target = _as_target(target, probs)
    _same_shape("binary_cross_entropy", probs, target)
    p = probs.clip(eps, 1.0 - eps)
    return _reduce(-(target * p.log() + (1.0 - target) * (1.0 - p).log()), reduction)


def binary_cross_entropy_with_logits(logits: Tensor, target, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy from raw scores, stable for large |logits|:
    max(x, 0) - x t + log(1 + exp(-|x|))."""
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    target = _as_target(target, logits)
    _same_shape("binary_cross_entropy_with_logits", logits, target)
    loss = logits.relu() - logits * target + (1.0 + (-logits.abs()).exp()).log()
    return _reduce(loss, reduction)
