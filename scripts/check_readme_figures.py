"""Run the demos and check that the README's demo table quotes what they print.

Each row's "headline (full run)" cell starts with the figure: a number, matched to the
digits it is written with (0.964 means 0.9635-0.9645), or a range "a-b" for figures
that vary from run to run. Run: python scripts/check_readme_figures.py [NAME ...]
(tests/test_readme_figures.py runs it on the fast demos in CI).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NUMBER = r"[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?"


def readme_figures() -> dict:
    """demo name -> the headline cell of its row in the README's demo table."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    table = text.split("| demo | shows | headline (full run) | time |")[1].split("\n\n")[0]
    rows = [re.split(r"(?<!\\)\|", line)[1:-1] for line in table.strip().splitlines()[1:]]
    return {cells[0].strip(): cells[2].strip() for cells in rows}


def accepted(cell: str) -> tuple:
    """(low, high) the cell's figure allows."""
    match = re.search(rf"({NUMBER})(?:-({NUMBER}))?", cell)
    if match.group(2):
        return float(match.group(1)), float(match.group(2))
    written = match.group(1)
    mantissa = written.split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(written.split("e")[1]) if "e" in written else 0
    half_step = 0.5 * 10.0 ** (exponent - decimals)
    return float(written) - half_step, float(written) + half_step


def headline(name: str) -> float:
    """Run demos/NAME.py (full run) and read its HEADLINE figure."""
    result = subprocess.run([sys.executable, os.path.join(ROOT, "demos", f"{name}.py"), "--out",
                             os.path.join(ROOT, ".demo_out", name)], capture_output=True,
                            text=True, timeout=600, cwd=ROOT)
    match = re.search(rf"^HEADLINE [^:]+: ({NUMBER}|nan|inf) \(", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        raise RuntimeError(f"{name}: no HEADLINE (exit {result.returncode}): {result.stderr[-500:]}")
    return float(match.group(1))


def check(names=None) -> list:
    """(name, printed, README cell, ok) for each demo checked."""
    figures = readme_figures()
    results = []
    for name in names or sorted(figures):
        low, high = accepted(figures[name])
        value = headline(name)
        results.append((name, value, figures[name], low <= value <= high))
    return results


if __name__ == "__main__":
    rows = check(sys.argv[1:] or None)
    for name, value, cell, ok in rows:
        print(f"{'ok ' if ok else 'BAD'} {name:20s} prints {value:.4g}; README says {cell}")
    sys.exit(0 if all(ok for *_, ok in rows) else 1)
