"""How many BLAS threads a matrix product may use, through ``threadpoolctl``: only
where the user or the library's own programs ask.

Library calls leave the process's BLAS threads as they found them. Three things change
them:

- ``set_num_threads(n)``: the user asks, for the whole process (as PyTorch's);
  ``set_num_threads(None)`` puts back what the process had before;
- ``training_threads()``: a block of the library's own work (``fit()``): small products
  on one thread, large ones (``LARGE_PRODUCT`` multiply-adds and up, where threads pay
  for themselves) on every core, and the process's threads as they were afterwards;
- ``program_settings()``: the same for the rest of the process, for programs that own
  theirs (the command line's demos, the benchmarks), with freed memory kept (``heap``).

Why one thread: on a 2-core laptop OpenBLAS's threads spin against each other on small
products, and against whatever else runs: the overfitting demo took 4.8 s quiet and 37 s
beside two numpy jobs with the default threads, 2.2 s and 7.0 s on one thread. The usual
environment variables (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, ...) win over
``training_threads`` when set. threadpoolctl is imported when threads first change.

>>> with training_threads():
...     inside = _State.pinned
>>> inside, _State.pinned
(True, False)
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import numpy as np

LARGE_PRODUCT = 50_000_000  # multiply-adds (a 128x784 @ 784x512 product is 51M)
ENVIRONMENT = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


_NOTHING = contextlib.nullcontext()  # reusable: most products need no change
# np.dot without its __array_function__ dispatch, which does nothing for plain ndarrays
# (the only operands it gets here) and costs a Python call per product.
_dot = getattr(np.dot, "_implementation", np.dot)


class _State:
    controller: Any = None   # threadpoolctl's, made when threads first change
    chosen: int | None = None   # set_num_threads(n)
    undo_chosen: Any = None  # puts back the threads set_num_threads found
    pinned = False        # inside training_threads() (or after program_settings())


# Products of fewer multiply-adds run as they are: LARGE_PRODUCT inside
# training_threads(), else never a limit. One comparison per product: this runs a dozen
# times per training step.
_as_they_are_below = sys.maxsize
_ndarray = np.ndarray


def _from_environment() -> bool:
    return any(os.environ.get(name) for name in ENVIRONMENT)


def _controller():
    if _State.controller is None:
        from threadpoolctl import ThreadpoolController
        _State.controller = ThreadpoolController()
    return _State.controller


@contextlib.contextmanager
def training_threads():
    """Inside the block, one BLAS thread for small products and every core for large
    ones; afterwards the threads the process had. Nothing changes when the user chose
    (``set_num_threads``, the environment variables) or an outer block already did."""
    global _as_they_are_below
    undo = _pin()
    if undo is None:
        yield
        return
    try:
        yield
    finally:
        _State.pinned, _as_they_are_below = False, sys.maxsize
        undo.restore_original_limits()


def program_settings() -> None:
    """For a program that owns its process (a demo, a benchmark): the threads of
    ``training_threads()`` until the process ends, and freed memory kept for the next
    step (``heap.py``)."""
    from .heap import keep_freed_memory
    keep_freed_memory()
    _pin()   # never undone: the process ends first


def _pin():
    """One thread, the size policy on; what undoes the limit (None: nothing changed)."""
    global _as_they_are_below
    if _State.pinned or _State.chosen or _from_environment():
        return None
    undo = _controller().limit(limits=1, user_api="blas")
    _State.pinned, _as_they_are_below = True, LARGE_PRODUCT
    return undo


def large(multiply_adds: int):
    """A context for one product: every core for a large one inside
    ``training_threads()``, nothing to do otherwise."""
    if multiply_adds < LARGE_PRODUCT or not _State.pinned:
        return _NOTHING
    return _controller().limit(limits=os.cpu_count() or 1, user_api="blas")


def product(a, b, multiply_adds: int = 0):
    """``a @ b`` on the threads its size deserves (``multiply_adds``: its work). Arrays of
    at most 2 dimensions go through ``np.dot``'s implementation, the same BLAS call as
    ``@`` with half its dispatch (0.6 against 1.2 us at layer sizes); Tensors (a backward
    building a graph) and batched arrays through ``@``. Its own checks cost 0.1 us.

    >>> import numpy as np
    >>> product(np.ones((2, 3)), np.ones((3, 4)), 24).tolist()[0]
    [3.0, 3.0, 3.0, 3.0]
    """
    if multiply_adds < _as_they_are_below:  # most products
        if type(a) is _ndarray is type(b) and a.ndim <= 2 and b.ndim <= 2:
            return _dot(a, b)
        return a @ b
    with large(multiply_adds):  # dispatch is nothing beside a large product's work
        return a @ b


def set_num_threads(n: int | None) -> None:
    """BLAS threads for every product in this process, as ``torch.set_num_threads``
    (``None``: back to the threads the process had before the first call)."""
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"set_num_threads: expected a whole number >= 1 (or None), got {n!r}")
    if _State.undo_chosen is not None:
        _State.undo_chosen.restore_original_limits()
        _State.undo_chosen = None
    _State.chosen = n
    if n is not None:
        _State.undo_chosen = _controller().limit(limits=n, user_api="blas")
