"""Matrix products: ``matmul`` (vector, matrix and batched, as numpy) and fused ``linear``."""
from __future__ import annotations

import numpy as np

from .. import blas
from ..function import Function, on_graph, ones_vector, register, unbroadcast


def _matmul_error(a, b):
    return ValueError(f"matmul: shapes {a.shape} and {b.shape} do not fit; expected the last "
                      f"dimension of the first ({a.shape[-1] if a.ndim else '-'}) to equal the "
                      f"{'only' if b.ndim == 1 else 'second-to-last'} dimension of the second "
                      f"({b.shape[0] if b.ndim == 1 else (b.shape[-2] if b.ndim else '-')})")


@register
class MatMul(Function):
    name, symbol, rules = "matmul", "@", ("upstream @ {b}ᵀ", "{a}ᵀ @ upstream")

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(f"matmul: expected tensors with at least 1 dimension, got shapes "
                             f"{a.shape} and {b.shape} (use * for scalars)")
        if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise _matmul_error(a, b)
        self.a, self.b = a, b
        self.work = a.size * (b.shape[-1] if b.ndim > 1 else 1)  # multiply-adds
        return blas.product(a, b, self.work)

    def backward(self, node, g):
        a, b = node._parents if on_graph(g) else (self.a, self.b)
        # Treat vectors as matrices, then drop the added axes again.
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = g
        if a.ndim == 1 or b.ndim == 1:
            g2 = g.reshape(np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
                           + (a2.shape[-2], b2.shape[-1]))
        ga = gb = None
        if self.needs[0]:
            ga = blas.product(g2, b2.swapaxes(-1, -2), self.work)
            ga = unbroadcast(ga, a2.shape).reshape(a.shape)
        if self.needs[1]:
            gb = blas.product(a2.swapaxes(-1, -2), g2, self.work)
            gb = unbroadcast(gb, b2.shape).reshape(b.shape)
        return ga, gb


@register
class Linear(Function):
    """``x @ weight.T + bias`` in one op (weight has PyTorch's (out, in) layout)."""

    name, symbol, rules = "linear", "linear", ("upstream @ W", "upstreamᵀ @ x", "sum of upstream")
    saves = (0, 1)  # backward reads x and the weight, never the bias

    def forward(self, x, weight, bias=None):
        if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
            raise ValueError(f"linear: input of shape {x.shape} does not fit weight {weight.shape}; "
                             f"expected the last input dimension to be {weight.shape[1]}")
        self.x, self.weight = x, weight
        self.work = work = x.size * weight.shape[0]  # multiply-adds
        out = blas.product(x, weight.T, work)
        if bias is not None:
            out += bias
        return out

    def backward(self, node, g):
        x, w = node._parents[:2] if on_graph(g) else (self.x, self.weight)
        needs, work, product = self.needs, self.work, blas.product
        gx = product(g, w, work) if needs[0] else None
        if g.ndim != 2:  # fold leading batch axes into one (one sample: a batch of one)
            g, x = g.reshape(-1, g.shape[-1]), x.reshape(-1, x.shape[-1])
        gw = product(g.T, x, work) if needs[1] else None
        # g.sum(0), through BLAS
        gb = product(ones_vector(len(g), g.dtype), g) if len(needs) > 2 and needs[2] else None
        return gx, gw, gb
