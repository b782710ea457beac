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
import tempfile

from .catalogue import time_limit
from .outcome import Outcome

MEMORY_LIMIT = 1 << 30  # bytes of address space for the checking process (1 GiB)
# Bytes any file of the child may grow to, its printed output among them: what it prints
# goes to a file, not a pipe, so a print in an endless loop cannot fill this process's
# memory (it once took the checker to 4.3 GB in 10 s); past 1 MB a write fails (EFBIG,
# which learner.describe_error explains).
OUTPUT_LIMIT = 1 << 20
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_START = ("import sys; sys.path.insert(0, {!r}); "
          "from tinygrad_edu.exercises.child import main; main()")


def _limits(memory: int):
    def apply():  # runs in the child before Python starts
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))
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
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out_file,
                                 stderr=err_file, env=env, start_new_session=True,
                                 preexec_fn=_limits(memory))
        try:
            child.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return Outcome(name, "timeout", f"{name}: stopped after {seconds:g} s: your code did "
                           "not finish in time (an endless loop, or far too much work per call?)")
        finally:
            _kill(child)
        out_file.seek(0)
        out = out_file.read(OUTPUT_LIMIT)
        err_file.seek(max(0, err_file.seek(0, os.SEEK_END) - 4096))
        err = err_file.read()   # the last words are enough
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
