"""PyTorch's random factories: ``rand``, ``rand_like``, ``randn_like``, ``randint``,
``normal``, ``multinomial``, ``Generator`` (for ``generator=``) and ``from_numpy``. They draw from the
shared generator that ``manual_seed`` seeds, or from the ``Generator`` passed; the numbers
are numpy's, so they differ from PyTorch's for the same seed.

>>> import tinygrad_edu as tg
>>> g = tg.Generator().manual_seed(42)
>>> a = tg.randint(0, 10, (3,), generator=g)
>>> a.dtype == tg.int64, a.shape, tg.Generator().manual_seed(42).initial_seed()
(True, (3,), 42)
>>> tg.multinomial(tg.tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
[1, 1]
"""
from __future__ import annotations

import numbers

import numpy as np

from .factories import _shape, randn
from .rng import default_generator, seeded_generator
from .tensor import Tensor


class Generator:
    """A random generator of its own (``torch.Generator()``): ``manual_seed(n)`` returns it,
    so ``g = tg.Generator().manual_seed(0)`` reads as in PyTorch."""

    def __init__(self, device="cpu"):
        if str(device) != "cpu":
            raise ValueError(f"Generator: device {device!r} is not available; CPU only ('cpu')")
        self._seed = 67280421310721  # PyTorch's default seed
        self._rng = seeded_generator(self._seed, "Generator")

    def manual_seed(self, seed: int) -> "Generator":
        self._rng = seeded_generator(seed, "Generator.manual_seed")
        self._seed = int(seed)
        return self

    def initial_seed(self) -> int:
        return self._seed

    def __getattr__(self, name):
        # numpy's drawing methods (standard_normal, uniform, ...), for every factory
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._rng, name)


def _rng(generator):
    return default_generator() if generator is None else generator


def rand(*shape, dtype=np.float32, requires_grad=False, generator=None) -> Tensor:
    """Uniform values in [0, 1)."""
    values = _rng(generator).random(_shape(shape, "rand"))
    return Tensor(values.astype(dtype), dtype=dtype, requires_grad=requires_grad)


def normal(mean: float = 0.0, std: float = 1.0, size=None, *, generator=None,
           dtype=np.float32, requires_grad=False) -> Tensor:
    """Values from N(mean, std²) of shape ``size`` (d2l's ``torch.normal(0, 0.01, (2, 1))``);
    tensors of means or stds are refused (numbers only)."""
    if size is None or hasattr(mean, "_data") or hasattr(std, "_data"):
        raise TypeError("normal: expected numbers mean and std and a size, as in "
                        f"tg.normal(0, 1, (3, 2)); got mean={mean!r}, std={std!r}, size={size!r}")
    if std < 0:
        raise ValueError(f"normal: std must be >= 0, got {std}")
    shape = _shape(tuple(size) if isinstance(size, (tuple, list)) else (size,), "normal")
    values = _rng(generator).normal(mean, std, shape).astype(dtype)
    return Tensor(values, dtype=dtype, requires_grad=requires_grad)


def _float_like(op, t, dtype):
    if not isinstance(t, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(t).__name__}")
    dtype = np.dtype(dtype or t.dtype)
    if dtype.kind != "f":
        raise TypeError(f"{op}: expected a floating-point dtype, got {dtype} (as PyTorch)")
    return dtype


def rand_like(t, dtype=None, requires_grad=False, generator=None) -> Tensor:
    return rand(*t.shape, dtype=_float_like("rand_like", t, dtype), requires_grad=requires_grad,
                generator=generator)


def randn_like(t, dtype=None, requires_grad=False, generator=None) -> Tensor:
    return randn(*t.shape, dtype=_float_like("randn_like", t, dtype),
                 requires_grad=requires_grad, generator=generator)


def randint(*args, size=None, dtype=np.int64, generator=None) -> Tensor:
    """``randint(high, size)`` or ``randint(low, high, size)``: whole numbers in [low, high)."""
    if size is None and args:
        args, size = args[:-1], args[-1]
    if len(args) not in (1, 2) or size is None:
        raise TypeError(f"randint: expected randint(high, size) or randint(low, high, size), got "
                        f"{len(args) + (size is not None)} arguments")
    low, high = (0, args[0]) if len(args) == 1 else args
    for value in (low, high):
        if not isinstance(value, numbers.Integral):
            raise TypeError(f"randint: low and high must be whole numbers, got {low!r}, {high!r}")
    if low >= high:
        raise ValueError(f"randint: expected low < high, got low={low}, high={high}")
    shape = _shape(tuple(size) if isinstance(size, (tuple, list)) else (size,), "randint")
    return Tensor(_rng(generator).integers(low, high, shape).astype(dtype), dtype=dtype)


def multinomial(input, num_samples: int, replacement: bool = False,  # noqa: A002
                generator=None) -> Tensor:
    """Indices drawn with the (unnormalised, non-negative) weights of each row of ``input``
    (1-D or 2-D); without replacement no index repeats within a row."""
    if not isinstance(input, Tensor) or input.ndim not in (1, 2) or input.dtype.kind != "f":
        raise ValueError(f"multinomial: expected a 1-D or 2-D float tensor of weights, got "
                         f"{getattr(input, 'shape', type(input).__name__)}")
    rows = np.atleast_2d(np.asarray(input._data, dtype=np.float64))
    if not np.all(np.isfinite(rows)) or np.any(rows < 0) or np.any(rows.sum(axis=1) <= 0):
        raise ValueError("multinomial: weights must be finite, >= 0, with a positive sum per row")
    if num_samples <= 0:
        raise ValueError(f"multinomial: num_samples must be > 0, got {num_samples}")
    if not replacement and num_samples > int((rows > 0).sum(axis=1).min()):
        raise ValueError(f"multinomial: cannot draw {num_samples} samples without replacement "
                         f"from a row with only {int((rows > 0).sum(axis=1).min())} non-zero "
                         "weights")
    rng = _rng(generator)
    drawn = np.stack([rng.choice(row.size, size=num_samples, replace=replacement, p=row / row.sum())
                      for row in rows]).astype(np.int64)
    return Tensor(drawn if input.ndim == 2 else drawn[0])


def from_numpy(array) -> Tensor:
    """A tensor sharing ``array``'s memory and dtype (writes show through both, as in PyTorch)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy array, got {type(array).__name__}")
    made = Tensor(array, dtype=array.dtype)
    if made._data is not array:
        made._data = array
    return made
