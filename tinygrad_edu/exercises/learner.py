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
import errno
import linecache
import os
import signal
import sysconfig
import traceback

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple({sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib",
                                                         "platlib")} | {_PACKAGE})


CALL_SECONDS = 2.0    # the sandbox's limit per call of the learner's code
_CALL_LIMIT = [None]  # the limit in force: set in the sandbox only


def limit_calls(seconds: float | None) -> None:
    """Stop each later call of the learner's code after ``seconds`` (SIGALRM: for the
    sandbox's own process, never a notebook's)."""
    _CALL_LIMIT[0] = seconds


class _TookTooLong(BaseException):
    """Raised inside the learner's code by the alarm (a BaseException, so their own
    ``except Exception`` does not swallow it)."""


def _alarm(signum, frame):
    raise _TookTooLong


class NotStarted(Exception):
    """The learner's function still raises NotImplementedError."""


class LearnerRaised(Exception):
    """The learner's function raised; ``report`` says what and on which of their lines."""

    def __init__(self, report: str, exc_name: str):
        super().__init__(report)
        self.report, self.exc_name = report, exc_name


class LearnerTimedOut(LearnerRaised):
    """The learner's function ran past its time limit and was stopped."""


def status(error: LearnerRaised) -> str:
    """The Outcome status for what the learner's code did."""
    return "timeout" if isinstance(error, LearnerTimedOut) else "error"


def function(namespace, name: str):
    """The learner's ``name`` from a module or a dict, or NotStarted when it is missing."""
    fn = namespace.get(name) if isinstance(namespace, dict) else getattr(namespace, name, None)
    if not callable(fn):
        raise NotStarted(f"there is no function `{name}` in your file (the exercise asks for it)")
    return fn


def call(fn, *args, fresh: bool = True, seconds: float | None = None):
    """``fn(*args)``, on copies of the arguments unless ``fresh`` says they were made for
    this call (so the learner cannot change our inputs). In the sandbox each call stops
    after its limit (``seconds`` for this call, or the sandbox's)."""
    limit = (seconds or _CALL_LIMIT[0]) if _CALL_LIMIT[0] else None
    name = getattr(fn, "__name__", "your function")
    if limit:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return fn(*(copy.deepcopy(args) if fresh else args))
    except _TookTooLong as e:
        report = describe_error(name, e).replace(
            "raised _TookTooLong", f"took more than {limit:g} s and was stopped (an endless "
            "loop?)").replace("\n  at line", "\n  it was at line")
        raise LearnerTimedOut(report, "timeout") from None
    except NotImplementedError:
        raise NotStarted(f"`{name}` still raises NotImplementedError: fill it in") from None
    except RecursionError as e:
        raise LearnerRaised(describe_error(name, e) + "\n  (deep recursion: an endless loop of "
                            "calls, or a graph deeper than Python's recursion limit)",
                            "RecursionError") from None
    except MemoryError as e:
        raise LearnerRaised(describe_error(name, e) + "\n  (it asked for more memory than the "
                            "check allows)", "MemoryError") from None
    except Exception as e:  # their bug, whatever it is, becomes a report
        raise LearnerRaised(describe_error(name, e), type(e).__name__) from None
    finally:
        if limit:
            signal.setitimer(signal.ITIMER_REAL, 0)


def describe_error(name: str, exc: BaseException) -> str:
    """'NAME raised KIND: message' and the learner's last line in the traceback."""
    text = f"{name} raised {type(exc).__name__}: {exc}".rstrip(": ")
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:  # sandbox.OUTPUT_LIMIT
        text += " (the check stops printed output at 1 MB: a print inside a loop?)"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _theirs(f.filename)]
    if frames:
        f = frames[-1]
        line = (f.line or linecache.getline(f.filename, f.lineno)).strip()
        text += f"\n  at line {f.lineno} of {os.path.basename(f.filename)}: {line}"
    return text


def _theirs(filename: str) -> bool:
    path = os.path.abspath(filename)
    return not filename.startswith("<") and not path.startswith(_LIBRARY_DIRS)
