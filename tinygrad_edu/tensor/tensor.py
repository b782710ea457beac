"""``Tensor``: a numpy array in the computation graph (the PyTorch-style engine).

>>> import numpy as np
>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
Tensor([[2., 4.],
        [6., 8.]])

Floats are float32 unless you ask for another dtype (``dtype=np.float64``: gradcheck
needs it), even when they come from a float64 numpy array. Integer and boolean data
keep their dtype (class labels, masks). Gradients accumulate across backward calls, as in
PyTorch; ``zero_grad()`` resets them to ``None`` (see ``tensor.grads``). Changing a
tensor (assigning ``.data``, writing into ``.data`` or ``.numpy()``, an in-place method
such as ``add_`` or ``-=``: see ``tensor.inplace``) marks it changed; backward refuses
to use a value that changed after the forward pass (see ``tensor.versions``).
"""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

from ..core.backward import backward_with_graph, run_backward
from ..core.graph import (Node, check_unchanged, mark_changed, next_creation_number,
                          topological_order)
from ..core.errors import GraphError
from ..core.scope import FRAMES

from .data_view import data_view
from .grads import GradMixin
from .inplace import InPlaceMixin
from .methods import TensorMethods
from .setitem import SetItemMixin
from .torch_methods import TorchMethods
from .versions import check_saved


def _to_array(data, dtype):
    if isinstance(data, Tensor):
        data = data._data
    try:
        arr = np.asarray(data, dtype=dtype)
    except ValueError as error:  # ragged nested lists, or text where numbers belong
        reason = "its nested lists have different lengths" if "inhomogeneous" in str(error) \
            else str(error).split(". ")[0]
        raise ValueError(f"Tensor: cannot make a tensor from this {type(data).__name__}: "
                         f"{reason}; expected a rectangular nested list of numbers or a "
                         "numeric array") from None
    if dtype is not None:
        return arr
    if arr.dtype.kind == "f":
        return arr if arr.dtype == np.float32 else arr.astype(np.float32)  # the default
    if arr.dtype.kind in "iub":
        return arr
    raise TypeError(f"Tensor: cannot make a tensor from {type(data).__name__} with dtype "
                    f"{arr.dtype}; expected numbers, nested lists of numbers, or a numeric array")


_PROCESS_LOCAL = ("_summed", "_grad_view")


