"""BLAS threads change only where asked: inside fit() and the library's own programs (one
thread for small products, every core for large ones, the process's threads again
afterwards), and for the whole process when the user calls set_num_threads(n).
Importing the library and training with a plain loop leave them alone, and
threadpoolctl is not imported for it. Each check runs in a fresh process."""
import os
import subprocess
import sys

import pytest

from tinygrad_edu.tensor.blas import ENVIRONMENT

PROBE = """
import sys, numpy as np
from threadpoolctl import threadpool_info
def threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
start = threads()
import tinygrad_edu as tg
from tinygrad_edu import Tensor, nn, optim
from tinygrad_edu.tensor import blas
import tinygrad_edu.nn.functional as F
imported = threads()
tg.manual_seed(0)
model = nn.MLP(8, [16, 3]); opt = optim.SGD(model.parameters(), lr=0.1)
x, y = Tensor(np.ones((32, 8), np.float32)), Tensor(np.zeros(32, np.int64))
for _ in range(3):                       # a plain training loop
    loss = F.cross_entropy(model(x), y); opt.zero_grad(); loss.backward(); opt.step()
plain = threads()
class Spy:  # an operand that reports the threads its product runs on
    def __matmul__(self, other):
        seen.append(threads()[0])
seen = []
def fitting_loss(out, target):
    blas.product(Spy(), None, 10 ** 9); blas.product(Spy(), None, 10)
    return F.cross_entropy(out, target)
from tinygrad_edu.nn.train import fit
fit(model, np.ones((4, 8), np.float32), np.zeros(4, np.int64), epochs=1, loss_fn=fitting_loss)
after_fit = threads()
tg.set_num_threads(1)
chosen = threads()
tg.set_num_threads(None)
print(start[0], imported[0], plain[0], after_fit[0], chosen[0], threads()[0], *seen)
"""


def probe(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env={**clean, **env}, timeout=120)
    assert out.returncode == 0, out.stderr
    return [int(c) for c in out.stdout.split()]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every count is 1 anyway")
def test_threads_change_only_inside_fit_and_when_asked():
    cores = os.cpu_count()
    start, imported, plain, after_fit, chosen, reset, large, small = probe()
    assert start == cores                                  # OpenBLAS's default: every core
    assert imported == plain == start                      # import and a plain loop: untouched
    assert (large, small) == (cores, 1)                    # inside fit(): by size
    assert after_fit == start                              # fit() puts them back
    assert chosen == 1 and reset == start                  # set_num_threads(n), then None


def test_the_environment_wins_inside_fit():
    start, imported, plain, after_fit, chosen, reset, large, small = probe(OPENBLAS_NUM_THREADS="2")
    assert start == imported == plain == after_fit == large == small == reset == 2
    assert chosen == 1                                     # asked for by the user: applied


def test_importing_does_not_import_threadpoolctl():
    out = subprocess.run([sys.executable, "-c", "import sys, tinygrad_edu; "
                          "print('threadpoolctl' in sys.modules)"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_set_num_threads_checks_its_argument():
    import tinygrad_edu as tg
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="whole number >= 1"):
            tg.set_num_threads(bad)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every count is 1 anyway")
def test_a_program_of_the_library_keeps_one_thread_to_its_end():
    clean = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    code = ("from threadpoolctl import threadpool_info; "
            "from tinygrad_edu.tensor.blas import program_settings, training_threads; "
            "program_settings()\n"
            "with training_threads(): pass\n"          # an inner fit() leaves it as it was
            "print([p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas'][0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=clean, timeout=60)
    assert out.stdout.split() == ["1"] and not out.stderr, out.stderr
