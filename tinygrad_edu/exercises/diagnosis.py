"""Naming the usual mistakes: which wrong-but-plausible answer the learner's matches.

Each exercise lists, per input, the answers its usual mistakes would give; a mistake is
named when it reproduces the learner's answer on every failing input the search met
(one input can fit several mistakes: at x = 0 many formulas agree).

>>> match([((-1.0,), (1.0,), {"sign error": (-1.0,)})], 0)
'sign error'
"""
from __future__ import annotations

import numpy as np

SIGN = "sign error"
UPSTREAM = "forgot the upstream gradient"
OVERWRITE = "= instead of += on fan-out"
INPUT_FOR_OUTPUT = "used the input where the output was meant"
BROADCAST = "broadcast axes not summed back"
TRANSPOSED = "transposed matmul gradient"

EXPLAIN = {
    SIGN: "your gradient has the opposite sign of the right one; look at each minus sign "
          "(d(a - b)/db = -1) and at which of two terms is subtracted from which",
    UPSTREAM: "you returned the local derivative alone; the chain rule multiplies it by the "
              "gradient arriving from above: contribution = upstream x local derivative",
    OVERWRITE: "a value used more than once receives one contribution per use; assigning "
               "(=) keeps only the last one, accumulate them with +=",
    INPUT_FOR_OUTPUT: "the derivative was written with the op's input where its output was "
                      "meant: d tanh(x)/dx = 1 - out², where out = tanh(x), not 1 - x²",
    BROADCAST: "an input that was broadcast (stretched along an axis, or given new leading "
               "axes) must get its gradient summed back over those axes, to its own shape",
    TRANSPOSED: "for C = A @ B, dL/dA = dL/dC @ Bᵀ and dL/dB = Aᵀ @ dL/dC: each gradient has "
                "the shape of its own input; yours is transposed or uses an untransposed operand",
}


def close(given, expected, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    """Same shape and the same numbers (float64, tight tolerances)."""
    try:
        g = np.asarray(given, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    e = np.asarray(expected, dtype=np.float64)
    return g.shape == e.shape and bool(np.allclose(g, e, rtol=rtol, atol=atol))


def match(seen: list, k: int) -> str | None:
    """The mistake that explains output ``k`` of every (given, expected, candidates) in
    ``seen`` (the failing inputs met): reproduces it wherever it was wrong. A candidate
    is the outputs a mistake gives, or a list of such (the ways to make it)."""
    names = [n for n in (seen[0][2] if seen else {}) if seen[0][2][n] is not None]
    for name in names:
        shown = False
        for given, expected, candidates in seen:
            if close(given[k], expected[k]):
                continue
            ways = candidates.get(name)
            ways = ways if isinstance(ways, list) else [ways]
            if not any(w is not None and w[k] is not None and close(given[k], w[k]) for w in ways):
                break
            shown = True
        else:
            if shown:
                return name
    return None


def explanation(name: str, extra: dict | None = None) -> str:
    """The plain-words reading of a mistake's name."""
    return (extra or {}).get(name) or EXPLAIN.get(name, name)
