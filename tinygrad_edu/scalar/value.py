"""``Value``: one float in the computation graph (the micrograd-style scalar engine).

>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
>>> c = (a * b + a.tanh()).relu()
>>> c.data
0.0
>>> d = a * b + a ** 2
>>> d.backward()
>>> a.grad, b.grad
(1.0, 2.0)
>>> a > b, a <= 2, max([a, b]).label
(True, True, 'a')

Gradients accumulate: ``backward`` adds to ``.grad``, as PyTorch does, so a second
backward without ``zero_grad`` doubles them. Reset with ``v.grad = 0.0`` or the
module's ``zero_grad()``.
"""
from __future__ import annotations

import numbers

from ..core.backward import backward_with_graph, run_backward
from ..core.errors import GraphError
from ..core.graph import Node, check_unchanged, mark_changed, next_creation_number, topological_order
from ..core.mode import GradMode
from ..core.scope import FRAMES
from . import ops as _ops

_new_object = object.__new__


def _as_value(x):
    return x if isinstance(x, Value) else Value(x)


def _check_number(x):
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"Value: expected a real number, got {type(x).__name__} {x!r}")
    return float(x)


def _compared(x) -> float:
    return x._data if isinstance(x, Value) else _check_number(x)


def _make(op, a, b=None):
    """The Value ``op`` computes from ``a`` (and ``b``): the way ops make nodes."""
    # Value._setup's work inline, in a plain function (not a classmethod): an op's node is
    # the scalar engine's hot path; a * b takes 0.42 us this way (chain forward 10% faster,
    # scalar MLP step ~5%, than through a _setup call).
    out = _new_object(Value)
    if b is None:
        out._data, parents = op.forward(a._data), (a,)
    else:
        out._data, parents = op.forward(a._data, b._data), (a, b)
    out.grad = 0.0
    out.label = ""
    out._frame = FRAMES[-1]
    out._seq = next_creation_number()
    if GradMode.enabled:
        out._parents, out._op = parents, op
    else:
        out._parents, out._op = (), None
    return out


