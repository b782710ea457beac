"""``Function``: how a tensor op joins the graph, and the op table every op registers in.

A tensor op is a ``Function`` subclass with ``forward`` (numpy arrays in, array out) and
its derivative, stated once: ``derivative(*operands, out)`` for an elementwise op (an
``Elementwise``), or ``backward(node, upstream)`` returning one gradient array per input
(``None`` for inputs that need none) for any other. ``@register`` puts it in
``OP_TABLE``, which the tests iterate: an op without a gradient check fails them.

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> x = Tensor([1.0, 2.0], requires_grad=True)
>>> y = x * x
>>> y.op, type(y._op) is OP_TABLE["mul"], y._op.words(y)
('*', True, ('{b}', '{a}'))
"""
from __future__ import annotations

import functools

import numpy as np

from ..core.errors import GraphError
from ..core.mode import GradMode
from ..core.op import ElementwiseOp, Op, times_upstream
from .anomaly import AnomalyMode, check_forward, creation_site

OP_TABLE: dict = {}


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


def on_graph(g) -> bool:
    """True when backward was handed a Tensor (``create_graph``), not an array: the same
    rule then runs on the forward nodes, building a graph that can be differentiated."""
    # 0-d products are numpy scalars. The type test first: an array's answer costs one
    # comparison (0.1 of isinstance's 0.2 us; backward asks per op).
    return type(g) is not np.ndarray and not isinstance(g, np.generic)


def call(op, *xs, **params):
    """``op`` on arrays (its numbers) or on Tensors (a node): lets a backward that uses
    another op, like getitem's scatter, state its rule once for both."""
    if on_graph(xs[0]):
        return op.apply(*xs, **params)
    return op.compute(*xs, **params)


def decomposed_backward(node, g, build):
    """The gradient graph of a fused op from its decomposition: ``build(*parents)``
    recomputes the forward from simpler ops, whose own graph_backwards are then chained.
    A fused op (the LSTM step) stays fast when training and is differentiable again
    when asked."""
    from ..core.backward import gradients
    parents = node._parents
    return gradients([(build(*parents), g)], parents, create_graph=True, partial=True)


@functools.lru_cache(maxsize=32)
def ones_vector(n: int, dtype) -> np.ndarray:
    """A read-only vector of ``n`` ones. ``ones_vector(len(g), g.dtype) @ g`` sums the rows
    of a 2-D ``g`` through BLAS, about twice as fast as ``g.sum(axis=0)`` at layer sizes."""
    ones = np.ones(n, dtype=dtype)
    ones.flags.writeable = False
    return ones


class Function(Op):
    """Base of tensor ops. Subclasses set ``name`` and ``symbol`` and define
    ``forward(*arrays, **params)`` and their derivative.

    ``saves`` lists the inputs whose data backward reads; changing one of them in place
    between forward and backward is an error (``Tensor._check_saved``). ``needs`` (set
    before forward) says which inputs want a gradient.
    """

    saves: tuple | None = None  # None: every input

    @classmethod
    def apply(cls, *inputs, **params):
        fn = object.__new__(cls)
        record = GradMode.enabled
        if len(inputs) == 1 and not params:  # unary ops (relu, tanh, exp...): plain calls
            x = inputs[0]                       # are 0.2 us cheaper than through *args,
            fn.needs = needs = (x.requires_grad,) if record else ()  # and no list: 0.1 us
            data = fn.forward(x._data)
        else:
            fn.needs = needs = tuple([t.requires_grad for t in inputs]) if record else ()
            data = fn.forward(*[t._data for t in inputs], **params)
        if True in needs:
            out = inputs[0]._make(data, fn, inputs)
        else:
            out = inputs[0]._make(data)
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

    def graph_backward(self, node, g):
        """Most ops write ``backward`` with operations arrays and Tensors share (``@``,
        ``.sum``, indexing, ``call``), so handed a Tensor it builds the gradient graph;
        an op that cannot (its backward returns arrays) raises rather than give a
        gradient cut off from the graph."""
        grads = self.backward(node, g)
        for i, c in enumerate(grads):
            if c is not None and not isinstance(c, type(g)):
                raise GraphError(f"{self.name}: backward gave input {i} a {type(c).__name__}, "
                                 "not a Tensor, so its second derivative is not available; "
                                 "differentiate it once, without create_graph")
        return grads

    @classmethod
    def compute(cls, *arrays, **params):
        """The op's forward on plain arrays: the numbers, no graph."""
        fn = object.__new__(cls)
        fn.needs = ()
        return fn.forward(*arrays, **params)

    def changed_error(self, inputs, i: int):
        """Raise: input ``i``, which backward reads, was changed after forward."""
        t = inputs[i]
        name = f" '{t.label}'" if t.label else ""
        raise RuntimeError(
            f"{self.name} backward: input {i}{name} of shape {t.shape} was modified "
            "in place after the forward pass; backward needs its old value. Modify a "
            "copy, or recompute the forward.")



class Elementwise(Function, ElementwiseOp):
    """A tensor op with a local derivative per element (``derivative(*operands, out)``);
    backward multiplies it by the upstream gradient and sums broadcast axes away."""

    def backward(self, node, g):
        parents = node._parents
        if len(parents) == 1:  # one operand of g's own shape: no loop, no broadcasting
            data = parents[0]._data  # (2% of the small-MLP step, through ReLU, measured)
            c = g * self.derivative(data, node._data)[0]
            return (c if c.dtype == data.dtype else c.astype(data.dtype),)
        return self._contributions(node, g, self._locals(node))

    def graph_backward(self, node, g):
        out = []
        for parent, need, d in zip(node._parents, self.needs, self.graph_locals(node)):
            c = times_upstream(d, g) if need else None
            out.append(c if c is None or c.shape == parent.shape else unbroadcast(c, parent.shape))
        return out

    def explain(self, node, g):
        local = self._locals(node)
        return self._contributions(node, g, local), local

    def _locals(self, node):
        p = node._parents
        if len(p) == 1:
            return self.derivative(p[0]._data, node._data)
        return self.derivative(*[t._data for t in p], node._data)

    def _contributions(self, node, g, local):
        out = []
        for parent, need, d in zip(node._parents, self.needs, local):
            if not need:
                out.append(None)
                continue
            c = g if type(d) is int and d == 1 else g * d   # the identity needs no copy
            data = parent._data
            if c.shape != data.shape:
                c = unbroadcast(c, data.shape)
            if c.dtype != data.dtype:
                c = c.astype(data.dtype)
            if out and c is out[0]:
                c = c.copy()  # two parents never share one gradient array
            out.append(c)
        return out
