"""Speed on a busy machine: the overfitting and vanishing-gradients demos (--quick) and
the headline benchmarks, first quiet, then beside two other numpy jobs (matmul loops
with numpy's default BLAS threads, started and stopped here). Prints busy/quiet ratios;
a fair share of 2 cores with two other jobs running is about 1.5-2.5x.

Run: python benchmarks/bench_busy.py        (target: busy/quiet <= 4x)
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOG = """
import numpy as np, time
a = np.random.default_rng(0).random((400, 400))
end = time.time() + 900
while time.time() < end:
    a @ a
"""
WORK = {
    "overfitting --quick": [os.path.join(ROOT, "demos", "overfitting.py"), "--quick"],
    "vanishing_gradients --quick": [os.path.join(ROOT, "demos", "vanishing_gradients.py"), "--quick"],
    "bench_mlp.py": [os.path.join(ROOT, "benchmarks", "bench_mlp.py")],
    "bench_cnn_lstm.py": [os.path.join(ROOT, "benchmarks", "bench_cnn_lstm.py")],
}


def seconds(command, out) -> float:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    start = time.perf_counter()
    subprocess.run([sys.executable, *command, "--out", out] if "demos" in command[0] else
                   [sys.executable, *command], env=env, capture_output=True, check=True,
                   timeout=1800)
    return time.perf_counter() - start


def main():
    out = tempfile.mkdtemp(prefix="bench-busy-")
    quiet = {name: seconds(cmd, out) for name, cmd in WORK.items()}
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(2)]
    try:
        time.sleep(1.0)
        busy = {name: seconds(cmd, out) for name, cmd in WORK.items()}
    finally:
        for hog in hogs:
            hog.kill()
    for name in WORK:
        print(f"{name:30s} quiet {quiet[name]:6.1f} s   busy {busy[name]:6.1f} s   "
              f"busy/quiet {busy[name] / quiet[name]:.1f}x (target <= 4x)")


if __name__ == "__main__":
    main()
