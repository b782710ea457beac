"""BLAS threads: one for small products (they spin on a busy laptop), all cores for
large ones, set_num_threads(n) for every product, environment variables win; and
threadpoolctl is not imported until the first product."""
import os
import subprocess
import sys

import pytest

from tinygrad_edu.tensor.blas import ENVIRONMENT

PROBE = """
import sys, numpy as np, tinygrad_edu as tg
from tinygrad_edu import Tensor
from tinygrad_edu.tensor import blas
before = "threadpoolctl" in sys.modules
from threadpoolctl import threadpool_info
start = threadpool_info()[0]["num_threads"]
Tensor(np.ones((4, 4))) @ Tensor(np.ones((4, 4)))
after = threadpool_info()[0]["num_threads"]
with blas.large(10 ** 9):
    inside = threadpool_info()[0]["num_threads"]
class Spy:  # a product operand that reports the threads its product runs on
    def __matmul__(self, other):
        seen.append(threadpool_info()[0]["num_threads"])
seen = []
blas.product(Spy(), None, 10 ** 9), blas.product(Spy(), None, 10)
tg.set_num_threads(2)
chosen = threadpool_info()[0]["num_threads"]
print(before, start, after, inside, chosen, threadpool_info()[0]["num_threads"], *seen)
"""


def probe(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env={**clean, **env}, timeout=120)
    assert out.returncode == 0, out.stderr
    before, *counts = out.stdout.split()
    return before == "True", [int(c) for c in counts]


def test_small_products_run_on_one_thread_large_ones_on_every_core():
    imported_early, (start, after, inside, chosen, _, large, small) = probe()
    assert not imported_early                  # import tinygrad_edu stays light
    assert after == 1 and inside == (os.cpu_count() or 1) and chosen == 2
    assert large == (os.cpu_count() or 1) and small == 1  # blas.product picks by size


def test_the_environment_wins():
    _, (start, after, inside, chosen, _, large, small) = probe(OPENBLAS_NUM_THREADS="2")
    assert start == after == inside == large == small == 2  # left alone


def test_set_num_threads_checks_its_argument():
    import tinygrad_edu as tg
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="whole number >= 1"):
            tg.set_num_threads(bad)
