"""Shared timing helper for the benchmarks: the median of repeated runs after warm-up."""
from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
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


def interleaved(fns: dict, blocks: int = 30, block: int = 10, warmup: int = 3,
                prepare: dict | None = None) -> dict:
    """Time several contenders in alternating blocks of ``block`` calls, so machine noise
    hits them alike; return each one's median over its block medians. Each block starts
    with ``prepare[name]()`` when given (a contender's own settings, e.g. PyTorch's thread
    count) and ``warmup`` untimed calls; the order rotates every block, so no contender
    always runs right after the same other one (whose cache footprint it would inherit).
    The median of many blocks shrugs off a noisy neighbour's bursts. Each block starts
    with a full garbage collection, untimed: else a contender pays for the reference
    cycles the one before it left (micrograd's closures made our scalar step read 0.117 s
    beside it against 0.096-0.105 s alone); its own cycles it still pays for."""
    medians = {name: [] for name in fns}
    names = list(fns)
    prepare = prepare or {}
    for i in range(blocks):
        for name in names[i % len(names):] + names[:i % len(names)]:
            if name in prepare:
                prepare[name]()
            gc.collect()
            medians[name].append(seconds_per_call(fns[name], block, warmup=warmup))
    return {name: statistics.median(m) for name, m in medians.items()}


def time_cases(cases: dict, **kwargs) -> dict:
    """Seconds per call of every contender of every case. ``cases`` maps a case name to
    {contender: factory}, each factory making a step function when called; every case has
    "tinygrad_edu" and "numpy", perhaps "torch" (a factory of PyTorch steps, timed as
    the two contenders of ``torch_contenders``).

    Each case's tinygrad_edu/numpy pair is built just before it is timed and alternates
    on its own, all pairs first. Only then are the PyTorch contenders built and run, in
    their own session against numpy (its numpy time is ``BESIDE_TORCH``'s); ratios to
    PyTorch go through numpy (``print_case``). PyTorch steps, and even other cases'
    models, shift the cache and allocator state the next contender meets.
    """
    results = {}
    for case, factories in cases.items():
        pair = {name: factories[name]() for name in ("tinygrad_edu", "numpy")}
        results[case] = interleaved(pair, **kwargs)
    for case, factories in cases.items():
        if "torch" not in factories:
            continue
        times = results[case]
        steps, prepare = torch_contenders(factories["torch"])
        session = interleaved({**steps, "numpy": factories["numpy"]()}, prepare=prepare, **kwargs)
        times.update({name: session[name] for name in steps})
        times[BESIDE_TORCH] = session["numpy"]
    return results


def time_torch_alone(cases: dict, **kwargs) -> dict:
    """Only the PyTorch contenders of each case, alternating; for a process that has
    nothing else in it (``run``'s cross-check)."""
    results = {}
    for case, factories in cases.items():
        if "torch" in factories:
            steps, prepare = torch_contenders(factories["torch"])
            results[case] = interleaved(steps, prepare=prepare, **kwargs)
    return results


BESIDE_TORCH = "numpy beside torch"


def print_case(title: str, times: dict, target: float, unit: str = "us") -> None:
    """Seconds per step of each contender and the ratios, as the benchmarks print them.
    PyTorch's times are its own session's; the ratio to it is tinygrad_edu's to numpy in
    their session times numpy's to PyTorch in PyTorch's."""
    scale = {"us": 1e6, "ms": 1e3}[unit]
    print(f"{title}:")
    for who, t in times.items():
        print(f"  {who:18s} {t:.3e} s/step ({t * scale:7.2f} {unit})")
    ours = times["tinygrad_edu"] / times["numpy"]
    print(f"  ratio tinygrad_edu / numpy: {ours:.2f}x (target <= {target}x)")
    for who in times:
        if who.startswith("torch"):
            print(f"  ratio tinygrad_edu / {who}: {ours * times[BESIDE_TORCH] / times[who]:.2f}x")


