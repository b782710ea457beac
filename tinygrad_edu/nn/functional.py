"""Functional forms of layers, activations and losses (``import tinygrad_edu.nn.functional as F``).

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> logits = Tensor([[2.0, 0.5, -1.0]], requires_grad=True)
>>> loss = cross_entropy(logits, np.array([0]))
>>> round(loss.item(), 4)
0.2413
"""
from __future__ import annotations

import numbers

import numpy as np

from ..tensor import Tensor
from ..tensor.factories import default_generator, where
from ..tensor.ops import linalg as L, softmax as S, special as P, unary as U
from .functional_extras import l1_loss as l1_loss, one_hot as one_hot  # re-exported
from .functional_sequence import (embedding as embedding, layer_norm as layer_norm,  # re-exported
                                  scaled_dot_product_attention as scaled_dot_product_attention)

_REDUCTIONS = ("mean", "sum", "none")


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias`` as one op."""
    return L.Linear.apply(x, weight) if bias is None else L.Linear.apply(x, weight, bias)


def relu(x): return x.relu()
def tanh(x): return x.tanh()
def sigmoid(x): return x.sigmoid()
def leaky_relu(x, negative_slope=0.01): return x.leaky_relu(negative_slope)
def softmax(x, dim=None, *, axis=None): return x.softmax(_given_dim("softmax", dim, axis))
def log_softmax(x, dim=None, *, axis=None): return x.log_softmax(_given_dim("log_softmax", dim, axis))


def _given_dim(op, dim, axis):
    """The dim, refused when missing: PyTorch's implicit one depends on the rank."""
    if (dim is None) == (axis is None):
        raise TypeError(f"{op}: give dim= (PyTorch's guess from the input's rank is deprecated "
                        f"there); got dim={dim!r}, axis={axis!r}")
    return dim if axis is None else axis
def silu(x): return x * x.sigmoid()


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """x·Φ(x), Φ the standard normal's CDF (through erf); ``approximate='tanh'`` uses
    0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))), as PyTorch."""
    if approximate == "none":
        return x * (0.5 + 0.5 * (x * (1 / np.sqrt(2.0))).erf())
    if approximate == "tanh":
        return 0.5 * x * (1 + (np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)).tanh())
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta·x)) / beta, linear where beta·x > threshold."""
    return P.Softplus.apply(x, beta=beta, threshold=threshold)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """x where x > 0, else alpha·(exp(x) - 1)."""
    return where(x > 0, x, alpha * (x.clip(max=0).exp() - 1))


def pad(x: Tensor, pad, mode: str = "constant", value: float = 0.0) -> Tensor:
    """PyTorch's padding: ``pad`` lists (before, after) pairs from the LAST dim backwards,
    so ``(1, 2)`` pads the last dim with 1 before and 2 after."""
    if mode != "constant":
        raise NotImplementedError(f"pad: mode {mode!r} is not supported; only 'constant'")
    pad = tuple(pad)
    if len(pad) % 2 or len(pad) > 2 * x.ndim or any(
            not isinstance(n, numbers.Integral) or n < 0 for n in pad):
        raise ValueError(f"pad: {pad} does not fit a tensor of shape {x.shape}; expected up "
                         f"to {x.ndim} (before, after) pairs of whole numbers >= 0 (negative "
                         "padding, which crops in PyTorch, is not supported)")
    pairs = [(0, 0)] * (x.ndim - len(pad) // 2) + [tuple(pad[i:i + 2]) for i in
                                                  range(len(pad) - 2, -1, -2)]
    return x.pad(pairs, value=value)


def dropout(x: Tensor, p: float = 0.5, training: bool = True, generator=None) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p); identity
    when not training (so expected values match between train and eval)."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout: p must be in [0, 1), got {p}")
    if not training or p == 0.0:
        return x
    rng = generator or default_generator()
    keep = rng.random(x.shape) >= p
    return U.Dropout.apply(x, mask=keep / (1.0 - p))


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}  # by itemsize


def _targets(targets, op: str, batch: int, classes: int | None = None) -> np.ndarray:
    t = targets._data if isinstance(targets, Tensor) else np.asarray(targets)
    kind = t.dtype.kind
    if kind not in "iu":
        raise TypeError(f"{op}: targets must be integer class indices, got dtype {t.dtype}")
    if t.shape != (batch,):
        raise ValueError(f"{op}: targets have shape {t.shape}; expected ({batch},), one class "
                         "index per row of the input")
    if classes is not None and batch:
        # One pass finds both kinds of bad index: seen as unsigned, a negative one is huge.
        unsigned = t if kind == "u" else t.view(_UNSIGNED[t.dtype.itemsize])
        if np.maximum.reduce(unsigned) >= classes:
            bad = t[(t < 0) | (t >= classes)][0]
            raise ValueError(f"{op}: target {int(bad)} is out of range; expected class indices "
                             f"in [0, {classes - 1}]")
    return t


def _check_reduction(op, reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def cross_entropy(logits: Tensor, targets, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy from raw scores ``logits`` (B, C) and integer targets (B,)."""
    _check_reduction("cross_entropy", reduction)
    shape = logits.shape
    if len(shape) != 2:
        raise ValueError(f"cross_entropy: logits have shape {shape}; expected (batch, classes)")
    t = _targets(targets, "cross_entropy", *shape)
    return S.CrossEntropy.apply(logits, targets=t, reduction=reduction)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean" and loss.numel() == 0:
        return loss.sum() * float("nan")  # the mean of no values, as PyTorch (and cross_entropy)
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


