"""Max and average pooling on NCHW arrays, one kernel offset at a time.

A window of kh x kw is kh*kw strided slices of the (padded) input, one per offset in
the window; each slice is already shaped like the output. Forward takes the max (or
the sum) across those slices, backward sends the gradient back through each. numpy's
reductions over the two small window axes of a 6-D view are 10-30x slower than these
kh*kw elementwise passes (a 2x2 max over a (64, 8, 26, 26) batch: 6.6 ms -> 0.2 ms).
"""
from __future__ import annotations

import numpy as np

from ..function import Function, call, on_graph, register
from .conv import Fold, _pad, windows


def window_slices(kernel, stride, out_hw):
    """(i, j, index): the input elements at offset (i, j) of every window, as a slice of
    the padded input shaped like the output."""
    (kh, kw), (sh, sw), (oh, ow) = kernel, stride, out_hw
    return [(i, j, (slice(None), slice(None), slice(i, i + sh * oh, sh), slice(j, j + sw * ow, sw)))
            for i in range(kh) for j in range(kw)]


class _Pool(Function):
    saves = ()

    def _setup(self, x, kernel, stride, padding):
        self.x_shape, self.stride, self.padding, self.kernel = x.shape, stride, padding, kernel
        n, c, h, w = x.shape
        (ph, pw), (kh, kw), (sh, sw) = padding, kernel, stride
        out_hw = ((h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1)
        self.slices = window_slices(kernel, stride, out_hw)

    def _unpad(self, padded):
        (ph, pw), (h, w) = self.padding, self.x_shape[2:]
        return padded[:, :, ph:ph + h, pw:pw + w] if ph or pw else padded


@register
class MaxPool2d(_Pool):
    """Max over each window; ties share the gradient evenly."""

    name, symbol, rules = "max_pool2d", "maxpool", ("1 at each window's max",)

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)):
        self._setup(x, kernel, stride, padding)
        self.padded = xp = _pad(x, padding, -np.inf)
        out = xp[self.slices[0][2]].copy()
        for _, _, index in self.slices[1:]:
            np.maximum(out, xp[index], out=out)
        return out

    def backward(self, node, g):
        xp, out = self.padded, node._data
        hits = [np.equal(xp[index], out) for _, _, index in self.slices]
        count = hits[0].astype(g.dtype)
        for hit in hits[1:]:
            count += hit
        share = g / count                      # ties split the gradient evenly
        grad = np.zeros_like(xp, dtype=g.dtype)   # in x's layout: conv's backward reads it as is
        for hit, (_, _, index) in zip(hits, self.slices):
            grad[index] += hit * share         # += : windows may overlap
        return (self._unpad(grad),)

    def graph_backward(self, node, g):
        # The same rule as a graph (only g is a node: the share of each window's max is
        # constant between ties), through unfold's windows and fold. Kept apart from
        # backward, which runs it as kh*kw slices: this form on arrays (a 6-D window
        # view, its sum over the window, fold) takes 12.3 ms against 1.3 ms for a 2x2
        # pool of a (64, 8, 26, 26) batch.
        cols = windows(self.padded, *self.kernel, self.stride)
        hit = cols == node._data[..., None, None]
        share = hit / hit.sum(axis=(4, 5), keepdims=True)
        return (Fold.apply(g[..., None, None] * share, x_shape=self.x_shape, stride=self.stride,
                           padding=self.padding),)


@register
class AvgPool2d(_Pool):
    """Mean over each window (padding counts as zeros, as PyTorch's default)."""

    name, symbol, rules = "avg_pool2d", "avgpool", ("1/(kh·kw) in each window",)

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)):
        self._setup(x, kernel, stride, padding)
        xp = _pad(x, padding)
        out = xp[self.slices[0][2]].copy()
        for _, _, index in self.slices[1:]:
            out += xp[index]
        out /= len(self.slices)
        return out

    def backward(self, node, g):
        kh, kw = self.kernel
        if on_graph(g):  # as a graph: the same rule through fold, so it differentiates again
            n, c, oh, ow = g.shape
            cols = (g / (kh * kw))[..., None, None].expand(n, c, oh, ow, kh, kw)
            return (call(Fold, cols, x_shape=self.x_shape, stride=self.stride, padding=self.padding),)
        (ph, pw), (h, w) = self.padding, self.x_shape[2:]
        grad = np.zeros(self.x_shape[:2] + (h + 2 * ph, w + 2 * pw), dtype=g.dtype)
        share = g / (kh * kw)
        for _, _, index in self.slices:
            grad[index] += share
        return (self._unpad(grad),)
