"""``Function``: how a tensor op joins the graph, and the op table every op registers in.

A tensor op is a ``Function`` subclass with ``forward`` (numpy arrays in, array out;
it saves on ``self`` what backward needs) and ``backward(node, upstream)`` returning
one gradient array per input (``None`` for inputs that need none). ``@register`` puts
it in ``OP_TABLE``, which the tests iterate: an op without a gradient check fails them.

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> x = Tensor([1.0, 2.0], requires_grad=True)
>>> y = x * x
>>> y.op, type(y._op).__name__ in OP_TABLE["mul"].__name__
('*', True)
"""
from __future__ import annotations

import functools
from operator import attrgetter

import numpy as np

from ..core.backward import Op
from ..core.mode import GradMode
from .anomaly import AnomalyMode, check_forward, creation_site

OP_TABLE: dict = {}
_object_new = object.__new__
_new_tensor = None  # tensor.new_tensor, set by tensor.py (which imports this module)
_requires_grad, _data, _version = (attrgetter(name) for name in ("requires_grad", "_data", "_version"))


def register(cls):
    """Class decorator: add a Function to ``OP_TABLE`` under its ``name``."""
    if cls.name in OP_TABLE:
        raise ValueError(f"register: op {cls.name!r} is registered twice")
    OP_TABLE[cls.name] = cls
    return cls


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the backward of numpy broadcasting."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


@functools.lru_cache(maxsize=32)
def ones_vector(n: int, dtype) -> np.ndarray:
    """A read-only vector of ``n`` ones. ``ones_vector(len(g), g.dtype) @ g`` sums the rows
    of a 2-D ``g`` through BLAS, about twice as fast as ``g.sum(axis=0)`` at layer sizes."""
    ones = np.ones(n, dtype=dtype)
    ones.flags.writeable = False
    return ones


class Function(Op):
    """Base of tensor ops. Subclasses set ``name``, ``symbol``, ``rules`` and define
    ``forward(*arrays, **params)`` and ``backward(node, upstream)``.

    ``saves`` lists the inputs whose data backward reads; modifying one of them between
    forward and backward is an error (checked with each tensor's version counter).
    ``needs`` (set before forward) says which inputs want a gradient.
    """

    saves: tuple | None = None  # None: every input
    versions = ()

    @classmethod
    def apply(cls, *inputs, **params):
        # map + attrgetter instead of comprehensions: no Python frame per op.
        fn = _object_new(cls)
        record = GradMode.enabled
        needs = fn.needs = tuple(map(_requires_grad, inputs)) if record else ()
        data = fn.forward(*map(_data, inputs), **params)
        if True in needs:
            out = _new_tensor(data, fn, inputs)
            saves = cls.saves
            if saves is None:
                fn.versions = tuple(enumerate(map(_version, inputs)))
            elif saves:
                fn.versions = tuple(zip(saves, map(_version, map(inputs.__getitem__, saves))))
        else:
            out = _new_tensor(data)
            if not record:
                # Remember that a graph would have been built, to explain a later backward().
                for t in inputs:
                    if t.requires_grad or t._no_grad_op:
                        out._no_grad_op = cls.name
                        break
        if AnomalyMode.enabled:
            out._created_at = creation_site()
            check_forward(fn, inputs, data, out._created_at)
        return out

    def version_error(self, inputs, i: int, version: int):
        """Raise: input ``i``, which backward reads, was modified after forward."""
        t = inputs[i]
        name = f" '{t.label}'" if t.label else ""
        raise RuntimeError(
            f"{self.name} backward: input {i}{name} of shape {t.shape} was modified "
            f"in place after the forward pass (version {version} -> {t._version}); "
            "backward needs its old value. Modify a copy, or recompute the forward.")
