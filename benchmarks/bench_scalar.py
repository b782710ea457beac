"""Scalar engine speed: an MLP(2, [16, 16, 1]) training step on 64 points, and the
backward of a one-million-node chain (time and peak memory).

Run: python benchmarks/bench_scalar.py [--steps N]
When micrograd is importable the same work runs through it and the ratio is printed.
"""
from __future__ import annotations

import argparse
import random
import resource
import time

import numpy as np

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


def time_steps(model, X, y, steps):
    training_step(model, X, y)  # warm up
    best = float("inf")
    for _ in range(steps):
        t0 = time.perf_counter()
        training_step(model, X, y)
        best = min(best, time.perf_counter() - t0)
    return best


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
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--chain", type=int, default=1_000_000)
    args = parser.parse_args(argv)

    X, y = make_moons(64, noise=0.1, seed=0)
    y = np.where(y == 1, 1, -1)

    from tinygrad_edu.scalar import MLP as OurMLP
    ours = time_steps(OurMLP(2, [16, 16, 1], rng=random.Random(0)), X, y, args.steps)
    print(f"tinygrad_edu  MLP(2,[16,16,1]) x64 step: {ours:.4f} s")
    try:
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        micro = None
        print("micrograd not importable: pip install micrograd for the ratio")
    else:
        random.seed(0)
        micro = time_steps(MicroMLP(2, [16, 16, 1]), X, y, args.steps)
        print(f"micrograd     MLP(2,[16,16,1]) x64 step: {micro:.4f} s")
        print(f"speed-up over micrograd: {micro / ours:.1f}x (target >= 5x)")

    from tinygrad_edu.scalar import Value
    elapsed, peak_mib = chain_backward(Value, args.chain)
    print(f"tinygrad_edu  {args.chain:,}-op chain backward: {elapsed:.2f} s, "
          f"process peak RSS {peak_mib:.0f} MiB (graph + backward)")


if __name__ == "__main__":
    main()
