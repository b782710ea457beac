"""Peak memory of the MLP benchmarks' training steps: tinygrad_edu against the hand-written
numpy version of the same net (bench_mlp.py), each in a fresh process with the same
imports, 50 steps. Prints the process peak RSS and the peak above the set-up (the
memory the steps themselves took), and their ratios.

Run: python benchmarks/bench_memory.py          Target: peak RSS <= 1.5x numpy.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {"784-16-16-10, batch 64": ([16, 16, 10], 64), "784-256-256-10, batch 128": ([256, 256, 10], 128)}
STEPS = 50


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def child(case: str, contender: str) -> None:
    """Set up one contender, run its steps, print 'set-up peak, final peak' in KiB."""
    sys.path.insert(0, HERE)
    import bench_mlp  # noqa: F401 (both contenders import the same modules)
    sizes, batch = CASES[case]
    x, y = bench_mlp.make_data(batch)
    make = bench_mlp.tinygrad_step_fn if contender == "tinygrad_edu" else bench_mlp.numpy_step_fn
    step = make(sizes, x, y)
    before = peak_kib()
    for _ in range(STEPS):
        step()
    print(before, peak_kib())


def measure(case: str, contender: str) -> tuple:
    out = subprocess.run([sys.executable, __file__, "--child", case, contender], check=True,
                         capture_output=True, text=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    before, after = (int(v) for v in out.stdout.split())
    return after, after - before


def main():
    for case in CASES:
        ours, numpy_ = measure(case, "tinygrad_edu"), measure(case, "numpy")
        print(f"MLP {case}, {STEPS} steps:")
        for name, (peak, steps) in (("tinygrad_edu", ours), ("numpy", numpy_)):
            print(f"  {name:<13} peak RSS {peak / 1024:6.1f} MiB, of which the steps {steps / 1024:5.1f} MiB")
        print(f"  ratio tinygrad_edu / numpy: peak {ours[0] / numpy_[0]:.2f}x (target <= 1.5x), "
              f"steps {ours[1] / max(numpy_[1], 1):.2f}x")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
