"""Measure how far the demos' headline figures move over seeds and CPUs.

Training results differ between CPUs because OpenBLAS picks its kernels per CPU and
each kernel rounds float32 sums its own way. OpenBLAS can be told to use another CPU's
kernels (OPENBLAS_CORETYPE), which shows the spread on one machine. This runs every
named demo (all but mlp_scalar by default) for each seed and each core type, prints
min / median / max of its HEADLINE beside the README's cell, and says whether the
README's figure covers every run. Usage:

    python scripts/measure_spread.py [--quick] [--seeds 0-4] [--cores default,Haswell,...]
                                     [--jobs 2] [--json FILE] [NAME ...]

Exit status 1 when a README figure misses a run (not with --quick: the README quotes
full runs; the --quick margins are asserted by tests/test_demos.py).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from check_readme_figures import NUMBER, ROOT, accepted, readme_figures

CORES = ("default", "Haswell", "Sandybridge", "Prescott", "Nehalem")   # five distinct kernels here (Zen runs Haswell's)


def core_env(core: str) -> dict:
    """This process's environment, with OpenBLAS told to use ``core``'s kernels
    ("default": as the machine has it)."""
    return os.environ | ({} if core == "default" else {"OPENBLAS_CORETYPE": core})


def run_demo(name: str, seed: int, core: str, quick: bool) -> dict:
    """One run of demos/NAME.py: its headline figure and the BLAS kernel it ran on."""
    env = core_env(core)
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, os.path.join(ROOT, "demos", f"{name}.py"), "--seed", str(seed),
                   "--out", out] + (["--quick"] if quick else [])
        result = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env, cwd=ROOT)
    match = re.search(rf"^HEADLINE [^:]+: ({NUMBER}|nan|inf) \((.*)\)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        raise RuntimeError(f"{name} seed {seed} on {core}: exit {result.returncode}: {result.stderr[-800:]}")
    return {"name": name, "seed": seed, "core": core, "value": float(match.group(1)),
            "meaning": match.group(2)}


def kernel_name(core: str) -> str:
    """The OpenBLAS kernel threadpoolctl reports under OPENBLAS_CORETYPE=core."""
    env = core_env(core)
    probe = ("import numpy, threadpoolctl; print(' '.join(i.get('architecture', '?') for i in "
             "threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas'))")
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env).stdout.strip()


def seed_range(text: str) -> list:
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--quick", action="store_true", help="the --quick runs (what CI runs)")
    parser.add_argument("--seeds", type=seed_range, default=seed_range("0-4"))
    parser.add_argument("--cores", default=",".join(CORES))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="also write every run to this file")
    args = parser.parse_args()
    figures = readme_figures()
    names = args.names or sorted(set(figures) - {"mlp_scalar"})
    cores = args.cores.split(",")
    for core in cores:
        print(f"OPENBLAS_CORETYPE={core}: kernel {kernel_name(core)}", flush=True)
    jobs = [(n, s, c) for n in names for c in cores for s in args.seeds]
    with ThreadPoolExecutor(args.jobs) as pool:
        runs = list(pool.map(lambda job: run_demo(*job, args.quick), jobs))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(runs, f, indent=1)
    missed = False
    for name in names:
        values = [r["value"] for r in runs if r["name"] == name]
        low, high = accepted(figures[name])
        covered = all(low <= v <= high for v in values)
        missed |= not covered
        print(f"{'ok ' if covered else 'BAD'} {name:20s} {len(values)} runs: min {min(values):.4g} "
              f"median {statistics.median(values):.4g} max {max(values):.4g}; README: {figures[name]}")
        for core in cores:
            row = [r for r in runs if r["name"] == name and r["core"] == core]
            print(f"      {core:12s} " + " ".join(f"{r['value']:.4g}" for r in row))
    return 1 if missed and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
