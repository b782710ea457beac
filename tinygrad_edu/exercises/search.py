"""Finding the simplest input on which the learner's answer is wrong, with hypothesis.

Seeded (``derandomize``), so the same code always meets the same inputs, and shrunk, so
the input reported is the simplest one that still shows the mistake.

>>> from hypothesis import strategies as st
>>> find_failure(st.integers(0, 100), lambda n: n * n > 50)
8
>>> find_failure(st.integers(0, 100), lambda n: n < 0) is None
True
"""
from __future__ import annotations

import numpy as np

EXAMPLES = 60  # inputs tried before an answer counts as right


def _hypothesis():
    try:
        import hypothesis
    except ImportError:  # a plain `pip install tinygrad_edu` has no hypothesis
        raise RuntimeError("exercise check: the checks draw their inputs with hypothesis; "
                           "install it with  pip install hypothesis") from None
    return hypothesis


def find_failure(strategy, fails, examples: int = EXAMPLES, shrink: bool = True):
    """The simplest value from ``strategy`` for which ``fails(value)`` is true, or None.
    ``shrink=False`` returns the first one found (faster; the tests of diagnoses use it)."""
    hypothesis = _hypothesis()
    phases = list(hypothesis.Phase) if shrink else [hypothesis.Phase.explicit,
                                                    hypothesis.Phase.generate]
    settings = hypothesis.settings(database=None, derandomize=True, max_examples=examples,
                                   deadline=None, phases=phases,
                                   suppress_health_check=list(hypothesis.HealthCheck))
    try:
        return hypothesis.find(strategy, fails, settings=settings)
    except hypothesis.errors.NoSuchExample:
        return None


def quarters(low: int = -8, high: int = 8):
    """Multiples of 0.25 in [low/4, high/4]: exact in binary, so failing arrays read
    cleanly ("[0.25, -1.5]") and shrink towards 0."""
    from hypothesis import strategies as st
    return st.integers(low, high).map(lambda k: k / 4)


def arrays(shape, elements=None):
    """float64 arrays of ``shape`` (a tuple or a strategy of tuples) of ``elements``."""
    from hypothesis.extra import numpy as hnp
    return hnp.arrays(np.float64, shape, elements=elements if elements is not None else quarters())


def central_differences(loss, arrays_in: list, eps: float = 1e-6) -> list:
    """d loss / d array for each array, by central differences in float64 (no autograd).

    >>> central_differences(lambda a: float((a ** 2).sum()), [np.array([1.0, -2.0])])[0].round(6)
    array([ 2., -4.])
    """
    arrays_in = [np.array(a, dtype=np.float64) for a in arrays_in]
    grads = []
    for a in arrays_in:
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            keep = a[i]
            a[i] = keep + eps
            up = loss(*arrays_in)
            a[i] = keep - eps
            down = loss(*arrays_in)
            a[i] = keep
            g[i] = (up - down) / (2 * eps)
        grads.append(g)
    return grads
