"""Shared timing helper for the benchmarks: the median of repeated runs after warm-up."""
from __future__ import annotations

import statistics
import time


def seconds_per_call(fn, repeats: int = 50, warmup: int = 5) -> float:
    """Median wall time of ``fn()`` over ``repeats`` calls (medians resist noisy neighbours)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def interleaved(fns: dict, rounds: int = 5, repeats: int = 20) -> dict:
    """Time several contenders in alternating rounds, so machine noise hits them alike;
    return each one's best round median."""
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            best[name] = min(best[name], seconds_per_call(fn, repeats, warmup=2))
    return best


def training_step(loss_fn, optimizer):
    """A step function: loss, zero_grad, backward, step. tinygrad_edu and PyTorch share
    these names, so one helper serves both contenders."""
    def step():
        loss = loss_fn()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss
    return step
