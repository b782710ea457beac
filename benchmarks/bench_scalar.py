"""Scalar engine speed: an MLP(2, [16, 16, 1]) training step on 64 points, and the
backward of a one-million-node chain (time and peak memory).

Run: python benchmarks/bench_scalar.py [--blocks N]
When micrograd is importable the same work runs through it, in blocks alternating with
ours, and the ratio of the medians is printed. Targets (issue 29): >= 6x micrograd; the
chain's backward under 0.8 s and 500 MB.
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import time

import numpy as np

from timing import interleaved, load_average, machine_header
from tinygrad_edu.data import make_moons


def training_step(model, X, y, lr=0.05):
    """Forward + hinge loss + backward + SGD update; works for either engine."""
    scores = [model(list(map(float, x))) for x in X]
    losses = [(1 + -float(yi) * s).relu() for yi, s in zip(y, scores)]
    loss = sum(losses) * (1.0 / len(losses))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def chain_backward(value_cls, n):
    """Build x*1.0000001 repeated n times; time backward; report the process's peak RSS."""
    x = value_cls(1.0)
    y = x
    for _ in range(n):
        y = y * 1.0000001
    t0 = time.perf_counter()
    y.backward()
    elapsed = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return elapsed, peak_mib


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=7)
    parser.add_argument("--chain", type=int, default=1_000_000)
    args = parser.parse_args(argv)

    X, y = make_moons(64, noise=0.1, seed=0)
    y = np.where(y == 1, 1, -1)
    load = load_average() + " before the runs"

    from tinygrad_edu.scalar import MLP as OurMLP
    models = {"tinygrad_edu": OurMLP(2, [16, 16, 1], rng=random.Random(0))}
    try:
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        print("micrograd not importable: pip install micrograd for the ratio")
    else:
        random.seed(0)
        models["micrograd"] = MicroMLP(2, [16, 16, 1])
    steps = {name: (lambda m=m: training_step(m, X, y)) for name, m in models.items()}
    times = interleaved(steps, blocks=args.blocks, block=3, warmup=1)
    print(machine_header(load))
    for name, t in times.items():
        print(f"{name:13s} MLP(2,[16,16,1]) x64 step: {t:.4f} s (median of {args.blocks} "
              "alternating blocks)")
    if "micrograd" in times:
        print(f"speed-up over micrograd: {times['micrograd'] / times['tinygrad_edu']:.1f}x "
              "(target >= 6x)")

    from tinygrad_edu.scalar import Value
    runs = [chain_backward(Value, args.chain) for _ in range(3)]
    elapsed, peak_mib = statistics.median(t for t, _ in runs), max(m for _, m in runs)
    print(f"tinygrad_edu  {args.chain:,}-op chain backward: {elapsed:.2f} s (median of 3), "
          f"process peak RSS {peak_mib:.0f} MiB (graph + backward; target < 0.8 s, < 500 MB)")
    print(f"after the runs: {load_average()}")


if __name__ == "__main__":
    main()
