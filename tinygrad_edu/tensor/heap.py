"""Freed memory kept for the next training step (glibc's ``mallopt``), so a step does
not pay to take the same memory back from the kernel, page by page, every time.

A CNN step allocates and frees tens of MB of temporaries (im2col columns, activations,
their gradients). By default glibc returns freed memory to the kernel once a few MB are
free at the top of its heap, and every large array is a fresh mapping, so the next step
faults the same pages in again: the CNN benchmark step took 2,191 page faults and spent
about half its time in the kernel (11 ms a step; 5.2 ms with the thresholds below; the
hand-written numpy version 13 ms -> 4.8 ms). With them, arrays up to 16 MB come from
the heap and up to 128 MB of freed memory stays there for reuse.

It changes the whole process's allocator (numpy's, PyTorch's, everything's) and glibc
cannot say what the thresholds were, so the library never calls it by itself: programs
that own their process opt in (``blas.program_settings()``: the demos, the benchmarks),
and so can a learner. glibc's own environment variables (MALLOC_MMAP_THRESHOLD_,
MALLOC_TRIM_THRESHOLD_, ...) give the same without code, and win when set: then nothing
is changed. Elsewhere than glibc it does nothing.

>>> MMAP_THRESHOLD >> 20, TRIM_THRESHOLD >> 20     # MB
(16, 128)
"""
from __future__ import annotations

import ctypes
import os

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3      # glibc's <malloc.h>
MMAP_THRESHOLD = 16 << 20     # larger arrays still get their own mapping
TRIM_THRESHOLD = 128 << 20    # free memory kept at the top of the heap
ENVIRONMENT = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
               "MALLOC_MMAP_MAX_")


def _glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (AttributeError, ValueError, OSError):   # not a glibc system
        return False


def keep_freed_memory() -> bool:
    """Set glibc's thresholds (see the module doc); True when they were set."""
    if any(os.environ.get(name) for name in ENVIRONMENT) or not _glibc():
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and \
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
