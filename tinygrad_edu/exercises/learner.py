"""Calling the learner's code: their exceptions become plain reports naming their line.

>>> def derivative(x, out):
...     return 1 / 0
>>> try:
...     call(derivative, 1.0, 0.5)
... except LearnerRaised as e:
...     print(e.report.splitlines()[0])
derivative raised ZeroDivisionError: division by zero
"""
from __future__ import annotations

import copy
import linecache
import os
import sysconfig
import traceback

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple({sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib",
                                                         "platlib")} | {_PACKAGE})


class NotStarted(Exception):
    """The learner's function still raises NotImplementedError."""


class LearnerRaised(Exception):
    """The learner's function raised; ``report`` says what and on which of their lines."""

    def __init__(self, report: str, exc_name: str):
        super().__init__(report)
        self.report, self.exc_name = report, exc_name


def function(namespace, name: str):
    """The learner's ``name`` from a module or a dict, or NotStarted when it is missing."""
    fn = namespace.get(name) if isinstance(namespace, dict) else getattr(namespace, name, None)
    if not callable(fn):
        raise NotStarted(f"there is no function `{name}` in your file (the exercise asks for it)")
    return fn


def call(fn, *args, fresh: bool = True):
    """``fn(*args)``, on copies of the arguments unless ``fresh`` says they were made for
    this call (so the learner cannot change our inputs)."""
    try:
        return fn(*(copy.deepcopy(args) if fresh else args))
    except NotImplementedError:
        raise NotStarted(f"`{fn.__name__}` still raises NotImplementedError: fill it in") from None
    except RecursionError as e:
        raise LearnerRaised(_report(fn.__name__, e) + "\n  (deep recursion: an endless loop of "
                            "calls, or a graph deeper than Python's recursion limit)",
                            "RecursionError") from None
    except MemoryError as e:
        raise LearnerRaised(_report(fn.__name__, e) + "\n  (it asked for more memory than the "
                            "check allows)", "MemoryError") from None
    except Exception as e:  # their bug, whatever it is, becomes a report
        raise LearnerRaised(_report(fn.__name__, e), type(e).__name__) from None


def _report(name: str, exc: BaseException) -> str:
    """'NAME raised KIND: message' and the learner's last line in the traceback."""
    text = f"{name} raised {type(exc).__name__}: {exc}".rstrip(": ")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _theirs(f.filename)]
    if frames:
        f = frames[-1]
        line = (f.line or linecache.getline(f.filename, f.lineno)).strip()
        text += f"\n  at line {f.lineno} of {os.path.basename(f.filename)}: {line}"
    return text


def _theirs(filename: str) -> bool:
    path = os.path.abspath(filename)
    return not filename.startswith("<") and not path.startswith(_LIBRARY_DIRS)
