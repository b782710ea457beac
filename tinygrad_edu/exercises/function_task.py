"""An exercise whose answer is a function: draw inputs, compare, shrink, diagnose.

The learner's function runs on inputs drawn by hypothesis and its outputs are compared
with the library's op in float64; on the simplest failing input the message gives the
expected value (and central differences' value), the learner's, and the mistake it
looks like.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..core.text import format_number
from .diagnosis import close, explanation, match
from .learner import LearnerRaised, LearnerTimedOut, NotStarted, call, function, status
from .outcome import Outcome
from .search import EXAMPLES, find_failure

KEEP = 24  # failing inputs remembered for the diagnosis


@dataclass
class FunctionTask:
    """``cases`` draws dicts of named inputs (passed in order); ``expected`` gives the
    library's outputs, ``numeric`` central differences', ``mistakes`` what each usual
    mistake would return; ``why`` writes how output k is computed, in numbers."""

    name: str
    function: str
    args: tuple
    cases: object
    outputs: tuple
    expected: Callable
    numeric: Callable
    mistakes: Callable
    why: Callable | None = None
    explain: dict = field(default_factory=dict)
    examples: int = EXAMPLES

    def check(self, namespace, shrink: bool = True) -> Outcome:
        try:
            fn = function(namespace, self.function)
        except NotStarted as e:
            return Outcome(self.name, "not started", f"{self.name}: not started: {e}.")
        seen, stuck = [], []

        def fails(case):
            if stuck:  # it ran out of time once: every input fails, shrinking ends fast
                return True
            try:
                given = self.normalise(call(fn, *self.ordered(case)))
            except (NotStarted, LearnerRaised) as e:
                stuck.extend([e] if isinstance(e, LearnerTimedOut) else [])
                return True
            expected = self.expected(case)
            k = first_wrong(given, expected)
            if k is not None and given is not None and len(seen) < KEEP:
                seen.append((given, expected, self.mistakes(case)))
            return k is not None

        case = find_failure(self.cases, fails, self.examples, shrink)
        if case is None:
            return Outcome(self.name, "pass", f"{self.name}: right on {self.examples} inputs drawn "
                           "by hypothesis, compared with the library's op in float64.")
        return self.report(fn, case, seen)

    def ordered(self, case) -> list:
        """The inputs in the learner's argument order (a drawn dict has its own order)."""
        return [case[a] for a in self.args]

    def normalise(self, result):
        """The learner's return value as a tuple of outputs (None when it has a wrong count)."""
        single = len(self.outputs) == 1
        result = (result,) if single or not isinstance(result, (tuple, list)) else tuple(result)
        return result if len(result) == len(self.outputs) else None

    def report(self, fn, case, seen) -> Outcome:
        inputs = ", ".join(f"{k} = {show(case[k])}" for k in self.args)
        data = {"inputs": {k: _plain(case[k]) for k in self.args}}
        try:
            given = self.normalise(call(fn, *self.ordered(case)))
        except NotStarted as e:
            return Outcome(self.name, "not started", f"{self.name}: not started: {e}.")
        except LearnerRaised as e:
            return Outcome(self.name, status(e), f"{self.name}: your code failed on "
                           f"{inputs}:\n  {e.report}", case=data)
        if given is None:
            return Outcome(self.name, "wrong", f"{self.name}: `{self.function}` should return "
                           f"{len(self.outputs)} value(s): {', '.join(self.outputs)}.", case=data)
        expected, numeric = self.expected(case), self.numeric(case)
        k = first_wrong(given, expected)
        lines = [f"{self.name}: wrong.", f"  simplest input that shows it: {inputs}"]
        if k is None:  # right now, wrong during the search: it depends on something else
            lines.append("  your function gave different answers for the same input (does it "
                         "keep state between calls?)")
            return Outcome(self.name, "wrong", "\n".join(lines), case=data)
        why = f" = {self.why(case, k)}" if self.why else ""
        lines.append(f"  expected {self.outputs[k]}{why} = {show(expected[k])} "
                     f"(central differences: {show(numeric[k])})")
        lines.append(f"  yours gave {show(given[k])}{_shape_note(given[k], expected[k])}")
        mistake = match(seen + [(given, expected, self.mistakes(case))], k)
        if mistake:
            lines.append(f"  looks like: {mistake}: {explanation(mistake, self.explain)}")
        data["given"] = {self.outputs[j]: _plain(g) for j, g in enumerate(given)}
        data["expected"] = {self.outputs[j]: _plain(e) for j, e in enumerate(expected)}
        return Outcome(self.name, "wrong", "\n".join(lines), mistake, data)


def first_wrong(given, expected) -> int | None:
    """Index of the first output that differs, None when all agree; -1 for a wrong count."""
    if given is None:
        return -1
    for k, (g, e) in enumerate(zip(given, expected)):
        if not close(g, e):
            return k
    return None


def show(x) -> str:
    """A number or array as the learner reads it (arrays with their shape)."""
    if isinstance(x, tuple) and all(isinstance(n, int) for n in x):
        return str(x)
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in x.items()) + "}"
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return repr(x)[:200]
    if a.ndim == 0:
        return format_number(float(a))
    text = np.array2string(a, separator=", ", threshold=64,
                           formatter={"float_kind": lambda v: format_number(float(v))})
    return f"{' '.join(text.split())} (shape {a.shape})"


def _shape_note(given, expected) -> str:
    try:
        g = np.shape(np.asarray(given, dtype=np.float64))
    except (TypeError, ValueError):
        return f" (a {type(given).__name__}, not a number or array)"
    e = np.shape(expected)
    return f": the wrong shape, {e} was expected" if g != e else ""


def _plain(x):
    """JSON-ready: floats and nested lists."""
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    try:
        return float(x)
    except (TypeError, ValueError):
        return repr(x)[:200]
