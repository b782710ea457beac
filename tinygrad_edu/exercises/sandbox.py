"""Running the learner's file in a separate Python process, with a time and memory limit.

Their code is only ever imported there (it is their code, run by design); whatever it
does (raise, loop, allocate, exit, print) comes back as an Outcome, never a traceback.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from .catalogue import time_limit
from .outcome import Outcome

MEMORY_LIMIT = 1 << 30  # bytes of address space for the checking process (1 GiB)
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_START = ("import sys; sys.path.insert(0, {!r}); "
          "from tinygrad_edu.exercises.child import main; main()")


def _limit_memory(limit: int):
    def apply():  # runs in the child before Python starts
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run_check(name: str, path: str, seconds: float | None = None,
              memory: int = MEMORY_LIMIT) -> Outcome:
    """Check ``path`` (the learner's NAME.py) in a child process: at most ``seconds``
    (the exercise's limit by default) and ``memory`` bytes."""
    seconds = time_limit(name) if seconds is None else seconds
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, "-I", "-B", "-c", _START.format(_PACKAGE_PARENT), name,
               os.path.abspath(path)]
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, start_new_session=True,
                             preexec_fn=_limit_memory(memory))
    try:
        out, err = child.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill(child)
        return Outcome(name, "timeout", f"{name}: stopped after {seconds:g} s: your code did not "
                       "finish in time (an endless loop, or far too much work per call?)")
    finally:
        _kill(child)
    try:
        outcome = Outcome.from_json(json.loads(out.decode("utf-8", "replace")))
    except (ValueError, KeyError, TypeError):
        return _crashed(name, child.returncode, err, memory)
    if outcome.status == "memory":
        return _memory(name, memory)
    return outcome


def _kill(child) -> None:
    """End the child and anything it started (its own process group), once."""
    if child.poll() is None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()


def _memory(name: str, memory: int) -> Outcome:
    return Outcome(name, "memory", f"{name}: your code asked for more memory than the check "
                   f"allows ({memory / 2 ** 30:g} GiB) and was stopped")


def _crashed(name: str, code: int, err: bytes, memory: int) -> Outcome:
    tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
    if any("MemoryError" in line or "Cannot allocate memory" in line for line in tail):
        return _memory(name, memory)
    how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
    said = "\n  ".join(tail) if tail else "(it printed nothing)"
    return Outcome(name, "error", f"{name}: the checking process {how} before it could report "
                   f"(does your file call exit(), or crash Python?); its last words:\n  {said}")