def binary_cross_entropy(probs: Tensor, target, reduction: str = "mean") -> Tensor:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p in [0, 1], each log clamped at
    -100 as PyTorch's (a saturated sigmoid gives a finite loss, not nan)."""
    _check_reduction("binary_cross_entropy", reduction)
    target = _as_target(target, probs)
    _same_shape("binary_cross_entropy", probs, target)
    return _reduce(S.BinaryCrossEntropy.apply(probs, target), reduction)


def binary_cross_entropy_with_logits(logits: Tensor, target, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy from raw scores, stable for large |logits|:
    max(x, 0) - x t + log(1 + exp(-|x|))."""
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    target = _as_target(target, logits)
    _same_shape("binary_cross_entropy_with_logits", logits, target)
    loss = logits.relu() - logits * target + (1.0 + (-logits.abs()).exp()).log()
    return _reduce(loss, reduction)


# -- convolution and pooling (NCHW) ---------------------------------------------------

def _pair(value, what: str, op: str) -> tuple:
    pair = (value, value) if np.ndim(value) == 0 else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) and
                                 float(v).is_integer() for v in pair):
        raise ValueError(f"{op}: {what} must be an int or a pair of ints, got {value!r}")
    return int(pair[0]), int(pair[1])


def _single(value, what: str, op: str) -> int:
    """A 1-D layer's size: one int (a pair would silently lose its second half)."""
    if np.ndim(value) != 0:
        raise ValueError(f"{op}: {what} must be an int, got {value!r}")
    return _pair(value, what, op)[0]


def _check_nchw(x, op: str, channels: int | None = None):
    if x.ndim != 4:
        raise ValueError(f"{op}: expected input of shape (N, C, H, W), got {x.shape}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{op}: expected {channels} input channels, got input of shape {x.shape} "
                         f"with {x.shape[1]}")


def _check_window(op, x_shape, kernel, stride, padding):
    from ..tensor.ops.conv import output_size
    for size, k, s, p in zip(x_shape[2:], kernel, stride, padding):
        if s < 1 or p < 0:
            raise ValueError(f"{op}: stride must be >= 1 and padding >= 0, got {stride}, {padding}")
        if k > size + 2 * p:
            raise ValueError(f"{op}: kernel {kernel} is larger than the padded input "
                             f"{tuple(n + 2 * q for n, q in zip(x_shape[2:], padding))} (input "
                             f"{x_shape}); expected kernel <= input + 2*padding")
        if output_size(size, k, s, p) < 1:
            raise ValueError(f"{op}: no output positions for input {x_shape}")


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0) -> Tensor:
    """2-D cross-correlation of NCHW ``x`` with ``weight`` (O, C, kh, kw)."""
    from ..tensor.ops.conv import Conv2d
    stride, padding = _pair(stride, "stride", "conv2d"), _pair(padding, "padding", "conv2d")
    _check_nchw(x, "conv2d", weight.shape[1])
    _check_window("conv2d", x.shape, weight.shape[2:], stride, padding)
    inputs = (x, weight) if bias is None else (x, weight, bias)
    return Conv2d.apply(*inputs, stride=stride, padding=padding)


def _pool(op, name, x, kernel_size, stride, padding):
    kernel = _pair(kernel_size, "kernel_size", name)
    stride = kernel if stride is None else _pair(stride, "stride", name)
    padding = _pair(padding, "padding", name)
    _check_nchw(x, name)
    _check_window(name, x.shape, kernel, stride, padding)
    return op.apply(x, kernel=kernel, stride=stride, padding=padding)


def max_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """The largest value of each window (stride defaults to the kernel size)."""
    from ..tensor.ops.pool import MaxPool2d
    return _pool(MaxPool2d, "max_pool2d", x, kernel_size, stride, padding)


def avg_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """The mean of each window (padding counts as zeros)."""
    from ..tensor.ops.pool import AvgPool2d
    return _pool(AvgPool2d, "avg_pool2d", x, kernel_size, stride, padding)