class _Torch:
    default_threads = None   # PyTorch's own choice, read before anything changes it


def seeded_torch():
    """PyTorch, imported on first use and seeded. Its thread count is left to
    ``torch_contenders``, which sets it before each block."""
    import torch
    if _Torch.default_threads is None:
        _Torch.default_threads = torch.get_num_threads()
    torch.manual_seed(0)
    return torch


def torch_contenders(factory):
    """PyTorch at its own default thread count and on one thread: two contenders, each
    built from ``factory`` (same seed, so the same model) and each with a ``prepare``
    that sets its threads before every block. Until 2026-12 the harness set one thread
    for good, so its PyTorch figure was a 1-thread one (7.0 ms for the LSTM where
    PyTorch alone, at its default 2 threads, took 5.2-6.3 ms on a quiet 2-core EPYC)."""
    torch = seeded_torch()
    default = _Torch.default_threads
    steps, prepare = {}, {}
    for label, n in ([(f"torch {default} threads", default)] if default > 1 else []) + \
            [("torch 1 thread", 1)]:
        steps[label] = factory()
        prepare[label] = (lambda n=n: torch.set_num_threads(n))
    return steps, prepare


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


def load_average() -> str:
    """The 1-minute load average: beside every figure, since a loaded machine skews it."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def cpu_model() -> str:
    """The CPU's name from /proc/cpuinfo (Linux), else what the platform says."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform
    return platform.processor() or platform.machine()


def machine_header(load: str | None = None) -> str:
    """Where the figures come from: the CPU, the BLAS kernels threadpoolctl finds (numpy's
    OpenBLAS picks one per CPU; OPENBLAS_CORETYPE overrides it), PyTorch's default
    threads when it is loaded, and the load average."""
    from threadpoolctl import threadpool_info
    lines = [f"CPU: {cpu_model()}; {load or load_average()}"]
    for lib in threadpool_info():
        if lib["user_api"] == "blas":
            lines.append(f"BLAS: {lib['internal_api']} {lib.get('version')}, kernel "
                         f"{lib.get('architecture')}, {lib['num_threads']} thread(s) "
                         f"({os.path.basename(lib['filepath'])})")
    if os.environ.get("OPENBLAS_CORETYPE"):
        lines.append(f"OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}")
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        lines.append(f"torch {torch.__version__}: {_Torch.default_threads or torch.get_num_threads()} "
                     f"threads by default, MKL {'on' if torch.backends.mkl.is_available() else 'off'}")
    return "\n".join(lines)


def run(script: str, cases: dict, targets: dict, unit: str = "us", **kwargs) -> None:
    """A benchmark's main: the header, every case (``time_cases``), and, as a check on the
    harness, PyTorch alone in a fresh process (``script --torch-alone``) with nothing of
    the benchmark's changed: neither ``program_settings()``'s allocator nor its threads.
    """
    if "--torch-alone" in sys.argv[1:]:
        for title, times in time_torch_alone(cases, **kwargs).items():
            print(f"{title}: " + ", ".join(f"{who} {t * 1e3:.2f} ms" for who, t in times.items()))
        print(f"({load_average()})")
        return
    from tinygrad_edu.tensor.blas import program_settings
    program_settings()  # as the demos: one BLAS thread, freed memory kept (tensor/heap.py)
    load = load_average() + " before the runs"
    results = time_cases(cases, **kwargs)
    print(machine_header(load))
    for title, times in results.items():
        print_case(title, times, targets[title], unit=unit)
    print(f"after the runs: {load_average()}")
    if any("torch" in factories for factories in cases.values()):
        print("PyTorch alone in a fresh process (default allocator; a cross-check):")
        alone = subprocess.run([sys.executable, script, "--torch-alone"], capture_output=True,
                               text=True, check=True)
        print("  " + alone.stdout.strip().replace("\n", "\n  "))
