"""Convolution on NCHW arrays, vectorised with a strided window view (pooling: pool.py).

Forward: pad, take a (N, C, OH, OW, kh, kw) window view (no copy), then one tensordot
with the kernel. Backward: one tensordot for the kernel's gradient; the input's
gradient is added back one kernel offset at a time (kh*kw slices, never per pixel).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import blas
from ..function import Function, call, ones_vector, register


def windows(x: np.ndarray, kh: int, kw: int, stride: tuple) -> np.ndarray:
    """(N, C, H, W) -> read-only view (N, C, OH, OW, kh, kw) of every kernel window."""
    n, c, h, w = x.shape
    sh, sw = stride
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    s0, s1, s2, s3 = x.strides
    return as_strided(x, (n, c, oh, ow, kh, kw), (s0, s1, s2 * sh, s3 * sw, s2, s3), writeable=False)


def output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - kernel) // stride + 1


def _pad(x, padding, value=0.0):
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def _scatter_windows(cols, x_shape, padding, stride, dtype):
    """The adjoint of ``windows``: add (N, C, OH, OW, kh, kw) back into (N, C, H, W)."""
    n, c, h, w = x_shape
    ph, pw = padding
    sh, sw = stride
    _, _, oh, ow, kh, kw = cols.shape
    grad = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dtype)
    for i in range(kh):
        for j in range(kw):
            grad[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] += cols[:, :, :, :, i, j]
    return grad[:, :, ph:ph + h, pw:pw + w]


def _scatter_channels_first(cols, x_shape, padding, stride):
    """col2im for conv's layout: add (C, kh, kw, N, OH, OW) back into (N, C, H, W),
    built as (C, N, H, W) in memory so every added slice is read in order."""
    n, c, h, w = x_shape
    (ph, pw), (sh, sw) = padding, stride
    _, kh, kw, _, oh, ow = cols.shape
    grad = np.zeros((c, n, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            grad[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] += cols[:, i, j]
    return grad[:, :, ph:ph + h, pw:pw + w].transpose(1, 0, 2, 3)


@register
class Unfold(Function):
    """Every kernel window of the padded input, (N, C, H, W) -> (N, C, OH, OW, kh, kw)
    (PyTorch's F.unfold before flattening). Convolution and pooling gradients that can
    be differentiated again are built from it and its adjoint ``fold``."""

    name, symbol, rules, saves = "unfold", "unfold", ("windows added back where they overlap",), ()

    def forward(self, x, kernel=(1, 1), stride=(1, 1), padding=(0, 0)):
        self.x_shape, self.stride, self.padding = x.shape, stride, padding
        return np.ascontiguousarray(windows(_pad(x, padding), *kernel, stride))

    def backward(self, node, g):
        return (call(Fold, g, x_shape=self.x_shape, stride=self.stride, padding=self.padding),)


@register
class Fold(Function):
    """Windows (N, C, OH, OW, kh, kw) added back into the (N, C, H, W) input they came
    from (padding dropped): unfold's adjoint, so each is the other's gradient."""

    name, symbol, rules, saves = "fold", "fold", ("the window at each position",), ()

    def forward(self, cols, x_shape=(), stride=(1, 1), padding=(0, 0)):
        self.kernel, self.stride, self.padding = cols.shape[-2:], stride, padding
        return _scatter_windows(cols, x_shape, padding, stride, cols.dtype)

    def backward(self, node, g):
        return (call(Unfold, g, kernel=self.kernel, stride=self.stride, padding=self.padding),)


@register
class Conv2d(Function):
    """Cross-correlation, as in PyTorch: out[n, o] = sum_c x[n, c] * w[o, c] + b[o]."""

    name, symbol, rules = "conv2d", "conv2d", ("upstream ⋆ W (full)", "upstream ⋆ x", "sum of upstream")
    saves = (0, 1)

    def forward(self, x, weight, bias=None, stride=(1, 1), padding=(0, 0)):
        self.x_shape, self.stride, self.padding = x.shape, stride, padding
        o, c, kh, kw = weight.shape
        cols = windows(_pad(x, padding), kh, kw, stride)
        n, _, oh, ow = cols.shape[:4]
        # im2col once, channels first: (C*kh*kw, N*OH*OW), kept for the kernel's gradient.
        # The output is then (O, N*OH*OW): viewed as NCHW without a copy, and elementwise
        # ops keep that layout, so backward's (O, N*OH*OW) view of g is free as well.
        # (CNN benchmark step: conv forward+backward 5.7 ms -> 2.8 ms against rows-first.)
        self.cols = cols.transpose(1, 4, 5, 0, 2, 3).reshape(c * kh * kw, n * oh * ow)
        self.weight = weight
        with blas.large(self.cols.size * o):
            out = weight.reshape(o, -1) @ self.cols               # (O, N*OH*OW)
        if bias is not None:
            out += bias[:, None]
        return out.reshape(o, n, oh, ow).transpose(1, 0, 2, 3)  # NCHW view, no copy

    def backward(self, node, g):
        n, o, oh, ow = g.shape
        g2 = g.transpose(1, 0, 2, 3).reshape(o, n * oh * ow)
        needs = self.needs
        gx = gw = gb = None
        with blas.large(self.cols.size * o):
            if needs[1]:
                gw = (g2 @ self.cols.T).reshape(self.weight.shape)
            if needs[0]:
                c, kh, kw = self.weight.shape[1:]
                cols = (self.weight.reshape(o, -1).T @ g2).reshape(c, kh, kw, n, oh, ow)
                gx = _scatter_channels_first(cols, self.x_shape, self.padding, self.stride)
        if len(needs) > 2 and needs[2]:
            gb = g2 @ ones_vector(g2.shape[1], g2.dtype)  # row sums, through BLAS
        return gx, gw, gb

    def graph_backward(self, node, g):
        # backward's rule on tensors: the windows come from unfold, go back through fold.
        # Kept apart from backward, whose channels-first im2col (see forward: 5.7 ms ->
        # 2.8 ms for the benchmark CNN's convs) has no tensor-op form here.
        x, weight = node._parents[:2]
        n, o, oh, ow = g.shape
        c, kh, kw = weight.shape[1:]
        g2 = g.permute(0, 2, 3, 1).reshape(n * oh * ow, o)
        where = dict(stride=self.stride, padding=self.padding)
        cols = Unfold.apply(x, kernel=(kh, kw), **where).permute(0, 2, 3, 1, 4, 5)
        gw = (g2.T @ cols.reshape(n * oh * ow, c * kh * kw)).reshape(weight.shape)
        back = (g2 @ weight.reshape(o, -1)).reshape(n, oh, ow, c, kh, kw).permute(0, 3, 1, 2, 4, 5)
        gx = Fold.apply(back, x_shape=self.x_shape, **where)
        grads = (gx, gw, g2.sum(axis=0))
        return tuple(gr if need else None for gr, need in zip(grads, self.needs))
