"""How many BLAS threads a matrix product may use, through ``threadpoolctl``.

On a 2-core laptop OpenBLAS's threads spin against each other on small products, and
against whatever else runs: the overfitting demo took 4.8 s quiet and 37 s beside two
numpy jobs with the default threads, 2.2 s and 7.0 s on one thread. So products run on
one thread, and only large ones (``LARGE_PRODUCT`` multiply-adds and up, where threads
pay for themselves) may use more. ``set_num_threads(n)`` fixes the count for every
product; the usual environment variables (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, ...)
win over both when set. threadpoolctl is imported at the first product, not before.

>>> set_num_threads(2); "thread" in current_policy() or "environment" in current_policy()
True
>>> set_num_threads(None)   # back to: one thread, all cores for large products
"""
from __future__ import annotations

import contextlib
import os

import numpy as np

LARGE_PRODUCT = 50_000_000  # multiply-adds (a 128x784 @ 784x512 product is 51M)
ENVIRONMENT = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


_NOTHING = contextlib.nullcontext()  # reusable: most products need no change
# np.dot without its __array_function__ dispatch, which does nothing for plain ndarrays
# (the only operands it gets here) and costs a Python call per product.
_dot = getattr(np.dot, "_implementation", np.dot)


class _State:
    controller = None     # threadpoolctl's, made at the first product
    chosen = None         # set_num_threads(n), or None for the size policy
    ready = False


# Products of fewer multiply-adds run as they are: LARGE_PRODUCT once ready() has run,
# 0 before, so that the first product of all sets the threads up. One comparison per
# product: this runs a dozen times per training step.
_as_they_are_below = 0
_ndarray = np.ndarray


def _from_environment() -> bool:
    return any(os.environ.get(name) for name in ENVIRONMENT)


def ready() -> None:
    """Before the first product: one BLAS thread (unless the user chose otherwise), and
    freed memory kept for the next step (``heap.py``)."""
    global _as_they_are_below
    if _State.ready:
        return
    _State.ready = True
    _as_they_are_below = LARGE_PRODUCT
    from .heap import keep_freed_memory
    keep_freed_memory()
    if _from_environment():
        return
    from threadpoolctl import ThreadpoolController
    _State.controller = ThreadpoolController()
    _State.controller.limit(limits=_State.chosen or 1, user_api="blas")


def large(multiply_adds: int):
    """A context for one product: all cores for a large one, nothing to do otherwise."""
    if multiply_adds < LARGE_PRODUCT or _State.chosen or _State.controller is None:
        return _NOTHING
    return _State.controller.limit(limits=os.cpu_count() or 1, user_api="blas")


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
    ready()
    with large(multiply_adds):  # dispatch is nothing beside a large product's work
        return a @ b


def set_num_threads(n: int | None) -> None:
    """BLAS threads for every product (``None``: back to one, more for large products)."""
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"set_num_threads: expected a whole number >= 1 (or None), got {n!r}")
    _State.chosen = n
    if _State.ready and _State.controller is not None:
        _State.controller.limit(limits=n or 1, user_api="blas")


def current_policy() -> str:
    if _from_environment():
        return "as the environment variables say"
    if _State.chosen:
        return f"{_State.chosen} thread{'s' if _State.chosen > 1 else ''} for every product (set_num_threads)"
    return f"1 thread below {LARGE_PRODUCT:,} multiply-adds, all cores above"
