"""Lazy gradients for slicing: the gradient of ``x[index]`` is ``g`` placed at ``index``
of zeros. Building that full array for every slice (an RNN reads x[:, t] for every t)
costs O(T) full arrays; instead backward keeps (index, g) and adds all slices of one
tensor into a single buffer it owns.
"""
from __future__ import annotations

import numpy as np

from ..core.backward import LAZY_GRADIENTS


class SliceGrad:
    """``values`` placed at basic ``index`` (ints and slices) of a zero array of ``shape``."""

    __slots__ = ("shape", "dtype", "index", "values")

    def __init__(self, shape, dtype, index, values):
        self.shape, self.dtype, self.index, self.values = shape, dtype, index, values

    def materialize(self) -> np.ndarray:
        out = np.zeros(self.shape, dtype=self.dtype)
        out[self.index] = self.values
        return out

    def accumulate(self, other):
        return GradBuffer(self.materialize()).accumulate(other)

    def accumulate_onto(self, array):
        return GradBuffer(np.array(array, dtype=np.result_type(array, self.dtype))).accumulate(self)


class GradBuffer:
    """A gradient buffer owned by this backward pass, so adding in place is safe."""

    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def materialize(self) -> np.ndarray:
        return self.array

    def accumulate(self, other):
        if type(other) is SliceGrad:
            self.array[other.index] += other.values
        elif type(other) is GradBuffer:
            self.array += other.array
        else:
            self.array += other
        return self

    def accumulate_onto(self, array):
        self.array += array
        return self


LAZY_GRADIENTS.update((SliceGrad, GradBuffer))
