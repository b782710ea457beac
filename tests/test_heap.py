"""The allocator: importing the library and training leave glibc's malloc as it was
(glibc cannot report its thresholds, so the check is what they do: a freed array's pages
go back to the kernel and fault in again, as in a process that never imported the
library); keep_freed_memory() is opt-in (tensor/heap.py: the demos and benchmarks call
it) and then the same memory is reused; glibc's own environment variables win. Each
check runs in a fresh process."""
import os
import subprocess
import sys

import pytest

from tinygrad_edu.tensor.heap import ENVIRONMENT, _glibc

pytestmark = pytest.mark.skipif(not _glibc(), reason="the thresholds are glibc's mallopt")

# 8 arrays of 3 MB (under numpy's 4 MB huge-page size, so 768 pages each), made and
# freed 10 times: about 61,000 page faults when each cycle maps them afresh.
PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] != "bare":
    import tinygrad_edu as tg
    from tinygrad_edu import Tensor, nn, optim
    import tinygrad_edu.nn.functional as F
    from tinygrad_edu.nn.train import fit
    tg.manual_seed(0)
    model = nn.MLP(8, [16, 3]); opt = optim.SGD(model.parameters(), lr=0.1)
    x, y = np.ones((32, 8), np.float32), np.zeros(32, np.int64)
    for _ in range(3):                   # a plain training loop, then fit()
        loss = F.cross_entropy(model(Tensor(x)), Tensor(y))
        opt.zero_grad(); loss.backward(); opt.step()
    fit(model, x, y, epochs=1)
if sys.argv[1] == "opted-in":
    from tinygrad_edu.tensor.heap import keep_freed_memory
    assert keep_freed_memory()

def cycle():
    arrays = [np.ones(3 << 18, np.float32) for _ in range(8)]
    del arrays

cycle()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    cycle()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def page_faults(mode: str, **env) -> int:
    clean = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    result = subprocess.run([sys.executable, "-c", PROBE, mode], env={**clean, **env},
                            capture_output=True, text=True, timeout=120, check=True)
    return int(result.stdout)


def test_importing_and_training_leave_malloc_as_it_was():
    bare, trained = page_faults("bare"), page_faults("trained")
    assert bare > 30_000 and trained > 30_000          # pages given back and faulted in
    assert abs(trained - bare) < 0.1 * bare


def test_freed_memory_is_reused_once_asked_for():
    assert page_faults("opted-in") < 1_000


def test_glibc_environment_variables_win():
    clean = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    code = ("from tinygrad_edu.tensor.heap import keep_freed_memory; "
            "print(keep_freed_memory())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**clean, "MALLOC_TRIM_THRESHOLD_": str(128 * 1024)}, timeout=60)
    assert out.stdout.strip() == "False", out.stderr      # nothing changed
