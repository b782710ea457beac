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


def interleaved(fns: dict, blocks: int = 30, block: int = 10) -> dict:
    """Time several contenders in alternating blocks of ``block`` calls (a, b, a, b, ...),
    so machine noise hits them alike; return each one's median over its block medians.
    The median of many blocks shrugs off a noisy neighbour's bursts, which a best-of-few
    rounds does not."""
    medians = {name: [] for name in fns}
    for name, fn in fns.items():
        seconds_per_call(fn, repeats=1, warmup=block)
    for _ in range(blocks):
        for name, fn in fns.items():
            medians[name].append(seconds_per_call(fn, block, warmup=1))
    return {name: statistics.median(m) for name, m in medians.items()}


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
