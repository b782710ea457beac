"""The shape and indexing methods of ``Tensor``, with PyTorch's names and semantics:
reshape, permute, transpose, expand, squeeze/unsqueeze(dim), flatten, flip, repeat,
chunk, split, gather and indexing.

Indexing follows PyTorch where numpy differs: an integer mixed with an index array and
a slice selects first, so ``x[1, :, [0, 1]]`` of a (2, 3, 4) tensor has shape (3, 2)
(numpy gives (2, 3)).

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> x = Tensor(np.arange(24.0).reshape(2, 3, 4))
>>> x[1, :, [0, 1]].shape, x.unsqueeze(dim=0).shape, x.flip(-1)[0, 0].tolist()
((3, 2), (1, 2, 3, 4), [3.0, 2.0, 1.0, 0.0])
>>> [part.shape for part in x.chunk(2, dim=2)], x.repeat(1, 2, 1).shape
([(2, 3, 2), (2, 3, 2)], (2, 6, 4))
"""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

from .ops import movement as M
from .ops.reduce import DimError, normalize_axes
from .reductions import aliases, one_dim


def _sizes(args) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` alike."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


def _is_array_index(part) -> bool:
    return isinstance(part, (list, np.ndarray)) and np.asarray(part).ndim > 0


def _pytorch_order(index: tuple):
    """Split an index that mixes integers with index arrays into two steps, integers
    first, as PyTorch applies them; None when numpy's one step already agrees."""
    ints = [isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in index]
    if not any(ints) or not any(_is_array_index(p) for p in index):
        return None
    first = []
    for p, is_int in zip(index, ints):
        if is_int or p is Ellipsis:
            first.append(p)
        elif p is not None:  # None inserts an axis: left for the second step
            dims = np.asarray(p).ndim if _is_array_index(p) and np.asarray(p).dtype == bool else 1
            first.extend([slice(None)] * dims)
    rest = tuple(p for p, is_int in zip(index, ints) if not is_int)
    return tuple(first), rest


class ShapeMethods:
    """Mixed into ``Tensor`` (through ``TensorMethods``)."""

    __slots__ = ()
    if TYPE_CHECKING:  # what Tensor provides
        @property
        def shape(self) -> tuple[int, ...]: ...
        @property
        def ndim(self) -> int: ...

    def dim(self) -> int:
        """The number of dimensions (PyTorch's name for ``ndim``)."""
        return self.ndim

    def reshape(self, *shape):
        """The same elements in a new shape (-1: inferred)."""
        return M.Reshape.apply(self, shape=_sizes(shape))

    view = reshape

    def permute(self, *dims):
        """The dimensions in the order given."""
        return M.Permute.apply(self, axes=_sizes(dims))

    def transpose(self, dim0: int = -2, dim1: int = -1):
        """Dimensions ``dim0`` and ``dim1`` swapped."""
        if self.ndim < 2:
            return self
        for dim in (dim0, dim1):
            if not -self.ndim <= dim < self.ndim:
                raise DimError(f"transpose: dim {dim} is out of range for a tensor of shape "
                                 f"{self.shape}; expected -{self.ndim} to {self.ndim - 1}")
        axes = list(range(self.ndim))
        axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
        return self.permute(axes)

    def swapaxes(self, axis1: int, axis2: int):
        """numpy's name for ``transpose(dim0, dim1)``."""
        return self.transpose(axis1, axis2)

    @property
    def T(self):
        return self.permute(tuple(range(self.ndim))[::-1])

    def expand(self, *shape):
        """Broadcast to a larger shape (-1 keeps a size), without copying."""
        shape = _sizes(shape)
        offset = len(shape) - self.ndim  # -1 keeps that dimension, as in PyTorch
        shape = tuple(self.shape[i - offset] if n == -1 else n for i, n in enumerate(shape))
        return M.Expand.apply(self, shape=shape)

    broadcast_to = expand

    def squeeze(self, dim=None, *, axis=None):
        """Drop dimensions of size 1: all of them, or those among ``dim`` (an int or a
        tuple); a named dimension of another size stays, as in PyTorch."""
        dim, _ = aliases("squeeze", dim, axis)
        axes = normalize_axes(dim, self.ndim, "squeeze")
        return self.reshape(tuple(n for i, n in enumerate(self.shape) if i not in axes or n != 1))

    def unsqueeze(self, dim=None, *, axis=None):
        """A new dimension of size 1 at ``dim``."""
        dim, _ = aliases("unsqueeze", dim, axis)
        if not isinstance(dim, (int, np.integer)) or not -self.ndim - 1 <= dim <= self.ndim:
            raise DimError(f"unsqueeze: dim {dim!r} is out of range for shape {self.shape}; "
                             f"expected an int from {-self.ndim - 1} to {self.ndim}")
        dim = dim % (self.ndim + 1)
        return self.reshape(self.shape[:dim] + (1,) + self.shape[dim:])

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        """Dimensions start_dim..end_dim as one."""
        if self.ndim == 0:
            return self.reshape(1)
        for dim in (start_dim, end_dim):
            if not -self.ndim <= dim < self.ndim:
                raise DimError(f"flatten: dim {dim} is out of range for a tensor of shape "
                                 f"{self.shape}; expected -{self.ndim} to {self.ndim - 1}")
        start, end = start_dim % self.ndim, end_dim % self.ndim
        middle = int(np.prod(self.shape[start:end + 1]))
        return self.reshape(self.shape[:start] + (middle,) + self.shape[end + 1:])

    def pad(self, pad_width, value: float = 0.0):
        """numpy's padding (one (before, after) pair per axis); ``F.pad`` takes PyTorch's."""
        return M.Pad.apply(self, pad_width=pad_width, value=value)

    def flip(self, *dims):
        """Reverse the order of elements along each of ``dims``."""
        axes = normalize_axes(_sizes(dims), self.ndim, "flip")
        return self[tuple(slice(None, None, -1) if i in axes else slice(None)
                          for i in range(self.ndim))]

    def repeat(self, *sizes):
        """Tile the tensor ``sizes[i]`` times along dim i (numpy's ``tile``)."""
        sizes = _sizes(sizes)
        if len(sizes) < self.ndim or any(not isinstance(n, numbers.Integral) or n < 0 for n in sizes):
            raise ValueError(f"repeat: sizes {sizes} do not fit shape {self.shape}; expected at "
                             f"least {self.ndim} whole numbers >= 0")
        shape = (1,) * (len(sizes) - self.ndim) + self.shape
        spread = tuple(n for s in shape for n in (1, s))
        tiled = tuple(n for r, s in zip(sizes, shape) for n in (r, s))
        return self.reshape(spread).expand(tiled).reshape(tuple(r * s for r, s in zip(sizes, shape)))

    def split(self, split_size_or_sections, dim: int = 0):
        """Pieces along ``dim``: of ``split_size`` each (the last may be smaller), or of
        the listed sizes, which must add up to the dim's size."""
        axis = one_dim("split", dim, self.ndim)
        n = self.shape[axis]
        if isinstance(split_size_or_sections, numbers.Integral):
            size = int(split_size_or_sections)
            if size <= 0:
                raise ValueError(f"split: split_size must be > 0, got {size}")
            sizes = [min(size, n - lo) for lo in range(0, n, size)] or [0]
        else:
            sizes = list(split_size_or_sections)
            if sum(sizes) != n or any(s < 0 for s in sizes):
                raise ValueError(f"split: sizes {sizes} must be >= 0 and add up to {n}, the "
                                 f"size of dim {dim} of shape {self.shape}")
        lead, starts = (slice(None),) * axis, np.cumsum([0] + sizes)
        return tuple(self[lead + (slice(lo, lo + s),)] for lo, s in zip(starts, sizes))

    def chunk(self, chunks: int, dim: int = 0):
        """At most ``chunks`` pieces of equal size along ``dim`` (the last may be smaller)."""
        if not isinstance(chunks, numbers.Integral) or chunks <= 0:
            raise ValueError(f"chunk: chunks must be a whole number > 0, got {chunks!r}")
        n = self.shape[one_dim("chunk", dim, self.ndim)]
        return self.split(max(-(-n // chunks), 1), dim)

    def gather(self, dim, index):
        """out[i][j] = self[index[i][j]][j] for dim 0 (and so on): picks along ``dim``."""
        idx = np.asarray(index._data if isinstance(index, ShapeMethods) else index)
        axis = one_dim("gather", dim, self.ndim)
        if idx.dtype.kind not in "iu" or idx.ndim != self.ndim or any(
                i != axis and m > n for i, (m, n) in enumerate(zip(idx.shape, self.shape))):
            raise ValueError(f"gather: index of shape {idx.shape} (dtype {idx.dtype}) does not "
                             f"fit input {self.shape} along dim {dim}; expected integers with "
                             f"{self.ndim} dims, no larger than the input except on dim {dim}")
        if idx.size and (idx.min() < 0 or idx.max() >= self.shape[axis]):
            bad = int(idx.min() if idx.min() < 0 else idx.max())
            raise IndexError(f"gather: index {bad} is out of range for dim {dim} of size "
                             f"{self.shape[axis]}; expected 0 to {self.shape[axis] - 1}")
        grid = np.ogrid[tuple(slice(n) for n in idx.shape)] if idx.ndim else []
        return self[tuple(idx if i == axis else g for i, g in enumerate(grid))] if idx.ndim \
            else self + 0

    def __getitem__(self, index):
        """Indexing: integers, slices, None, Ellipsis, index arrays and masks, in PyTorch's axis order."""
        if isinstance(index, ShapeMethods):
            index = index._data
        elif isinstance(index, tuple):
            index = tuple(i._data if isinstance(i, ShapeMethods) else i for i in index)
            steps = _pytorch_order(index)
            if steps is not None:
                return M.GetItem.apply(M.GetItem.apply(self, index=steps[0]), index=steps[1])
        elif isinstance(index, list):
            index = np.asarray(index)
        return M.GetItem.apply(self, index=index)
