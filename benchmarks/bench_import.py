"""How long `python -c "import tinygrad_edu"` takes, in fresh processes, beside the floor:
`import numpy` (which tinygrad_edu needs) and a bare interpreter. rich, graphviz,
threadpoolctl, torch and browser tooling are imported only where they are used.

Run: python benchmarks/bench_import.py        (target: < 0.3 s)
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 9


def seconds(code: str) -> float:
    """Median wall time of a fresh interpreter running ``code``."""
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    times = {"python (nothing)": seconds("pass"), "import numpy": seconds("import numpy"),
             "import tinygrad_edu": seconds("import tinygrad_edu")}
    for what, t in times.items():
        print(f"  {what:22s} {t:.3f} s")
    extra = times["import tinygrad_edu"] - times["import numpy"]
    print(f"import tinygrad_edu: {times['import tinygrad_edu']:.2f} s (target < 0.3 s), "
          f"{extra:.2f} s more than numpy alone")


if __name__ == "__main__":
    main()
