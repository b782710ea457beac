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


def interleaved(fns: dict, blocks: int = 30, block: int = 10, warmup: int = 3) -> dict:
    """Time several contenders in alternating blocks of ``block`` calls, so machine noise
    hits them alike; return each one's median over its block medians. Each block starts
    with ``warmup`` untimed calls and the order rotates every block, so no contender always
    runs right after the same other one (whose cache footprint it would inherit). The
    median of many blocks shrugs off a noisy neighbour's bursts."""
    medians = {name: [] for name in fns}
    names = list(fns)
    for i in range(blocks):
        for name in names[i % len(names):] + names[:i % len(names)]:
            medians[name].append(seconds_per_call(fns[name], block, warmup=warmup))
    return {name: statistics.median(m) for name, m in medians.items()}


def against_numpy(fns: dict, **kwargs) -> dict:
    """Seconds per call of each contender in ``fns`` (which holds "tinygrad_edu" and
    "numpy", perhaps "torch"). tinygrad_edu and numpy alternate with each other only; any
    other contender runs in its own interleaved session against numpy and is reported in
    the first session's numpy units (its time x numpy's first time / numpy's own-session
    time), so a third contender's cache footprint cannot tilt the ratio a target is about."""
    times = interleaved({name: fns[name] for name in ("tinygrad_edu", "numpy")}, **kwargs)
    for name, fn in fns.items():
        if name not in times:
            session = interleaved({name: fn, "numpy": fns["numpy"]}, **kwargs)
            times[name] = session[name] * times["numpy"] / session["numpy"]
    return times


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
