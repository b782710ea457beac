"""Convolution and pooling on NCHW arrays, vectorised with a strided window view.

Forward: pad, take a (N, C, OH, OW, kh, kw) window view (no copy), then one tensordot
with the kernel. Backward: one tensordot for the kernel's gradient; the input's
gradient is added back one kernel offset at a time (kh*kw slices, never per pixel).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import blas
from ..function import Function, call, on_graph, register


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
        # im2col once: rows are output positions, kept for the kernel's gradient.
        self.cols = cols.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
        self.weight = weight
        blas.ready()
        with blas.large(self.cols.size * o):
            out = self.cols @ weight.reshape(o, -1).T            # (N*OH*OW, O)
        if bias is not None:
            out += bias
        return out.reshape(n, oh, ow, o).transpose(0, 3, 1, 2)  # NCHW view, no copy

    def backward(self, node, g):
        n, o, oh, ow = g.shape
        g2 = g.transpose(0, 2, 3, 1).reshape(n * oh * ow, o)
        needs = self.needs
        gx = gw = gb = None
        if needs[1]:
            gw = (g2.T @ self.cols).reshape(self.weight.shape)
        if needs[0]:
            c, kh, kw = self.weight.shape[1:]
            cols = (g2 @ self.weight.reshape(o, -1)).reshape(n, oh, ow, c, kh, kw)
            gx = _scatter_windows(cols.transpose(0, 3, 1, 2, 4, 5), self.x_shape, self.padding,
                                  self.stride, g.dtype)
        if len(needs) > 2 and needs[2]:
            gb = g2.sum(axis=0)
        return gx, gw, gb

    def graph_backward(self, node, g):
        # backward's rule on tensors: the windows come from unfold, go back through fold.
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


@register
class MaxPool2d(Function):
    """Max over each window; ties share the gradient evenly."""

    name, symbol, rules, saves = "max_pool2d", "maxpool", ("1 at each window's max",), ()

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)):
        self.x_shape, self.stride, self.padding, self.kernel = x.shape, stride, padding, kernel
        n, c, h, w = x.shape
        (kh, kw), (oh, ow) = kernel, ((h - kernel[0]) // stride[0] + 1, (w - kernel[1]) // stride[1] + 1)
        self.tiled = stride == kernel and padding == (0, 0)
        if self.tiled:  # windows tile the image: a reshape, no strided view
            self.cols = x[:, :, :oh * kh, :ow * kw].reshape(n, c, oh, kh, ow, kw)
            self.out = self.cols.max(axis=(3, 5))
        else:
            self.cols = windows(_pad(x, padding, -np.inf), kh, kw, stride)
            self.out = self.cols.max(axis=(4, 5))
        return self.out

    def backward(self, node, g):
        if self.tiled:
            n, c, h, w = self.x_shape
            oh, kh, ow, kw = self.cols.shape[2:]
            hit = self.cols == self.out[:, :, :, None, :, None]
            share = hit * (g / hit.sum(axis=(3, 5)))[:, :, :, None, :, None]
            grad = np.zeros(self.x_shape, dtype=g.dtype)
            grad[:, :, :oh * kh, :ow * kw] = share.reshape(n, c, oh * kh, ow * kw)
            return (grad,)
        hit = self.cols == self.out[..., None, None]
        share = hit * (g / hit.sum(axis=(4, 5)))[..., None, None]
        return (_scatter_windows(share, self.x_shape, self.padding, self.stride, g.dtype),)

    def graph_backward(self, node, g):
        # The share of each window's max is constant between ties: only g is a node.
        cols = windows(_pad(node._parents[0]._data, self.padding, -np.inf), *self.kernel, self.stride)
        hit = cols == node._data[..., None, None]
        share = hit / hit.sum(axis=(4, 5), keepdims=True)
        return (Fold.apply(g[..., None, None] * share, x_shape=self.x_shape, stride=self.stride,
                           padding=self.padding),)


@register
class AvgPool2d(Function):
    """Mean over each window (padding counts as zeros, as PyTorch's default)."""

    name, symbol, rules, saves = "avg_pool2d", "avgpool", ("1/(kh·kw) in each window",), ()

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)):
        self.x_shape, self.stride, self.padding, self.kernel = x.shape, stride, padding, kernel
        return windows(_pad(x, padding), *kernel, stride).mean(axis=(4, 5))

    def backward(self, node, g):
        kh, kw = self.kernel
        n, c, oh, ow = g.shape
        cols = (g / (kh * kw))[..., None, None]
        cols = cols.expand(n, c, oh, ow, kh, kw) if on_graph(g) else \
            np.broadcast_to(cols, (n, c, oh, ow, kh, kw))
        return (call(Fold, cols, x_shape=self.x_shape, stride=self.stride, padding=self.padding),)
