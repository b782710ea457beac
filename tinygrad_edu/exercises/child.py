"""The sandbox's inside: import the learner's file, check it, print the Outcome as JSON.

Run by ``sandbox.run_check`` in a separate Python process with a time limit and a memory
limit; the learner's prints go to stderr so stdout carries only the result.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys


def _outcome(name: str, path: str):
    from .catalogue import task
    from .learner import CALL_SECONDS, describe_error, limit_calls
    from .outcome import Outcome
    checker = task(name)  # imported before their folder can shadow a module
    limit_calls(CALL_SECONDS)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))  # their other exercise files
    spec = importlib.util.spec_from_file_location(f"exercise_{name}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        return Outcome(name, "error", f"{name}: {os.path.basename(path)} does not parse: "
                       f"{e.msg} at line {e.lineno}:\n  {(e.text or '').strip()}")
    except MemoryError:
        raise
    except BaseException as e:  # their module-level code: any exception is theirs to see
        return Outcome(name, "error", f"{name}: importing your file failed:\n  "
                       f"{describe_error(os.path.basename(path), e)}")
    return checker.check(module)


def main() -> None:
    name, path = sys.argv[1], sys.argv[2]
    result = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # the learner's prints go to stderr
    from .outcome import Outcome
    try:
        outcome = _outcome(name, path)
    except MemoryError:
        outcome = Outcome(name, "memory", "")
    result.write(json.dumps(outcome.to_json()))
    result.flush()


if __name__ == "__main__":
    main()
