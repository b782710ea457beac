"""A tensor's gradient, as PyTorch keeps it: ``.grad`` is None until a backward reaches
the tensor, then a Tensor of its shape (which has no gradient of its own).

Backward and the optimisers work on the raw array in ``_grad``; ``.grad`` hands out a
Tensor sharing that array, so ``w.grad.zero_()`` clears it and the next backward adds
into it. The first array a backward leaves may be shared with the graph (the same
upstream array reaches ``a`` and ``b`` in ``a + b``), so ``.grad`` first takes a copy
of its own: writing into one tensor's gradient never changes another's.

>>> from tinygrad_edu import Tensor
>>> w = Tensor([1.0, 2.0], requires_grad=True)
>>> w.grad is None
True
>>> (w * w).sum().backward()
>>> w.grad
Tensor([2., 4.])
>>> w.grad.requires_grad, w.grad.grad, w.grad is w.grad
(False, None, True)
"""
from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from ..core.errors import GraphError


def _read_only(array):
    """A view of the gradient flowing through backward that a hook cannot write into."""
    view = np.asarray(array).view()
    view.flags.writeable = False
    return view


def clear_grad(tensor, set_to_none: bool = True) -> None:
    """What ``zero_grad`` does to one tensor: drop its gradient (PyTorch's default), or
    with ``set_to_none=False`` write zeros into it, in place."""
    raw = tensor._grad
    if set_to_none or raw is None:
        tensor._grad = None
    elif isinstance(raw, GradMixin):  # a gradient graph (create_graph=True): zeros, cut off
        tensor._keep(np.zeros(raw.shape, dtype=raw.dtype))
    elif tensor._owns(raw):
        raw.fill(0)  # a Tensor handed out by .grad shares it and sees the zeros
    else:
        tensor._keep(np.zeros(np.shape(raw), dtype=tensor._data.dtype))


class GradMixin:
    """Mixed into ``Tensor``: ``grad`` and how backward adds to it (``_accept_grad``),
    ``zero_grad``, hooks and ``retain_grad``."""

    __slots__ = ()
    if TYPE_CHECKING:  # what Tensor provides
        requires_grad: bool

        @property
        def shape(self) -> tuple[int, ...]: ...
        @property
        def dtype(self) -> np.dtype: ...
    _summed = None      # weak reference to the ``_grad`` array this tensor owns
    _grad_view = None   # weak reference to the Tensor ``.grad`` last handed out

    @property
    def grad(self):
        """d(root)/d(self) summed over backward calls: None before the first, a Tensor
        after (with ``create_graph=True`` a graph that can be differentiated again)."""
        raw = self._grad
        if raw is None or isinstance(raw, GradMixin):
            return raw
        view = self._grad_view() if self._grad_view is not None else None
        if view is not None and view._data is raw:
            return view
        if not self._owns(raw):
            raw = self._keep(np.array(raw, dtype=self._data.dtype))
        view = self._constant(raw)
        self._grad_view = weakref.ref(view)
        return view

    @grad.setter
    def grad(self, value):
        if value is None:
            self._grad = None
            return
        if isinstance(value, GradMixin):
            raw = value if value.requires_grad else value._data
        elif isinstance(value, (np.ndarray, np.generic)):
            raw = value
        else:
            raise TypeError(f"grad: expected a Tensor, a numpy array or None; got a "
                            f"{type(value).__name__}")
        if np.shape(raw) != self._data.shape:
            raise ValueError(f"grad: cannot assign a gradient of shape {np.shape(raw)} to a "
                             f"tensor of shape {self._data.shape}; expected the same shape")
        if raw is value and isinstance(value, GradMixin):  # a gradient graph, kept as it is
            self._grad = value
            return
        if raw.dtype != self._data.dtype:
            raw = np.asarray(raw, dtype=self._data.dtype)
        self._grad, self._summed = raw, None  # not ours: the next backward adds into a copy
        if isinstance(value, GradMixin) and value._data is raw:
            self._grad_view = weakref.ref(value)  # so that w.grad is the tensor assigned

    def _owns(self, raw) -> bool:
        return self._summed is not None and self._summed() is raw

    def _keep(self, array):
        """Make ``array`` this tensor's own gradient (backward may add into it in place)."""
        self._grad = array
        self._summed = weakref.ref(array)
        return array

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Drop the gradient (``set_to_none=False``: zeros in place)."""
        clear_grad(self, set_to_none)

    def _accept_grad(self, g):
        """Take the gradient backward computed for this tensor; return what flows on."""
        if self._hooks:
            for hook in self._hooks:
                replaced = hook(self._constant(_read_only(g)))
                if replaced is not None:
                    g = np.asarray(replaced._data if isinstance(replaced, GradMixin) else replaced)
                    if g.shape != self._data.shape:
                        raise GraphError(f"register_hook: a hook returned a gradient of shape "
                                         f"{g.shape} for a tensor of shape {self.shape}; expected "
                                         "the same shape")
        if self._op is not None:
            if self._retains_grad:  # the same array flows on to the parents: add a copy
                self._add(g.copy() if self._grad is None else g)
            return g
        if g.dtype != self._data.dtype:
            g = g.astype(self._data.dtype)
        self._add(g)
        return g

    def _add(self, g) -> None:
        """Add ``g`` into ``_grad``."""
        grad = self._grad
        if grad is None:
            self._grad = g  # maybe shared with the graph, so never written into
        elif self._summed is not None and self._summed() is grad:
            grad += g       # a sum this tensor made: add in place (as PyTorch accumulates)
        else:
            grad = grad + g
            if type(grad) is np.ndarray:
                self._keep(grad)
            else:           # a 0-d sum (a numpy scalar) or a gradient graph
                self._grad = grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` with the gradient (a read-only Tensor, as PyTorch's hooks
        get) when this tensor's gradient is computed; a returned Tensor or array replaces
        the gradient that flows on. Returns a handle with ``remove()``."""
        if not self.requires_grad:
            raise RuntimeError(f"register_hook: tensor of shape {self.shape} does not require grad")
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        tensor = self

        class _Handle:
            def remove(self):
                tensor._hooks.remove(hook)
        return _Handle()

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after backward."""
        if not self.requires_grad:
            raise RuntimeError(f"retain_grad: tensor of shape {self.shape} does not require grad")
        self._retains_grad = True  # type: ignore[misc]  # in Tensor's __dict__ (mypy sees the mixin's empty slots)
