"""Tensor methods that PyTorch tutorials use and that are built from the engine's own
ops (no derivative is stated here): Python number conversions, ``clone``, ``type``,
``all``/``any``, ``sort``/``topk``, ``unbind``, ``repeat_interleave`` and the
integer/boolean operators ``~ & | // %``. Item assignment lives in ``tensor.setitem``.

>>> from tinygrad_edu import Tensor
>>> t = Tensor([3.0, 1.0, 2.0])
>>> float(t.sum()), f"{t.max():.2f}", t.sort().indices.tolist()
(6.0, '3.00', [1, 2, 0])
>>> (~(t > 1.5)).tolist(), (Tensor([7, -7]) // 2).tolist(), (Tensor([7, -7]) % 3).tolist()
([False, True, False], [3, -4], [1, 2])
"""
from __future__ import annotations

from collections import namedtuple
from typing import TYPE_CHECKING

import numpy as np

from ..core.mode import GradMode
from .ops import unary as U
from .reductions import one_dim

SortResult = namedtuple("SortResult", ["values", "indices"])


def _scalar(t, op: str):
    if t._data.size != 1:
        raise ValueError(f"{op}: only one element tensors can be converted to Python scalars; "
                         f"this one has shape {t.shape} ({t._data.size} elements)")
    return t._data.item()


def _integer_operands(op: str, a, b=None):
    """The operands' arrays; refused unless every tensor operand is bool or integer."""
    arrays = []
    for x in (a, b) if b is not None else (a,):
        arr = x._data if hasattr(x, "_data") else np.asarray(x)
        if arr.dtype.kind not in "biu":
            raise TypeError(f"{op}: is only implemented on integer and boolean tensors (as "
                            f"PyTorch's), got dtype {arr.dtype}")
        arrays.append(arr)
    return arrays


