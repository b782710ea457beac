"""Exercises: learners write the derivatives, the tool grades them and shows where they
went wrong (``tinygrad-edu exercise ...`` on the command line; the same from Python).

>>> from tinygrad_edu import exercises
>>> exercises.names()[:4]
['mul', 'tanh', 'pow', 'neuron']
>>> def derivative(x, out):        # a learner's tanh, with a classic slip
...     return 1 - x ** 2
>>> outcome = exercises.check_functions("tanh", {"derivative": derivative})
>>> outcome.passed, outcome.mistake
(False, 'used the input where the output was meant')

A notebook grades itself with ``exercises.check_functions(NAME, globals())``; files
written by ``start`` are checked with ``check(NAME, folder)``, in a separate process
with a time and memory limit.
"""
from __future__ import annotations

import os
import time

from .catalogue import ExerciseError, names, task
from .files import WouldOverwrite, exercise_path, folder_ready, next_hint, start
from .outcome import Outcome

__all__ = ["ExerciseError", "Outcome", "WouldOverwrite", "check", "check_functions",
           "exercise_path", "grade", "names", "next_hint", "start", "summaries"]


def summaries() -> list:
    """(name, one-line summary) per exercise, in course order."""
    return [(name, task(name).SUMMARY) for name in names()]


def check_functions(name: str, namespace) -> Outcome:
    """Check the learner's functions here, in this process (a dict such as ``globals()``,
    or a module): for notebooks, which already run the learner's code."""
    return task(name).check(namespace)


def check(name: str, folder: str = "exercises", seconds: float | None = None) -> Outcome:
    """Check ``folder/name.py`` in a sandboxed child process (time and memory limits)."""
    from .sandbox import run_check
    task(name)
    path = exercise_path(name, folder_ready(folder, create=False))
    if not os.path.isfile(path):
        return Outcome(name, "missing", f"{name}: {path} does not exist; start it with  "
                       f"tinygrad-edu exercise start {name} --dir {folder}")
    return run_check(name, path, seconds)


def grade(folder: str) -> tuple:
    """(outcomes for every exercise, in course order, seconds taken) for ``folder``."""
    folder_ready(folder, create=False)
    began = time.monotonic()
    outcomes = [check(name, folder) for name in names()]
    return outcomes, time.monotonic() - began
