"""``Tensor``: a numpy array in the computation graph (the PyTorch-style engine).

>>> import numpy as np
>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
array([[2., 4.],
       [6., 8.]], dtype=float32)

Floats are float32 unless you ask for another dtype (``dtype=np.float64``: gradcheck
needs it), even when they come from a float64 numpy array. Integer and boolean data
keep their dtype (class labels, masks). Gradients accumulate across backward calls, as in PyTorch; optimisers'
``zero_grad()`` resets them to ``None``. Changing ``.data`` (assigning to it, or
``t.data -= ...``) bumps the tensor's version; backward refuses to use a value that
changed after the forward pass. Writing into the array itself (``t.data[0] = 1``)
is not seen: don't do that to a tensor a pending backward needs.
"""
from __future__ import annotations

import numbers
import weakref

import numpy as np

from ..core.backward import run_backward
from ..core.graph import Node, next_creation_number
from ..core.errors import GraphError
from ..core.scope import FRAMES

from . import function as _function
from .ops import elementwise as E, linalg as L, movement as M, reduce as R, softmax as S


def _to_array(data, dtype):
    if isinstance(data, Tensor):
        data = data._data
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    arr = np.asarray(data)
    if arr.dtype.kind == "f":
        return arr if arr.dtype == np.float32 else arr.astype(np.float32)  # the default
    if arr.dtype.kind in "iub":
        return arr
    raise TypeError(f"Tensor: cannot make a tensor from {type(data).__name__} with dtype "
                    f"{arr.dtype}; expected numbers, nested lists of numbers, or a numeric array")


