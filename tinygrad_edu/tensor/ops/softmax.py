"""Softmax, log-softmax and cross-entropy, computed stably (max subtracted first)."""
from __future__ import annotations

import numpy as np

from ..function import Function, register


def _log_softmax(a, axis):
    shifted = a - a.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@register
class Softmax(Function):
    name, symbol, rules, saves = "softmax", "softmax", ("s·(δ - s)",), ()

    def forward(self, a, axis=-1):
        self.axis = axis
        e = np.exp(a - a.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    def backward(self, node, g):
        s = node._data
        return (s * (g - (g * s).sum(axis=self.axis, keepdims=True)),)


@register
class LogSoftmax(Function):
    name, symbol, rules, saves = "log_softmax", "log_softmax", ("δ - softmax",), ()

    def forward(self, a, axis=-1):
        self.axis = axis
        return _log_softmax(a, axis)

    def backward(self, node, g):
        softmax = np.exp(node._data)
        return (g - softmax * g.sum(axis=self.axis, keepdims=True),)


@register
class CrossEntropy(Function):
    """Mean (or sum) over the batch of -log softmax(logits)[target], from logits (B, C)."""

    name, symbol, rules, saves = "cross_entropy", "cross_entropy", ("(softmax - onehot)/B",), ()

    def forward(self, logits, targets=None, reduction="mean"):
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        rows = np.arange(logits.shape[0])
        losses = np.log(total[:, 0]) - shifted[rows, targets]
        self.probs, self.rows, self.targets = e / total, rows, targets  # softmax, for backward
        if reduction == "none":
            self.scale = None
            return losses
        self.scale = 1.0 / logits.shape[0] if reduction == "mean" else 1.0
        return np.asarray(losses.sum() * self.scale)  # sum * scale: cheaper than mean

    def backward(self, node, g):
        if self.scale is None:
            grad = self.probs * g[:, None]
            grad[self.rows, self.targets] -= g
            return (grad,)
        step = g * self.scale              # (softmax - onehot) * upstream / B
        grad = self.probs * step
        grad[self.rows, self.targets] -= step
        return (grad,)