class Tensor(InPlaceMixin, GradMixin, SetItemMixin, TorchMethods, TensorMethods, Node):
    """A node holding a numpy array: ``data``, ``grad``, ``requires_grad``, ``parents``, ``op``.

    ``Tensor(data, requires_grad=False, dtype=None, label="")``:

    - ``data``: numbers, nested lists of numbers, a numpy array or a Tensor (copied when
      it requires grad, so training never writes into the caller's array);
    - ``requires_grad``: whether backward gives it a ``.grad`` (floating-point only);
    - ``dtype``: numpy's; None keeps integers and booleans and makes floats float32;
    - ``label``: its name in pictures and in the stepper.

    >>> x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    >>> x.dtype, x.shape, x.label
    (dtype('float32'), (2,), 'x')
    """

    # The attributes every tensor uses live in slots; rarely set ones (hooks, anomaly
    # sites...) default on the class and reach the instance __dict__ only when set.
    __slots__ = ("_data", "_grad", "requires_grad", "_parents", "_op", "_frame", "_seq",
                 "label", "__dict__", "__weakref__")
    _hooks = None
    _retains_grad = False
    _no_grad_op = None
    _created_at = None
    _changed_at = -1  # never changed in place (see core.graph.mark_changed)
    __array_ufunc__ = None  # numpy defers to our reflected operators

    def __init__(self, data: ArrayLike | Tensor, requires_grad: bool = False,
                 dtype: DTypeLike | None = None, label: str = "") -> None:
        arr = _to_array(data, dtype)
        if requires_grad and arr.dtype.kind != "f":
            raise TypeError(f"Tensor: only floating-point tensors can require grad; got dtype "
                            f"{arr.dtype} (shape {arr.shape}). Use dtype=np.float32 or float64.")
        if requires_grad and np.may_share_memory(arr, getattr(data, "_data", data)):
            arr = arr.copy()  # training updates it in place: never the caller's array
        self._setup(arr, None, (), bool(requires_grad))
        self.label = label

    @classmethod
    def _make(cls, data, op=None, parents=()):
        """A tensor around the array ``data``, made by ``op`` from ``parents`` (None: a
        leaf without grad). Ops, constants and detach build their tensors here."""
        # _setup's work inline: this runs once per op (0.1 us of ReLU.apply's 1.3 us).
        out = object.__new__(cls)
        out._data = data
        out._grad = None
        out.requires_grad = op is not None
        out._parents = parents
        out._op = op
        out._frame = FRAMES[-1]
        out._seq = next_creation_number()
        out.label = ""
        return out

    @staticmethod
    def _constant(data) -> "Tensor":
        """A plain Tensor (never a subclass such as Parameter) around ``data``, with no
        graph: what ``.grad`` hands out."""
        return Tensor._make(data)

    def _setup(self, data, op, parents, requires_grad):
        """The one place a tensor's slots are set."""
        self._data = data
        self._grad = None
        self.requires_grad = requires_grad
        self._parents = parents
        self._op = op
        self._frame = FRAMES[-1]  # the module call that made it
        self._seq = next_creation_number()

    @property
    def data(self) -> np.ndarray:
        """The values: the tensor's array, through a view that counts in-place writes
        as changes (see ``tensor.data_view``)."""
        return data_view(self)

    @data.setter
    def data(self, value: ArrayLike | Tensor) -> None:
        arr = np.asarray(value._data if isinstance(value, Tensor) else value)
        if arr.shape != self._data.shape:
            raise ValueError(f"data: cannot assign an array of shape {arr.shape} to a tensor of "
                             f"shape {self._data.shape}")
        self._data = arr.astype(self._data.dtype, copy=False)
        mark_changed(self)

    @property
    def shape(self) -> tuple[int, ...]:
        """The size of each dimension, as numpy's (PyTorch's ``size()``)."""
        return self._data.shape

    @property
    def dtype(self) -> np.dtype:
        """numpy's dtype of the values (float32 unless asked otherwise)."""
        return self._data.dtype

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def is_leaf(self) -> bool:
        """True for a tensor no op made (an input or a parameter)."""
        return self._op is None

    def numel(self) -> int:
        """The number of elements."""
        return self._data.size

    def size(self, dim: int | None = None) -> tuple[int, ...] | int:
        """The shape, or the size of dimension ``dim`` (PyTorch's)."""
        return self._data.shape if dim is None else self._data.shape[dim]

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def item(self) -> float:
        """The one element as a Python number."""
        if self._data.size != 1:
            raise ValueError(f"item: only a one-element tensor can become a number; this one has "
                             f"shape {self.shape}")
        return self._data.item()

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise ValueError(f"bool: the truth of a tensor of shape {self.shape} "
                             f"({self._data.size} elements) is ambiguous; reduce it first "
                             "(.max(), .min(), .sum()) or compare one element")
        return bool(self._data.item())

    def numpy(self) -> np.ndarray:
        """The values, sharing the tensor's memory (as PyTorch's): writes into it count as
        changes, as writes into ``.data`` do."""
        return data_view(self)

    def __array__(self, dtype=None, copy=None):
        """``np.asarray(t)``: the values, read-only unless copied (a write through it could
        not be noticed; write through ``t.data`` or ``t.numpy()`` instead)."""
        if copy or (dtype is not None and np.dtype(dtype) != self._data.dtype):
            return np.array(self._data, dtype=dtype)
        view = np.asarray(self._data).view()
        view.flags.writeable = False
        return view

    def tolist(self) -> list | float:
        """The values as (nested) Python lists."""
        return self._data.tolist()

    def detach(self) -> Tensor:
        """The same data, cut from the graph (no grad)."""
        return self._make(self._data)

    def requires_grad_(self, flag: bool = True) -> Tensor:
        """Start (or stop) recording ops on this tensor for backward, in place."""
        if flag and self._data.dtype.kind != "f":
            raise TypeError(f"requires_grad_: only floating-point tensors can require grad; got "
                            f"dtype {self.dtype}")
        if not flag and self._op is not None:  # as PyTorch: it would silently cut the graph
            raise RuntimeError(f"requires_grad_(False): made by {self._op.name}, not a leaf: only a "
                               "leaf's flag can change; use .detach() to stop the gradient")
        self.requires_grad = flag
        return self

    def backward(self, gradient: ArrayLike | Tensor | None = None, observer=None,
                 create_graph: bool = False, retain_graph: bool | None = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` that requires grad.
        ``gradient``: d(loss)/d(self), needed unless self has one element; ``observer``
        receives one ``BackwardStep`` per node (the stepper and the pictures use it).
        ``create_graph=True`` makes those gradients Tensors built from tensor ops, to
        differentiate again (see ``tinygrad_edu.grad``). ``retain_graph`` is accepted for
        PyTorch's code: the graph is always kept, so backward may run again."""
        if not self.requires_grad:
            if self._no_grad_op is not None:
                raise GraphError(f"backward: this tensor (shape {self.shape}) was made by "
                                 f"{self._no_grad_op} inside no_grad(), so it has no graph to "
                                 "backpropagate through; build it outside no_grad()")
            raise GraphError(f"backward: this tensor (shape {self.shape}) does not require grad; "
                             "expected it to depend on a tensor created with requires_grad=True")
        if gradient is None:
            if self._data.size != 1:
                raise GraphError(f"backward: called on a tensor of shape {self.shape} without a "
                                 "gradient; expected a single-element tensor (e.g. loss.mean()), "
                                 f"or pass gradient= with shape {self.shape}")
            seed = np.array(1, dtype=self._data.dtype)  # ones_like, faster
            if self._data.ndim:
                seed = seed.reshape(self._data.shape)
        else:
            seed = np.array(gradient._data if isinstance(gradient, Tensor) else gradient,
                            dtype=self._data.dtype)
            if seed.shape != self.shape:
                raise GraphError(f"backward: gradient has shape {seed.shape}; expected the "
                                 f"tensor's shape {self.shape}")
        if create_graph:  # each leaf's .grad gains its gradient as a graph (core.backward)
            leaves = [n for n in topological_order(self, grad_only=True) if n._op is None]
            return backward_with_graph(self, Tensor._make(seed), leaves)
        check_unchanged(self)
        run_backward(self, seed, observer)

    def __getstate__(self):
        # A copy or an unpickled tensor owns no gradient sum and no handed-out .grad (and
        # weak references do not pickle): drop those markers, keep everything else.
        state, slots = super().__getstate__()
        if state and any(key in state for key in _PROCESS_LOCAL):
            state = {k: v for k, v in state.items() if k not in _PROCESS_LOCAL} or None
        return state, slots

    def _check_saved(self) -> None:
        """Raise if backward through this node would use a value changed in place after
        it was made (``tensor.versions.check_saved``)."""
        check_saved(self)

    def _lift(self, other) -> "Tensor":
        if isinstance(other, Tensor):
            return other
        if isinstance(other, numbers.Number) or isinstance(other, np.ndarray):
            dtype = self._data.dtype if self._data.dtype.kind == "f" else None
            return self._make(_to_array(other, dtype))
        raise TypeError(f"cannot combine a Tensor with {type(other).__name__}; expected a Tensor, "
                        "a number or a numpy array")

    def __repr__(self) -> str:
        body = np.array2string(self._data, precision=4, threshold=20, separator=", ",
                               prefix="Tensor(")
        extra = ""
        if self._data.dtype != np.float32:
            extra += f", dtype={self._data.dtype}"
        if self._op is not None:
            extra += f", op={self._op.name}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"Tensor({body}{extra})"
