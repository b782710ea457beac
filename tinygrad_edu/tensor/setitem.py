"""Item assignment, ``t[index] = value`` (and so ``t[index] += v``), with PyTorch's rules:

- no graph needed (inside ``no_grad()``, or neither side requires grad): the values are
  written into the tensor's array, counted as a change as every in-place write is (see
  ``tensor.inplace`` and ``tensor.versions``);
- a leaf that requires grad, outside ``no_grad()``: refused with PyTorch's message;
- otherwise (a tensor made by ops, or a value that requires grad): recorded as
  ``where(mask, placed, old)``, ``placed`` gathering the value's entries into place, so
  the overwritten entries get no gradient and the value gets theirs (``out[:, t] = h``).

>>> from tinygrad_edu import Tensor, no_grad
>>> t = Tensor([[1, 2, 3], [4, 5, 6]])
>>> t[0] = 0; t[1, 1:] += 10; t[t > 10] = -1
>>> t.tolist()
[[0, 0, 0], [4, -1, -1]]
>>> w = Tensor([1.0, 2.0], requires_grad=True)
>>> w[0] = 5.0
Traceback (most recent call last):
RuntimeError: setitem: a leaf Variable that requires grad is being used in an in-place operation. Update it inside `with no_grad():` (as an optimiser step does), or use torch.where / cat for a new tensor.
"""
from __future__ import annotations

import numpy as np

from ..core.mode import GradMode
from .ops import binary as B
from .shapes import _pytorch_order
from .versions import written


def _plain_index(index):
    """Tensors inside the index as arrays; lists as arrays (PyTorch reads them so)."""
    if hasattr(index, "_data"):
        return index._data
    if isinstance(index, list):
        return np.asarray(index)
    if isinstance(index, tuple):
        return tuple(i._data if hasattr(i, "_data") else i for i in index)
    return index


def _assign(array, index, values) -> None:
    steps = _pytorch_order(index) if isinstance(index, tuple) else None
    if steps is None:
        array[index] = values
    else:  # integers first (a view), then the index arrays, as PyTorch reads them
        array[steps[0]][steps[1]] = values


def _selected_shape(shape, index) -> tuple:
    probe = np.empty(shape, dtype=np.int8)
    steps = _pytorch_order(index) if isinstance(index, tuple) else None
    return probe[index].shape if steps is None else probe[steps[0]][steps[1]].shape


class SetItemMixin:
    """Mixed into ``Tensor``."""

    __slots__ = ()

    def __setitem__(self, index, value):
        """``t[index] = value``: in place, or recorded in the graph (see the module's notes)."""
        index = _plain_index(index)
        graph = GradMode.enabled and (self.requires_grad or getattr(value, "requires_grad", False))
        values = np.asarray(value._data if hasattr(value, "_data") else value)
        if values.dtype.kind not in "biuf":
            raise TypeError(f"setitem: expected a number, a tensor or an array as the value, got "
                            f"{type(value).__name__}")
        if graph:
            return self._record_setitem(index, value, values)
        data = self._data
        if type(data) is not np.ndarray:  # a numpy scalar (a 0-d reduction's result)
            data = self._data = np.array(data)
        elif not data.flags.writeable:
            raise ValueError(f"setitem: this tensor's array (shape {data.shape}) is read-only (a "
                             "broadcast view from expand); make a copy first")
        try:
            _assign(data, index, values)
        except (IndexError, ValueError) as error:
            raise type(error)(f"setitem: cannot assign a value of shape {values.shape} to index "
                              f"{index!r} of a tensor of shape {data.shape}: {error}") from None
        written(self, data)

    def _record_setitem(self, index, value, values):
        """The assignment as a graph op: ``where(mask, placed, old)``."""
        if self.requires_grad and self._op is None:
            raise RuntimeError(
                "setitem: a leaf Variable that requires grad is being used in an in-place "
                "operation. Update it inside `with no_grad():` (as an optimiser step does), "
                "or use torch.where / cat for a new tensor.")
        mask = np.zeros(self.shape, dtype=bool)
        source = np.zeros(self.shape, dtype=np.int64)  # which entry of the value lands where
        try:
            target = _selected_shape(self.shape, index)
            spread = np.broadcast_to(np.arange(int(np.prod(target))).reshape(target) if target
                                     else np.int64(0), target)
            np.broadcast_to(values, target)
            _assign(mask, index, True)
            _assign(source, index, spread)
        except (IndexError, ValueError) as error:
            raise type(error)(f"setitem: cannot assign a value of shape {values.shape} to index "
                              f"{index!r} of a tensor of shape {self.shape}: {error}") from None
        value = self._lift(value) if not hasattr(value, "_data") else value
        if value._data.dtype != self._data.dtype:
            value = value.to(self._data.dtype)
        if value.shape != target:  # broadcast in the graph, so the gradient sums back
            value = value + self._make(np.zeros(target, dtype=self._data.dtype))
        placed = value.reshape(-1)[source]
        # placed goes in as the update's operand, so nodes of its graph that read this
        # tensor (t[0] += 1 reads t[0]) are pointed at the old value
        self._rebase("setitem", lambda old, p: B.Where.apply(p, old, cond=mask), placed)
