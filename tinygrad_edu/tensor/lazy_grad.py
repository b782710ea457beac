"""Lazy gradients for slicing: the gradient of ``x[index]`` is ``g`` placed at ``index``
of zeros. Building that full array for every slice (an RNN reads x[:, t] for every t)
costs O(T) full arrays; instead backward keeps (index, g) and adds all slices of one
tensor into a single buffer it owns.
"""
from __future__ import annotations

import numpy as np

from ..core.graph import LAZY_GRADIENTS


class SliceGrad:
    """``values`` placed at basic ``index`` (ints and slices) of a zero array of ``shape``."""

    __slots__ = ("shape", "dtype", "index", "values")
    __array_ufunc__ = None  # so ndarray + SliceGrad comes to __radd__

    def __init__(self, shape, dtype, index, values):
        self.shape, self.dtype, self.index, self.values = shape, dtype, index, values

    def materialize(self) -> np.ndarray:
        out = np.zeros(self.shape, dtype=self.dtype)
        out[self.index] = self.values
        return out

    def __add__(self, other):
        return GradBuffer(self.materialize()).__add__(other)

    def __radd__(self, array):
        return GradBuffer(np.array(array, dtype=np.result_type(array, self.dtype))).__add__(self)


class GradBuffer:
    """A gradient buffer owned by this backward pass, so adding in place is safe."""

    __slots__ = ("array",)
    __array_ufunc__ = None

    def __init__(self, array):
        self.array = array

    def materialize(self) -> np.ndarray:
        return self.array

    def __add__(self, other):
        """Add in place (the buffer belongs to this backward pass) and return self."""
        if type(other) is SliceGrad:
            self.array[other.index] += other.values
        elif type(other) is GradBuffer:
            self.array += other.array
        else:
            self.array += other
        return self

    __radd__ = __add__


LAZY_GRADIENTS.update((SliceGrad, GradBuffer))
