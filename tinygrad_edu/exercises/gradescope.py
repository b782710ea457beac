"""Gradescope's autograder results.json, from Outcomes.

The keys are those Gradescope documents (gradescope-autograders "Autograder
Specifications": top level score, execution_time, output, tests; per test score,
max_score, name, number, output), so a teacher uploads the file unchanged.

>>> from tinygrad_edu.exercises.outcome import Outcome
>>> r = results([Outcome("mul", "pass", "right"), Outcome("tanh", "wrong", "wrong")], 1.5)
>>> r["score"], [t["max_score"] for t in r["tests"]]
(1.0, [1.0, 1.0])
"""
from __future__ import annotations

import json
import os

TOP_KEYS = ("score", "execution_time", "output", "tests")
TEST_KEYS = ("score", "max_score", "name", "number", "output")


def results(outcomes: list, seconds: float, points: float = 1.0) -> dict:
    """The results.json content: one test per exercise, ``points`` each."""
    tests = [{"score": points * o.score, "max_score": points, "name": o.name,
              "number": str(k + 1), "output": o.message} for k, o in enumerate(outcomes)]
    right = sum(o.passed for o in outcomes)
    return {"score": sum(t["score"] for t in tests), "execution_time": round(seconds, 2),
            "output": f"{right} of {len(outcomes)} exercises right", "tests": tests}


def write(data: dict, folder: str) -> str:
    """Write ``folder/results.json`` atomically (core.files: a new file gets the umask's mode)."""
    from ..core.files import atomic_write
    return atomic_write(os.path.join(folder, "results.json"), json.dumps(data, indent=2) + "\n")
