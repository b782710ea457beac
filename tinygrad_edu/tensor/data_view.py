"""What ``Tensor.data`` and ``Tensor.numpy()`` hand out: the tensor's own array, seen
through a view that notices writes (``t.data[0] = 1``, ``t.data[:] *= 2``, ``t.data.fill(0)``,
``np.add(a, b, out=t.data)``, ``np.copyto(t.data, a)``) and marks the tensor changed
(and its buffer, which other tensors may share: see ``tensor.versions``), so a backward
that needs the old values refuses instead of computing a wrong gradient.

Everything else behaves as the plain array: arithmetic, reductions and copies give
plain ``np.ndarray``s (so nothing else is tied to the tensor), and it prints as one.
In-place arithmetic also takes a Tensor (``w.data -= lr * w.grad``, micrograd's update).
Library code reads ``t._data`` and never pays for the view.

>>> from tinygrad_edu import Tensor
>>> t = Tensor([1.0, 2.0])
>>> t.data[0] = 5.0
>>> t._changed_at > t._seq, t.data, type(t.data * 2).__name__
(True, array([5., 2.], dtype=float32), 'ndarray')
"""
from __future__ import annotations

import weakref

import numpy as np

from .versions import written

# numpy functions that write into an argument, and which argument that is.
_WRITERS = {np.copyto: 0, np.put: 0, np.place: 0, np.putmask: 0, np.fill_diagonal: 0}


def data_view(tensor) -> "DataView":
    if type(tensor._data) is not np.ndarray:  # a numpy scalar: it cannot be written into
        return tensor._data
    view = tensor._data.view(DataView)
    view._owner = weakref.ref(tensor)
    return view


def _plain(x):
    """``x`` with every DataView in it (also inside lists and tuples) as a plain array."""
    if isinstance(x, DataView):
        return x.view(np.ndarray)
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(item) for item in x)
    return x


def _touched(array) -> None:
    """A write went into ``array``: its tensor (if still alive) and buffer changed."""
    if isinstance(array, DataView) and array._owner is not None:
        written(array._owner(), array)


def _operand(x):
    """A Tensor (it refuses numpy's ufuncs but converts to an array) as its values."""
    if getattr(type(x), "__array_ufunc__", False) is None and hasattr(x, "__array__"):
        return np.asarray(x)
    return x


def _reading_tensors(in_place):
    """``view -= tensor``: numpy refuses the Tensor operand (it opts out of ufuncs so that
    ``array - tensor`` reaches Tensor.__rsub__); in place, read its values instead."""
    def method(self, other):
        return in_place(self, _operand(other))
    method.__name__, method.__doc__ = in_place.__name__, in_place.__doc__
    return method


class DataView(np.ndarray):
    """A view of a tensor's array whose in-place writes count as changes to the tensor."""

    _owner: weakref.ref | None = None  # weakref to the tensor; views of this view share it, copies do not

    def __array_finalize__(self, source):
        shares = self.base is not None and isinstance(source, DataView)
        self._owner = source._owner if shares else None

    def __setitem__(self, index, value):
        np.ndarray.__setitem__(self.view(np.ndarray), index, _plain(value))
        _touched(self)

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        targets = tuple(out or ()) + ((inputs[0],) if method == "at" else ())  # written into
        inputs = [_plain(x) for x in inputs]
        if out is not None:
            kwargs["out"] = tuple(_plain(o) for o in out)
        result = getattr(ufunc, method)(*inputs, **kwargs)
        for target in targets:
            _touched(target)
        if out is not None and len(out) == 1 and isinstance(out[0], DataView):
            return out[0]  # ``a += 1`` must leave ``a`` the same object
        return result

    def __array_function__(self, func, types, args, kwargs):
        written = _WRITERS.get(func)
        result = func(*[_plain(a) for a in args], **{k: _plain(v) for k, v in kwargs.items()})
        if written is not None and written < len(args):
            _touched(args[written])
        return result

    __iadd__ = _reading_tensors(np.ndarray.__iadd__)
    __isub__ = _reading_tensors(np.ndarray.__isub__)
    __imul__ = _reading_tensors(np.ndarray.__imul__)
    __itruediv__ = _reading_tensors(np.ndarray.__itruediv__)

    def fill(self, value):
        self.view(np.ndarray).fill(value)
        _touched(self)

    def sort(self, *args, **kwargs):
        self.view(np.ndarray).sort(*args, **kwargs)
        _touched(self)

    def copy(self, order="C"):
        return self.view(np.ndarray).copy(order)

    def astype(self, *args, **kwargs):
        return self.view(np.ndarray).astype(*args, **kwargs)

    def __repr__(self):
        return repr(self.view(np.ndarray))

    def __str__(self):
        return str(self.view(np.ndarray))

    def __reduce__(self):  # pickles as the plain array it shows
        return self.view(np.ndarray).__reduce__()