class TorchMethods:
    """Mixed into ``Tensor``."""

    __slots__ = ()
    if TYPE_CHECKING:  # what Tensor provides
        _data: np.ndarray

        @property
        def shape(self) -> tuple[int, ...]: ...
        @property
        def ndim(self) -> int: ...
        @property
        def dtype(self) -> np.dtype: ...

    # -- Python numbers ---------------------------------------------------------------
    def __float__(self) -> float:
        """``float(t)`` of a one-element tensor."""
        return float(_scalar(self, "float"))

    def __int__(self) -> int:
        """``int(t)`` of a one-element tensor (truncated toward zero)."""
        return int(_scalar(self, "int"))

    def __index__(self) -> int:
        """A one-element integer tensor as a list index or ``range`` bound."""
        if self._data.dtype.kind not in "biu" or self._data.size != 1:
            raise TypeError(f"__index__: only integer tensors of a single element can be "
                            f"converted to an index; got dtype {self.dtype}, shape {self.shape}")
        return int(self._data.item())

    def __format__(self, spec: str) -> str:
        """``f"{t:.2f}"`` for a 0-d tensor (its number), as PyTorch's."""
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        if spec:
            raise TypeError(f"format: a format spec ({spec!r}) needs a 0-d tensor, as in PyTorch; "
                            f"this one has shape {self.shape} (use .item() on one element)")
        return repr(self)

    # -- copies and dtypes ------------------------------------------------------------------
    def clone(self):
        """A copy in the graph (its gradient flows back to this tensor)."""
        if self.requires_grad and GradMode.enabled:
            return U.Cast.apply(self, dtype=self._data.dtype)
        return self._make(self._data.copy())

    def contiguous(self):
        """Itself: numpy handles any memory layout."""
        return self

    def type(self, dtype=None):
        """``x.type(tg.int64)``: the tensor in ``dtype`` (as ``x.to(dtype)``)."""
        if dtype is None or isinstance(dtype, str):
            raise TypeError(f"type: expected a dtype such as tg.float32 or tg.int64, got {dtype!r}; "
                            "PyTorch's type names ('torch.FloatTensor') are not used here, read "
                            ".dtype instead")
        return self.to(dtype)

    def half(self):
        """The tensor in float16."""
        return self.to(np.float16)

    # -- logic ------------------------------------------------------------------------------
    def all(self, dim=None, keepdim=False):
        """Whether every element (along ``dim``) is nonzero, as a bool tensor."""
        axis = None if dim is None else one_dim("all", dim, self.ndim)
        return self._make(np.asarray(np.all(self._data, axis=axis, keepdims=keepdim)))

    def any(self, dim=None, keepdim=False):
        """Whether some element (along ``dim``) is nonzero, as a bool tensor."""
        axis = None if dim is None else one_dim("any", dim, self.ndim)
        return self._make(np.asarray(np.any(self._data, axis=axis, keepdims=keepdim)))

    def __invert__(self):
        """``~t``: logical not of a bool tensor, bitwise not of an integer one."""
        (a,) = _integer_operands("~ (bitwise not)", self)
        return self._make(np.invert(a))

    def __and__(self, other):
        """``a & b`` of bool or integer tensors."""
        a, b = _integer_operands("& (bitwise and)", self, other)
        return self._make(np.asarray(np.bitwise_and(a, b)))

    def __or__(self, other):
        """``a | b`` of bool or integer tensors."""
        a, b = _integer_operands("| (bitwise or)", self, other)
        return self._make(np.asarray(np.bitwise_or(a, b)))

    def __xor__(self, other):
        """``a ^ b`` of bool or integer tensors."""
        a, b = _integer_operands("^ (bitwise xor)", self, other)
        return self._make(np.asarray(np.bitwise_xor(a, b)))

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    # -- floor division and remainder (Python's rounding, as PyTorch's) ------------------
    def _divmod(self, other, op, fn, reflected=False):
        """``fn`` (floor division or remainder) off the graph, in PyTorch's dtype."""
        other = self._lift(other)
        a, b = (other, self) if reflected else (self, other)
        if GradMode.enabled and (self.requires_grad or other.requires_grad):
            if op == "%":  # in the graph, from ops with derivatives: 1 for a, -floor(a/b) for b
                return a - (a / b).floor() * b
            raise RuntimeError(f"{op}: the derivative of floor division is not implemented (as in "
                               "PyTorch); compute it on .detach(), or use (a / b).floor()")
        if a._data.dtype.kind in "biu" and b._data.dtype.kind in "biu":
            if np.any(b._data == 0):
                raise ZeroDivisionError(f"{op}: integer division by zero (tensor of shape "
                                        f"{b.shape})")
            return self._make(np.asarray(fn(a._data, b._data)))
        quotient = a / b  # PyTorch's dtype promotion, from the engine's division
        return self._make(np.asarray(fn(a._data, b._data)).astype(quotient.dtype))

    def __floordiv__(self, other):
        """``t // n``, rounding toward minus infinity (as Python and PyTorch)."""
        return self._divmod(other, "//", np.floor_divide)

    def __rfloordiv__(self, other):
        """``n // t``."""
        return self._divmod(other, "//", np.floor_divide, reflected=True)

    def __mod__(self, other):
        """``t % n`` with the sign of ``n`` (as Python and PyTorch)."""
        return self._divmod(other, "%", np.remainder)

    def __rmod__(self, other):
        """``n % t``."""
        return self._divmod(other, "%", np.remainder, reflected=True)

    # -- sorting and splitting (values through gather/indexing, so gradients flow) -------
    def sort(self, dim=-1, descending=False):
        """(values, indices) along ``dim``; ties keep their order."""
        axis = one_dim("sort", dim, self.ndim) if self.ndim else 0
        if not self.ndim:
            return SortResult(self.clone(), self._make(np.zeros((), np.int64)))
        keys = -self._data if descending else self._data
        index = np.argsort(keys, axis=axis, kind="stable").astype(np.int64)
        return SortResult(self.gather(axis, index), self._make(index))

    def topk(self, k: int, dim=-1, largest=True, sorted=True):  # noqa: A002 - PyTorch's name
        """The ``k`` largest (or smallest) values along ``dim`` and their indices."""
        axis = one_dim("topk", dim, self.ndim) if self.ndim else 0
        size = self.shape[axis] if self.ndim else 1
        if not 0 <= k <= size:
            raise RuntimeError(f"topk: k={k} is out of range for dim {dim} of size {size} "
                               f"(shape {self.shape})")
        values, index = self.sort(dim if self.ndim else -1, descending=largest)
        if not self.ndim:
            return SortResult(values, index)
        keep = np.arange(k)
        return SortResult(values.index_select(axis, keep), index.index_select(axis, keep))

    def index_select(self, dim, index):
        """The entries at ``index`` (1-D integers) along ``dim``."""
        axis = one_dim("index_select", dim, self.ndim)
        index = np.asarray(getattr(index, "_data", index))
        if index.ndim != 1 or index.dtype.kind not in "iu":
            raise IndexError(f"index_select: expected a 1-D integer index, got shape "
                             f"{index.shape} dtype {index.dtype}")
        return self[(slice(None),) * axis + (index,)]

    def unbind(self, dim=0):
        """The slices along ``dim``, as a tuple (``dim`` removed)."""
        axis = one_dim("unbind", dim, self.ndim)
        return tuple(self[(slice(None),) * axis + (i,)] for i in range(self.shape[axis]))

    def repeat_interleave(self, repeats, dim=None):
        """Each element repeated ``repeats`` times (along ``dim``; flattened when None)."""
        repeats = np.asarray(getattr(repeats, "_data", repeats))
        if repeats.dtype.kind not in "iu" or np.any(repeats < 0):
            raise ValueError(f"repeat_interleave: repeats must be whole numbers >= 0, got {repeats}")
        source = self.reshape(-1) if dim is None else self
        axis = 0 if dim is None else one_dim("repeat_interleave", dim, self.ndim)
        index = np.repeat(np.arange(source.shape[axis]), repeats)
        return source.index_select(axis, index)
