"""In-place methods (PyTorch's trailing underscore: ``add_``, ``zero_``, ...) and
augmented assignment (``+=``, ``-=``, ``*=``, ``/=``): the tensor keeps its identity.

Three cases, as in PyTorch:

- no graph needed (inside ``no_grad()``, or no operand requires grad): the values are
  written into the tensor's array, and the tensor counts as changed (a pending backward
  that needs its old value refuses; see ``tensor.versions``);
- a leaf that requires grad, outside ``no_grad()``: refused with PyTorch's message, since
  its gradient would describe a value it no longer has;
- a tensor in a graph (or one that becomes part of it, ``x += w``): recorded. The old
  value moves to a new node and the tensor becomes the op's output, so ``loss += term``
  and ``h += f(h)`` train. Another node that had already used the old value (one the
  update does not depend on) refuses at backward.

The manual training loop of every PyTorch tutorial:

>>> from tinygrad_edu import Tensor, no_grad
>>> w = Tensor([1.0, -2.0], requires_grad=True); same = w
>>> for _ in range(2):
...     loss = (w * w).sum()
...     loss.backward()
...     with no_grad():
...         w -= 0.25 * w.grad
...         _ = w.grad.zero_()
>>> w.tolist(), w is same, w.is_leaf
([0.25, -0.5], True, True)
>>> w.add_(1)
Traceback (most recent call last):
RuntimeError: add_: a leaf Variable that requires grad is being used in an in-place operation. Update it inside `with no_grad():` (as an optimiser step does), or use w = w + ... for a new tensor.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..core.graph import mark_changed
from ..core.mode import GradMode
from .rng import default_generator
from .versions import written


class InPlaceMixin:
    """Mixed into ``Tensor``: the in-place methods, each returning the tensor itself."""

    __slots__ = ()
    _made_in_place = None  # the in-place op that last made this tensor a new node

    # -- arithmetic -------------------------------------------------------------------
    def add_(self, other, alpha=1):
        """self += alpha * other."""
        if alpha != 1:
            other = self._lift(other) * alpha
        return self._update("add_", other, np.add, lambda old, o: old + o)

    def sub_(self, other, alpha=1):
        """self -= alpha * other."""
        if alpha != 1:
            other = self._lift(other) * alpha
        return self._update("sub_", other, np.subtract, lambda old, o: old - o)

    def mul_(self, other):
        """self *= other, in place."""
        return self._update("mul_", other, np.multiply, lambda old, o: old * o)

    def div_(self, other):
        """self /= other, in place."""
        return self._update("div_", other, np.true_divide, lambda old, o: old / o)

    def __iadd__(self, other):
        """``self += other``: in place (see the module doc for tensors in a graph)."""
        return self._update("+=", other, np.add, lambda old, o: old + o)

    def __isub__(self, other):
        """``self -= other``, in place."""
        return self._update("-=", other, np.subtract, lambda old, o: old - o)

    def __imul__(self, other):
        """``self *= other``, in place."""
        return self._update("*=", other, np.multiply, lambda old, o: old * o)

    def __itruediv__(self, other):
        """``self /= other``, in place."""
        return self._update("/=", other, np.true_divide, lambda old, o: old / o)

    def clamp_(self, min=None, max=None):  # noqa: A002 - PyTorch's names
        """Clip every value into [min, max] (either bound may be None)."""
        if min is None and max is None:
            raise ValueError("clamp_: expected min or max (or both); got neither")
        return self._update("clamp_", None, lambda d, _, out: np.clip(d, min, max, out=out),
                            lambda old, _: old.clip(min, max))

    # -- fills: the new values ignore the old ones (whose gradient becomes 0) -------------
    def zero_(self):
        """Fill with zeros, in place."""
        return self._fill("zero_", np.zeros(self._data.shape))

    def fill_(self, value):
        """Fill with ``value``, in place."""
        if hasattr(value, "_data"):  # a one-element tensor, as PyTorch takes
            value = value.item()
        if not isinstance(value, numbers.Number):
            raise TypeError(f"fill_: expected a number, got {type(value).__name__}")
        return self._fill("fill_", np.full(self._data.shape, value))

    def copy_(self, src):
        """Copy ``src``'s values (broadcast to this tensor's shape, cast to its dtype)."""
        src = self._lift(src)
        return self._update("copy_", src, _copy_into, lambda old, s: old * 0 + s, cast="unsafe")

    def uniform_(self, a: float = 0.0, b: float = 1.0, generator=None):
        """Values drawn from U(a, b) (the shared generator that ``manual_seed`` seeds)."""
        return self._fill("uniform_", (generator or default_generator()).uniform(
            a, b, self._data.shape))

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator=None):
        """Values drawn from N(mean, std²)."""
        return self._fill("normal_", (generator or default_generator()).normal(
            mean, std, self._data.shape))

    def _fill(self, name, values):
        values = self._make(np.asarray(values, dtype=self._data.dtype))
        return self._update(name, values, _copy_into, lambda old, v: old * 0 + v)

    # -- the one path every in-place method takes ---------------------------------------
    def _update(self, name, other, ufunc, build, cast="same_kind"):
        """Write ``ufunc(data, other)`` into this tensor, or record ``build(old, other)``
        in the graph; every check runs before anything changes."""
        if other is not None:
            other = self._lift(other)
        graph = GradMode.enabled and (self.requires_grad or (other is not None and
                                                             other.requires_grad))
        if graph and self.requires_grad and self._op is None:
            raise RuntimeError(
                f"{name}: a leaf Variable that requires grad is being used in an in-place "
                "operation. Update it inside `with no_grad():` (as an optimiser step does), or "
                f"use {self.label or 'w'} = {self.label or 'w'} + ... for a new tensor.")
        data = self._data
        if other is not None:
            if not _broadcasts(other.shape, data.shape):
                raise ValueError(f"{name}: cannot combine a tensor of shape {other.shape} into one "
                                 f"of shape {data.shape} in place; expected a shape that "
                                 f"broadcasts to {data.shape}")
            result = np.result_type(data, other._data)
            if not np.can_cast(result, data.dtype, cast):
                raise TypeError(f"{name}: the result has dtype {result}, which this tensor's "
                                f"dtype {data.dtype} cannot hold; make a new tensor instead")
        if graph:
            return self._rebase(name, build, other)
        if type(data) is not np.ndarray:  # a numpy scalar (a 0-d reduction's result)
            data = self._data = np.array(data)
        elif not data.flags.writeable:
            raise ValueError(f"{name}: this tensor's array (shape {data.shape}) is read-only "
                             "(a broadcast view from expand, or the gradient a hook is shown); make a "
                             "copy first")
        try:
            ufunc(data, None if other is None else other._data, out=data)
        except TypeError as error:  # numpy's casting check, made before it writes anything
            raise TypeError(f"{name}: {error}; this tensor has dtype {data.dtype}, so make a new "
                            "tensor instead") from None
        written(self, data)
        return self

    def _rebase(self, name, build, other):
        """Record the update in the graph: the old value becomes a new node ``old``, and
        this tensor takes over ``build(old, other)``'s place (keeping its identity)."""
        old = object.__new__(type(self))
        for slot in _SLOTS:
            setattr(old, slot, getattr(self, slot))
        old.__dict__.update(self.__dict__)
        old.__dict__.pop("_retains_grad", None)  # retain_grad follows the new value
        if other is self:                          # h += h, h *= h
            other = old
        elif other is not None and other._op is not None:
            _repoint(other, self, old)             # h += f(h): f read the old value
        new = build(old, other)
        if new._data.dtype != self._data.dtype:
            new = new._make(new._data.astype(self._data.dtype), new._op, new._parents)
        for slot in ("_data", "_op", "_parents", "_frame", "_seq", "requires_grad"):
            setattr(self, slot, getattr(new, slot))
        self._grad = None
        for key in ("_hooks", "_summed", "_grad_view", "_changed_at", "_no_grad_op"):
            self.__dict__.pop(key, None)  # hooks stay with the value they were set on
        self.__dict__.update(new.__dict__)
        self._made_in_place = name
        mark_changed()  # nodes made before now get checked for reading the old value
        return self


def _repoint(root, tensor, old) -> None:
    """Point the nodes of ``root``'s graph that read ``tensor`` at ``old`` instead: they
    were made before the in-place op, so they used the value ``old`` now holds. Only
    nodes made after ``tensor`` can read it, so the walk stops at older ones."""
    since, stack, seen = tensor._seq, [root], {id(root)}
    while stack:
        node = stack.pop()
        parents = node._parents
        if any(p is tensor for p in parents):
            node._parents = tuple(old if p is tensor else p for p in parents)
        for p in parents:
            if p._seq > since and p is not tensor and id(p) not in seen:
                seen.add(id(p))
                stack.append(p)


def _copy_into(_, values, out):
    np.copyto(out, values, casting="unsafe")


def _broadcasts(shape, target) -> bool:
    if len(shape) > len(target):
        return False
    return all(a in (1, b) for a, b in zip(shape[::-1], target[::-1]))


_SLOTS = ("_data", "_grad", "requires_grad", "_parents", "_op", "_frame", "_seq", "label")
