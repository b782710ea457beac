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


def time_cases(cases: dict, **kwargs) -> dict:
    """Seconds per call of every contender of every case. ``cases`` maps a case name to
    {contender: factory}, each factory making a step function when called; every case has
    "tinygrad_edu" and "numpy", perhaps "torch".

    Each case's tinygrad_edu/numpy pair is built just before it is timed and alternates
    on its own, all pairs first. Only then is any other contender (PyTorch) built and
    run, in its own session against numpy, and reported in the pair session's numpy
    units (x numpy's pair time / numpy's own-session time). PyTorch steps, and even
    other cases' models, shift the cache and allocator state the next contender meets.
    """
    results = {}
    for case, factories in cases.items():
        pair = {name: factories[name]() for name in ("tinygrad_edu", "numpy")}
        results[case] = interleaved(pair, **kwargs)
    for case, factories in cases.items():
        times = results[case]
        for name, factory in factories.items():
            if name not in times:
                session = interleaved({name: factory(), "numpy": factories["numpy"]()}, **kwargs)
                times[name] = session[name] * times["numpy"] / session["numpy"]
    return results


def print_case(title: str, times: dict, target: float, unit: str = "us") -> None:
    """Seconds per step of each contender and the ratios, as the benchmarks print them."""
    scale = {"us": 1e6, "ms": 1e3}[unit]
    print(f"{title}:")
    for who, t in times.items():
        print(f"  {who:13s} {t:.3e} s/step ({t * scale:7.2f} {unit})")
    print(f"  ratio tinygrad_edu / numpy: {times['tinygrad_edu'] / times['numpy']:.2f}x "
          f"(target <= {target}x)")
    if "torch" in times:
        print(f"  ratio tinygrad_edu / torch: {times['tinygrad_edu'] / times['torch']:.2f}x "
              "(torch timed in its own session against numpy)")


def seeded_torch():
    """PyTorch, imported on first use, seeded and on one thread like the others."""
    import torch
    torch.manual_seed(0)
    torch.set_num_threads(1)
    return torch


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
