"""Softmax, log-softmax and cross-entropy, computed stably (max subtracted first), and
binary cross-entropy with PyTorch's clamped logs."""
from __future__ import annotations

import functools

import numpy as np

from .. import blas
from ..function import Function, on_graph, ones_vector, register
from .reduce import normalize_axes


def _log_softmax(a, axis):
    shifted = a - a.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@register
class Softmax(Function):
    name, symbol, rules, saves = "softmax", "softmax", ("s·(δ - s)",), ()

    def forward(self, a, axis=-1):
        self.axis, = normalize_axes(axis, a.ndim, "softmax")
        e = np.exp(a - a.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    def backward(self, node, g):
        s = node if on_graph(g) else node._data
        return (s * (g - (g * s).sum(axis=self.axis, keepdims=True)),)


@register
class LogSoftmax(Function):
    name, symbol, rules, saves = "log_softmax", "log_softmax", ("δ - softmax",), ()

    def forward(self, a, axis=-1):
        self.axis, = normalize_axes(axis, a.ndim, "log_softmax")
        return _log_softmax(a, axis)

    def backward(self, node, g):
        softmax = node.exp() if on_graph(g) else np.exp(node._data)
        return (g - softmax * g.sum(axis=self.axis, keepdims=True),)


@functools.lru_cache(maxsize=8)
def _row_starts(rows: int, columns: int) -> np.ndarray:
    """Where each row of a C-ordered (rows, columns) array starts in its flat view. Kept:
    a training loop asks for the same batch shape every step."""
    starts = np.arange(0, rows * columns, columns)
    starts.flags.writeable = False
    return starts


# Logits up to 27 (e^27 < 2^40) whose rows each sum to at least 2^-40 under exp need no
# shift: nothing overflows or underflows to zero, and log(sum) stays near 0, so the
# loss keeps float32's absolute precision (1e-6).
_SAFE_LOGIT, _SAFE_LOW = 27.0, 2.0 ** -40


def _exp_rows(logits):
    """``(e, total, shifted)``: e = exp(shifted), total its row sums, and shifted the
    logits minus a per-row constant that keeps exp in range. The constant is 0 whenever
    the values allow it; otherwise each row's max, as the textbook says. Skipping the
    row max, a slow reduction over short rows, saves a fifth of the op."""
    ones = ones_vector(logits.shape[1], logits.dtype)
    # np.maximum.reduce is .max() without its Python wrapper: this runs every step.
    if logits.size and np.maximum.reduce(logits, axis=None) <= _SAFE_LOGIT:
        e = np.exp(logits)
        total = blas.product(e, ones)  # row sums, through BLAS
        if np.minimum.reduce(total) >= _SAFE_LOW:
            return e, total, logits
    shifted = logits - np.maximum.reduce(logits, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e, blas.product(e, ones), shifted


@register
class CrossEntropy(Function):
    """Mean (or sum) over the batch of -log softmax(logits)[target], from logits (B, C)."""

    name, symbol, rules, saves = "cross_entropy", "cross_entropy", ("(softmax - onehot)/B",), ()

    def forward(self, logits, targets=None, reduction="mean"):
        logits = np.ascontiguousarray(logits)  # C order all through, for the flat views below
        e, total, shifted = _exp_rows(logits)
        # Each row's target entry, by flat index: cheaper than [rows, targets].
        self.picked = _row_starts(*logits.shape) + targets
        losses = np.log(total) - shifted.take(self.picked)
        self.e, self.total = e, total  # softmax = e / total, formed in backward
        if reduction == "none":
            self.scale = None
            return losses
        batch = logits.shape[0]
        # The mean over an empty batch is nan, as in PyTorch.
        self.scale = (1.0 / batch if batch else float("nan")) if reduction == "mean" else 1.0
        return np.asarray(np.add.reduce(losses) * self.scale)  # sum * scale: cheaper than mean

    def backward(self, node, g):
        """(softmax - onehot) * upstream, / B for the mean. softmax is e / total from
        forward, or on a gradient graph (second derivatives) a node over the logits."""
        softmax = node._parents[0].softmax(axis=1) if on_graph(g) else self.e / self.total[:, None]
        step = g[:, None] if self.scale is None else g * self.scale  # per row, or one number
        return (_minus_onehot(softmax, self.picked) * step,)


def _minus_onehot(softmax, picked):
    """softmax - onehot(targets): in place by flat index for a new C-ordered array (ravel
    is a view), through a constant for a node."""
    if isinstance(softmax, np.ndarray):
        softmax.ravel()[picked] -= 1
        return softmax
    onehot = np.zeros(softmax.shape, dtype=softmax.dtype)
    onehot.ravel()[picked] = 1
    return softmax - onehot


_LOG_FLOOR = -100.0  # PyTorch's clamp on BCE's logs: log 0 counts as -100, not -inf


@register
class BinaryCrossEntropy(Function):
    """-(t log p + (1 - t) log(1 - p)) per element, each log clamped at -100 as
    PyTorch's: a saturated sigmoid (p exactly 0 or 1 in float32) gives a finite loss
    and gradient, not 0·log 0 = nan."""

    name, symbol = "binary_cross_entropy", "bce"
    rules = ("(p - t) / max(p (1 - p), 1e-12)", "log(1 - p) - log p")

    def forward(self, p, t):
        if p.size and not (np.minimum.reduce(p, axis=None) >= 0
                           and np.maximum.reduce(p, axis=None) <= 1):   # nan fails both
            bad = p[~((p >= 0) & (p <= 1))].flat[0]
            raise ValueError(f"binary_cross_entropy: expected probabilities in [0, 1], got {bad} "
                             "(apply sigmoid first, or use binary_cross_entropy_with_logits)")
        t = t.astype(p.dtype, copy=False)
        with np.errstate(divide="ignore"):
            self.log_p = np.maximum(np.log(p), _LOG_FLOOR)
            self.log_q = np.maximum(np.log1p(-p), _LOG_FLOOR)
        return -(t * self.log_p + (1 - t) * self.log_q)

    def backward(self, node, g):
        if on_graph(g):
            p, t = node._parents
        else:
            p = node._parents[0]._data
            t = node._parents[1]._data.astype(p.dtype, copy=False)
        gp = gt = None
        if self.needs[0]:   # PyTorch's formula, finite at p = 0 and 1
            gp = g * (p - t) / (p * (1 - p)).clip(1e-12, None)
        if self.needs[1]:
            log_p, log_q = (p.log().clip(_LOG_FLOOR, None), (1 - p).log().clip(_LOG_FLOOR, None)) \
                if on_graph(g) else (self.log_p, self.log_q)
            gt = g * (log_q - log_p)
        return gp, gt
