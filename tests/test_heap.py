"""After the first matrix product, memory a step frees is kept for the next one instead
of being faulted in again page by page (tensor/heap.py, glibc only); glibc's own
environment variables win. Each check runs in a fresh process."""
import os
import subprocess
import sys

import pytest

from tinygrad_edu.tensor.heap import ENVIRONMENT, _glibc

pytestmark = pytest.mark.skipif(not _glibc(), reason="the thresholds are glibc's mallopt")

# 8 arrays of 3 MB (under numpy's 4 MB huge-page size, so 768 pages each), made and
# freed 10 times: about 61,000 page faults when each cycle maps them afresh.
PROBE = """
import resource
import numpy as np
from tinygrad_edu import Tensor
a = Tensor(np.ones((2, 2), np.float32))
a @ a

def cycle():
    arrays = [np.ones(3 << 18, np.float32) for _ in range(8)]
    del arrays

cycle()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    cycle()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def page_faults(**env) -> int:
    clean = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    result = subprocess.run([sys.executable, "-c", PROBE], env={**clean, **env},
                            capture_output=True, text=True, timeout=120, check=True)
    return int(result.stdout)


def test_freed_memory_is_reused_after_the_first_product():
    assert page_faults() < 1_000


def test_glibc_environment_variables_win():
    assert page_faults(MALLOC_TRIM_THRESHOLD_=str(128 * 1024)) > 30_000
