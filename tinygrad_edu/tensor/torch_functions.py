"""PyTorch's module-level names (``torch.tanh(x)``, ``torch.tensor(data)``,
``torch.float32`` ...): thin wrappers that call the Tensor methods, so every
derivative stays stated once, in the op table.

>>> import tinygrad_edu as tg
>>> x = tg.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
>>> tg.relu(x).sum().backward(); x.grad.tolist()
[[1.0, 0.0], [1.0, 1.0]]
>>> tg.tensor([1, 2]).dtype == tg.int64, tg.zeros(2, dtype=tg.int32).dtype == tg.int32
(True, True)
>>> tg.max(x).item(), tg.argmax(x, dim=1).tolist(), tg.is_tensor(x)
(3.0, [0, 0], True)
"""
from __future__ import annotations

import builtins

import numpy as np

from .tensor import Tensor

# dtypes: numpy's, so ``t.dtype == tg.float32`` holds as ``t.dtype == torch.float32`` does
float32 = float = np.float32  # noqa: A001 - PyTorch's names
float64 = double = np.float64
float16 = half = np.float16
int64 = long = np.int64
int32 = int = np.int32  # noqa: A001
int16, int8, uint8 = np.int16, np.int8, np.uint8
bool = np.bool_  # noqa: A001
DTYPE_NAMES = ("float32", "float", "float64", "double", "float16", "half", "int64", "long",
               "int32", "int", "int16", "int8", "uint8", "bool")


def tensor(data, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A new tensor holding a copy of ``data`` (as ``torch.tensor``): Python floats give
    float32, Python ints int64, bools bool; a numpy array or tensor keeps its dtype."""
    if device is not None and str(device) != "cpu":
        raise ValueError(f"tensor: device {device!r} is not available; tinygrad_edu runs on "
                         "numpy, on the CPU only ('cpu')")
    source = data._data if isinstance(data, Tensor) else data
    if dtype is None and isinstance(source, (np.ndarray, np.generic)):
        dtype = source.dtype
    array = np.array(source, dtype=dtype) if dtype is not None else source
    made = Tensor(array, dtype=dtype, requires_grad=requires_grad)
    if np.may_share_memory(made._data, source):
        made._data = made._data.copy()
    return made


def is_tensor(obj) -> builtins.bool:
    return isinstance(obj, Tensor)


def numel(t: Tensor) -> builtins.int:
    return t.numel()


def _need(op, t):
    if not isinstance(t, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(t).__name__} (make one with "
                        "tg.tensor(...))")
    return t


def _method(name):
    def call(input, *args, **kwargs):  # noqa: A002 - PyTorch's argument name
        return getattr(_need(name, input), name)(*args, **kwargs)
    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``torch.{name}(x, ...)``: the same as ``x.{name}(...)``."
    return call


_METHODS = ("tanh", "exp", "log", "sqrt", "rsqrt", "sigmoid", "relu", "abs", "sin", "cos",
            "erf", "sign", "floor", "ceil", "square", "neg", "reciprocal", "sum", "mean", "std",
            "var", "argmax", "argmin", "amax", "amin", "logsumexp", "cumsum", "softmax",
            "log_softmax", "clamp", "clip", "matmul", "tril", "triu", "flatten", "unbind",
            "reshape", "permute", "transpose", "squeeze", "unsqueeze", "flip", "gather",
            "masked_fill", "norm", "sort", "topk", "all", "any", "clone", "chunk", "split",
            "repeat_interleave", "index_select")
for _name in _METHODS:
    globals()[_name] = _method(_name)


def max(input, dim=None, keepdim=False):  # noqa: A001, A002 - PyTorch's names
    """``torch.max(x)``, ``torch.max(x, dim)`` -> (values, indices), ``torch.max(a, b)``."""
    return _need("max", input).max(dim, keepdim)


def min(input, dim=None, keepdim=False):  # noqa: A001, A002
    return _need("min", input).min(dim, keepdim)


def mm(input, mat2):  # noqa: A002
    if _need("mm", input).ndim != 2 or _need("mm", mat2).ndim != 2:
        raise ValueError(f"mm: expected two 2-D tensors, got shapes {input.shape} and {mat2.shape}")
    return input @ mat2


def bmm(input, mat2):  # noqa: A002
    """Batched matrix product: (b, n, m) @ (b, m, p) -> (b, n, p), nothing broadcast."""
    if _need("bmm", input).ndim != 3 or _need("bmm", mat2).ndim != 3 or \
            input.shape[0] != mat2.shape[0]:
        raise ValueError(f"bmm: expected two 3-D tensors with the same batch size, got shapes "
                         f"{input.shape} and {mat2.shape}")
    return input @ mat2


def outer(input, vec2):  # noqa: A002
    """The outer product of two 1-D tensors."""
    if _need("outer", input).ndim != 1 or _need("outer", vec2).ndim != 1:
        raise ValueError(f"outer: expected two 1-D tensors, got shapes {input.shape} and "
                         f"{vec2.shape}")
    return input.unsqueeze(1) * vec2.unsqueeze(0)


def isnan(input) -> Tensor:  # noqa: A002
    return Tensor._make(np.isnan(_need("isnan", input)._data))


def isinf(input) -> Tensor:  # noqa: A002
    return Tensor._make(np.isinf(_need("isinf", input)._data))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:  # noqa: A002
    a, b = _same_dtype("isclose", input, other)
    return Tensor._make(np.asarray(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> builtins.bool:  # noqa: A002
    """True when every |a - b| <= atol + rtol * |b|; the dtypes must match, as in PyTorch."""
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other) -> builtins.bool:  # noqa: A002
    """Same shape and the same values."""
    a, b = _need("equal", input)._data, _need("equal", other)._data
    return a.shape == b.shape and builtins.bool(np.array_equal(a, b))


def _same_dtype(op, a, b):
    a, b = _need(op, a)._data, _need(op, b)._data
    if a.dtype != b.dtype:
        raise TypeError(f"{op}: the dtypes differ ({a.dtype} vs {b.dtype}); PyTorch refuses "
                        "this too, convert one first (e.g. b.to(a.dtype))")
    return a, b



# ``tensor`` is left out: ``tinygrad_edu.tensor`` is the subpackage, made callable.
__all__ = ["is_tensor", "numel", "max", "min", "mm", "bmm", "outer", "isnan", "isinf",
           "isclose", "allclose", "equal", *_METHODS, *DTYPE_NAMES]
STAR_SAFE = [name for name in __all__ if not hasattr(builtins, name)]