class Tensor(Node):
    """A node holding a numpy array: ``data``, ``grad``, ``requires_grad``, ``parents``, ``op``."""

    # The attributes every tensor uses live in slots; rarely set ones (hooks, anomaly
    # sites...) default on the class and reach the instance __dict__ only when set.
    __slots__ = ("_data", "grad", "requires_grad", "_parents", "_op", "_version", "_frame", "_seq",
                 "label", "__dict__", "__weakref__")
    _hooks = None
    _retains_grad = False
    _no_grad_op = None
    _summed = None  # weak reference to a .grad array this tensor allocated itself
    _created_at = None
    __array_ufunc__ = None  # numpy defers to our reflected operators

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = ""):
        arr = _to_array(data, dtype)
        if requires_grad and arr.dtype.kind != "f":
            raise TypeError(f"Tensor: only floating-point tensors can require grad; got dtype "
                            f"{arr.dtype} (shape {arr.shape}). Use dtype=np.float32 or float64.")
        self._init(arr, bool(requires_grad), label)

    def _init(self, arr, requires_grad, label=""):
        self._data = arr
        self.grad = None
        self.requires_grad = requires_grad
        self._parents = ()
        self._op = None
        self._version = 0
        self._frame = FRAMES[-1]  # the module call that made it
        self._seq = next_creation_number()
        self.label = label

    @staticmethod
    def _from_data(arr):
        return new_tensor(arr)

    # -- node protocol and properties ------------------------------------------------
    @property
    def data(self) -> np.ndarray:
        return self._data

    @data.setter
    def data(self, value):
        arr = np.asarray(value.data if isinstance(value, Tensor) else value)
        if arr.shape != self._data.shape:
            raise ValueError(f"data: cannot assign an array of shape {arr.shape} to a tensor of "
                             f"shape {self._data.shape}")
        self._data = arr.astype(self._data.dtype, copy=False)
        self._version += 1

    @property
    def shape(self) -> tuple:
        return self._data.shape

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def is_leaf(self) -> bool:
        return self._op is None

    def numel(self) -> int:
        return self._data.size

    def size(self, dim: int | None = None):
        return self._data.shape if dim is None else self._data.shape[dim]

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def item(self) -> float:
        if self._data.size != 1:
            raise ValueError(f"item: only a one-element tensor can become a number; this one has "
                             f"shape {self.shape}")
        return self._data.item()

    def numpy(self) -> np.ndarray:
        return self._data

    def tolist(self):
        return self._data.tolist()

    def detach(self) -> "Tensor":
        """The same data, cut from the graph (no grad)."""
        return Tensor._from_data(self._data)

    def float(self) -> "Tensor":
        return Tensor(self._data.astype(np.float32))

    def double(self) -> "Tensor":
        return Tensor(self._data.astype(np.float64))

    def requires_grad_(self, flag: bool = True) -> "Tensor":
        if flag and self._data.dtype.kind != "f":
            raise TypeError(f"requires_grad_: only floating-point tensors can require grad; got "
                            f"dtype {self.dtype}")
        self.requires_grad = flag
        return self

    # -- autograd ---------------------------------------------------------------
    def backward(self, gradient=None, observer=None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` that requires grad."""
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
        run_backward(self, seed, observer)

    def __getstate__(self):
        # A copy or an unpickled tensor owns no gradient sum (and weak references do not
        # pickle): drop the marker, keep everything else.
        state, slots = super().__getstate__()
        if state and "_summed" in state:
            state = {k: v for k, v in state.items() if k != "_summed"} or None
        return state, slots

    def _accept_grad(self, g):
        if self._hooks:
            for hook in self._hooks:
                replaced = hook(g)
                if replaced is not None:
                    g = np.asarray(replaced._data if isinstance(replaced, Tensor) else replaced)
        op = self._op
        if op is not None:
            for i, version in op.versions:  # inlined: this runs for every node
                if self._parents[i]._version != version:
                    op.version_error(self._parents, i, version)
            if not self._retains_grad:
                return g
            g_kept = g.copy()  # the same array flows on to the parents: keep our own
            self.grad = g_kept if self.grad is None else self.grad + g_kept
            return g
        if g.dtype != self._data.dtype:
            g = g.astype(self._data.dtype)
        grad = self.grad
        if grad is None:
            self.grad = g  # shared with the graph, so never written into
        elif self._summed is not None and self._summed() is grad:
            grad += g      # a sum this tensor made: add in place (as PyTorch accumulates)
        else:
            self.grad = grad = grad + g
            self._summed = weakref.ref(grad)
        return g

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned array
        replaces the gradient that flows on. Returns a handle with ``remove()``."""
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
        self._retains_grad = True

    def zero_grad(self) -> None:
        self.grad = None

    # -- constant lifting ---------------------------------------------------------
    def _lift(self, other) -> "Tensor":
        if isinstance(other, Tensor):
            return other
        if isinstance(other, numbers.Number) or isinstance(other, np.ndarray):
            dtype = self._data.dtype if self._data.dtype.kind == "f" else None
            return Tensor._from_data(_to_array(other, dtype))
        raise TypeError(f"cannot combine a Tensor with {type(other).__name__}; expected a Tensor, "
                        "a number or a numpy array")

    # -- arithmetic ---------------------------------------------------------------
    def __add__(self, other):
        return E.Add.apply(self, self._lift(other))

    def __radd__(self, other):
        return E.Add.apply(self._lift(other), self)

    def __sub__(self, other):
        return E.Sub.apply(self, self._lift(other))

    def __rsub__(self, other):
        return E.Sub.apply(self._lift(other), self)

    def __mul__(self, other):
        return E.Mul.apply(self, self._lift(other))

    def __rmul__(self, other):
        return E.Mul.apply(self._lift(other), self)

    def __truediv__(self, other):
        return E.Div.apply(self, self._lift(other))

    def __rtruediv__(self, other):
        return E.Div.apply(self._lift(other), self)

    def __pow__(self, exponent):
        if isinstance(exponent, numbers.Number):
            return E.PowScalar.apply(self, k=exponent)
        return E.Pow.apply(self, self._lift(exponent))

    def __rpow__(self, base):
        return E.Pow.apply(self._lift(base), self)

    def __neg__(self):
        return E.Neg.apply(self)

    def __matmul__(self, other):
        return L.MatMul.apply(self, self._lift(other))

    def __rmatmul__(self, other):
        return L.MatMul.apply(self._lift(other), self)

    # -- comparisons (no gradient) ------------------------------------------------
    def _compare(self, other, fn):
        other = other._data if isinstance(other, Tensor) else other
        return Tensor._from_data(fn(self._data, other))

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    __hash__ = object.__hash__

    # -- elementwise functions ----------------------------------------------------
    def exp(self):
        return E.Exp.apply(self)

    def log(self):
        return E.Log.apply(self)

    def sqrt(self):
        return E.Sqrt.apply(self)

    def abs(self):
        return E.Abs.apply(self)

    def relu(self):
        return E.ReLU.apply(self)

    def leaky_relu(self, negative_slope: float = 0.01):
        return E.LeakyReLU.apply(self, slope=negative_slope)

    def tanh(self):
        return E.Tanh.apply(self)

    def sigmoid(self):
        return E.Sigmoid.apply(self)

    def clip(self, min=None, max=None):  # noqa: A002 - PyTorch's names
        return E.Clip.apply(self, low=min, high=max)

    clamp = clip

    def maximum(self, other):
        return E.Maximum.apply(self, self._lift(other))

    # -- reductions -----------------------------------------------------------------
    def sum(self, axis=None, keepdims: bool = False):
        return R.Sum.apply(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        return R.Mean.apply(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims: bool = False):
        return R.Max.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims: bool = False):
        return R.Min.apply(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, keepdims: bool = False, correction: int = 1):
        return R.Var.apply(self, axis=axis, keepdims=keepdims, correction=correction)

    def argmax(self, axis=None):
        return Tensor._from_data(np.asarray(self._data.argmax(axis=axis)))

    # -- shapes -------------------------------------------------------------------
    def reshape(self, *shape):
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return M.Reshape.apply(self, shape=shape)

    view = reshape

    def permute(self, *axes):
        axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        return M.Permute.apply(self, axes=tuple(a % max(self.ndim, 1) for a in axes))

    def transpose(self, dim0: int = -2, dim1: int = -1):
        if self.ndim < 2:
            return self
        axes = list(range(self.ndim))
        axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
        return self.permute(axes)

    @property
    def T(self):
        return self.permute(tuple(range(self.ndim))[::-1])

    def expand(self, *shape):
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        offset = len(shape) - self.ndim  # -1 keeps that dimension, as in PyTorch
        shape = tuple(self.shape[i - offset] if n == -1 else n for i, n in enumerate(shape))
        return M.Expand.apply(self, shape=shape)

    broadcast_to = expand

    def squeeze(self, axis=None):
        if axis is None:
            shape = tuple(n for n in self.shape if n != 1)
        else:
            axes = R.normalize_axes(axis, self.ndim, "squeeze")
            for ax in axes:
                if self.shape[ax] != 1:
                    raise ValueError(f"squeeze: axis {ax} of shape {self.shape} has size "
                                     f"{self.shape[ax]}; expected 1")
            shape = tuple(n for i, n in enumerate(self.shape) if i not in axes)
        return self.reshape(shape)

    def unsqueeze(self, axis: int):
        if not -self.ndim - 1 <= axis <= self.ndim:
            raise ValueError(f"unsqueeze: axis {axis} is out of range for shape {self.shape}")
        axis = axis % (self.ndim + 1)
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        if self.ndim == 0:
            return self.reshape(1)
        start, end = start_dim % self.ndim, end_dim % self.ndim
        middle = int(np.prod(self.shape[start:end + 1]))
        return self.reshape(self.shape[:start] + (middle,) + self.shape[end + 1:])

    def pad(self, pad_width, value: float = 0.0):
        return M.Pad.apply(self, pad_width=pad_width, value=value)

    def __getitem__(self, index):
        if isinstance(index, Tensor):
            index = index._data
        elif isinstance(index, tuple):
            index = tuple(i._data if isinstance(i, Tensor) else i for i in index)
        elif isinstance(index, list):
            index = np.asarray(index)
        return M.GetItem.apply(self, index=index)

    # -- softmax family -----------------------------------------------------------------
    def softmax(self, axis: int = -1):
        return S.Softmax.apply(self, axis=axis)

    def log_softmax(self, axis: int = -1):
        return S.LogSoftmax.apply(self, axis=axis)

    # -- printing -----------------------------------------------------------------------
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




_object_new = object.__new__


def new_tensor(data, op=None, parents=()):
    """A tensor around ``data``, made by ``op`` from ``parents`` (None: a leaf without
    grad). Every hot slot is set here, once: this runs for every op."""
    out = _object_new(Tensor)
    out._data = data
    out.grad = None
    out._version = 0
    out._frame = FRAMES[-1]
    out._seq = next_creation_number()
    out._op = op
    out._parents = parents
    out.requires_grad = op is not None
    out.label = ""
    return out


_function._new_tensor = new_tensor