class Value(Node):
    """One float in the computation graph, as micrograd's ``Value``.

    ``Value(data, label="")``: ``data`` is a real number (kept as a float); ``label`` is
    the name pictures and the stepper show. A Value has
    ``data``, ``grad`` (d(root)/d(self) once ``root.backward()`` ran; 0.0 before),
    ``parents`` (the Values it was computed from), ``op`` (its op's symbol, "" for a
    leaf) and ``label``. Numbers mix in: ``2 * x + 1``.

    >>> x = Value(3.0, label="x")
    >>> y = x * x + 1
    >>> y.backward(); x.grad
    6.0
    """

    __slots__ = ("_data", "grad", "label", "_parents", "_op", "_frame", "_seq", "_changed_at")
    requires_grad = True
    _hooks = None  # the node protocol's "no hooks" (Values take none)
    _retains_grad = True  # every Value keeps its gradient, as in micrograd
    _plain_grad = True    # ... a float (or a graph's Value) that backward adds to in place
    # How ops (the engine's and a user's own ScalarOp) make nodes: Value._make(op, a, b).
    _make = staticmethod(_make)

    def __init__(self, data, label: str = ""):
        """``data``: a real number; ``label``: a name for pictures (see the class)."""
        self._setup(data if type(data) is float else _check_number(data), None, ())
        self.label = label

    def _setup(self, data, op, parents):
        """The one place a Value's slots are set."""
        self._data = data
        self.grad = 0.0
        self.label = ""
        self._frame = FRAMES[-1]  # the module call that made it
        self._seq = next_creation_number()
        if op is not None and GradMode.enabled:
            self._parents, self._op = parents, op
        else:
            self._parents, self._op = (), None

    @property
    def data(self) -> float:
        """The value (a float). Assigning one is recorded: a backward through nodes
        computed from the old value then refuses instead of mixing the two."""
        return self._data

    @data.setter
    def data(self, value) -> None:
        # Remember when: a backward through nodes made from the old value must refuse.
        self._data = value if type(value) is float else _check_number(value)
        mark_changed(self)

    def _accept_grad(self, g):
        """The node protocol: add a gradient arriving in backward to ``.grad``."""
        self.grad += g
        return g

    def _check_saved(self) -> None:
        """Raise if an operand this node's derivative reads was assigned (``x.data = ...``)
        after this node was computed from it: backward would mix old and new values."""
        op = self._op
        if not op.reads_data:
            return
        for parent in self._parents:
            if getattr(parent, "_changed_at", -1) > self._seq:
                name = parent.label or "an input"
                raise GraphError(
                    f"backward: {name} (now {parent._data:g}) was assigned with .data = ... after "
                    f"{op.name} used it (output {self._data:g}); the gradient would mix the old "
                    "and the new value. Run the forward pass again after changing .data")

    def backward(self, gradient: float = 1.0, observer=None, create_graph: bool = False) -> None:
        """Add d(self)/d(node) to every node's ``.grad`` (accumulating, as in PyTorch).
        ``create_graph=True`` makes the gradients Values built from ops, to
        differentiate again (see ``tinygrad_edu.scalar.grad``)."""
        check_unchanged(self)
        if create_graph:
            seed = Value(float(gradient), label="seed")
            return backward_with_graph(self, seed, topological_order(self))
        run_backward(self, float(gradient), observer)

    def __add__(self, other):
        """``self + other`` (a number or a Value)."""
        return _make(_ops.ADD, self, _as_value(other))

    def __radd__(self, other):
        """``other + self``."""
        return _make(_ops.ADD, _as_value(other), self)

    def __sub__(self, other):
        """``self - other``."""
        return _make(_ops.SUB, self, _as_value(other))

    def __rsub__(self, other):
        """``other - self``."""
        return _make(_ops.SUB, _as_value(other), self)

    def __mul__(self, other):
        """``self * other``."""
        return _make(_ops.MUL, self, _as_value(other))

    def __rmul__(self, other):
        """``other * self``."""
        return _make(_ops.MUL, _as_value(other), self)

    def __truediv__(self, other):
        """``self / other`` (raises DomainError for 0)."""
        return _make(_ops.DIV, self, _as_value(other))

    def __rtruediv__(self, other):
        """``other / self``."""
        return _make(_ops.DIV, _as_value(other), self)

    def __neg__(self):
        """``-self``."""
        return _make(_ops.NEG, self)

    def __pow__(self, exponent):
        """``self ** exponent``: a number, or a Value (then the base must be > 0)."""
        if isinstance(exponent, Value):
            return _make(_ops.POW, self, exponent)
        return _make(_ops.PowConst(_check_number(exponent)), self)

    def __rpow__(self, base):
        """``base ** self`` (base > 0)."""
        return _make(_ops.POW, _as_value(base), self)

    def relu(self):
        """max(self, 0)."""
        return _make(_ops.RELU, self)

    def tanh(self):
        """tanh(self), in (-1, 1)."""
        return _make(_ops.TANH, self)

    def sigmoid(self):
        """1 / (1 + exp(-self)), in (0, 1)."""
        return _make(_ops.SIGMOID, self)

    def exp(self):
        """e ** self."""
        return _make(_ops.EXP, self)

    def log(self):
        """The natural logarithm (self > 0)."""
        return _make(_ops.LOG, self)

    def __lt__(self, other):
        """``self.data < other`` (a number or a Value), a plain bool: comparisons build no
        node. ``==`` stays identity, since graphs keep Values in sets and dicts."""
        return self._data < _compared(other)

    def __le__(self, other):
        """``self.data <= other``, a plain bool."""
        return self._data <= _compared(other)

    def __gt__(self, other):
        """``self.data > other``, a plain bool."""
        return self._data > _compared(other)

    def __ge__(self, other):
        """``self.data >= other``, a plain bool."""
        return self._data >= _compared(other)

    def __repr__(self) -> str:
        """``Value(x=3, grad=6)``: label, data and gradient."""
        name = f"{self.label}=" if self.label else ""
        grad = self.grad if isinstance(self.grad, float) else self.grad.data  # a graph's value
        return f"Value({name}{self.data:.6g}, grad={grad:.6g})"

