"""Hypothesis strategies for gradient tests, reusable in your own tests.

Requires ``hypothesis`` (``pip install tinygrad_edu[test]``).

>>> from hypothesis import given
>>> from tinygrad_edu.scalar import Value
>>> from tinygrad_edu.gradcheck import gradcheck
>>> from hypothesis import assume
>>> @given(expressions())
... def test_random_graph(expr):
...     values = [Value(x) for x in expr.inputs]
...     assume(expr.kink_distance(*values) > 1e-3)  # keep relu inputs off 0
...     gradcheck(expr, values)
>>> test_random_graph()
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def floats_off_kinks(min_value: float = -3.0, max_value: float = 3.0,
                     kinks: tuple = (0.0,), margin: float = 1e-2):
    """Finite floats in [min_value, max_value] at least ``margin`` away from each kink.

    Central differences are wrong near a kink (relu at 0, abs at 0), so gradient tests
    draw from here.
    """
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False).filter(
        lambda x: all(abs(x - k) >= margin for k in kinks))


def positive_floats(min_value: float = 0.1, max_value: float = 3.0):
    """Floats in [min_value, max_value] (> 0): for log, and bases of Value powers."""
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)


# Each step combines earlier nodes with ops of both engines' shared method names.
# The forms keep values bounded (exp only of tanh, divisors kept >= 1) so no step
# overflows and every op stays inside its domain.
_UNARY = {
    "neg": lambda a: -a,
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "exp_tanh": lambda a: a.tanh().exp(),
    "log_1_plus_sq": lambda a: (1.0 + a * a).log(),
    "cube_tanh": lambda a: a.tanh() ** 3,
    "two_pow_tanh": lambda a: 2.0 ** a.tanh(),
    "one_minus": lambda a: 1.0 - a,
}
_BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul_tanh": lambda a, b: a * b.tanh(),
    "div_1_plus_sq": lambda a, b: a / (1.0 + b * b),
    "sigmoid_pow": lambda a, b: (a.sigmoid() + 0.5) ** b.tanh(),
}


@dataclass(frozen=True)
class Expression:
    """A random expression DAG: call it on nodes (Values or Tensors) to build it.

    ``steps`` are (op name, operand indices); operand i < n_inputs is an input,
    otherwise the result of step i - n_inputs. Operands are reused, so nodes fan out.
    ``inputs`` are suggested input values. Relu is not differentiable at 0: check
    ``kink_distance`` and skip (``assume``) cases that land too close.
    """

    inputs: tuple
    steps: tuple

    def __call__(self, *nodes, _relu_inputs=None):
        values = list(nodes)
        for name, operands in self.steps:
            args = [values[i] for i in operands]
            if name == "relu" and _relu_inputs is not None:
                _relu_inputs.append(args[0])
            form = _UNARY.get(name) or _BINARY[name]
            values.append(form(*args))
        return values[-1] if self.steps else values[0] * 1.0

    def kink_distance(self, *nodes) -> float:
        """The smallest |input| of any relu step when built on ``nodes`` (inf: no relu)."""
        from ..core.mode import no_grad
        seen = []
        with no_grad():
            self(*nodes, _relu_inputs=seen)
        return min((float(np.min(np.abs(n.data))) for n in seen), default=float("inf"))

    def fan_out(self) -> int:
        """The most times any node is used as an operand."""
        uses = {}
        for _, operands in self.steps:
            for i in operands:
                uses[i] = uses.get(i, 0) + 1
        return max(uses.values(), default=0)

    def __str__(self) -> str:
        names = [f"x{i}" for i in range(len(self.inputs))]
        for name, operands in self.steps:
            names.append(f"{name}({', '.join(names[i] for i in operands)})")
        return names[-1]


@st.composite
def expressions(draw, min_inputs: int = 1, max_inputs: int = 3, max_steps: int = 10,
                values=None):
    """Random ``Expression`` DAGs with shared sub-expressions (fan-out)."""
    values = values or st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
    n_inputs = draw(st.integers(min_inputs, max_inputs))
    n_steps = draw(st.integers(1, max_steps))
    steps = []
    for k in range(n_steps):
        available = n_inputs + k
        operand = st.integers(0, available - 1)
        name = draw(st.sampled_from(sorted(_UNARY) + sorted(_BINARY)))
        arity = 1 if name in _UNARY else 2
        steps.append((name, tuple(draw(operand) for _ in range(arity))))
    inputs = tuple(draw(values) for _ in range(n_inputs))
    return Expression(inputs, tuple(steps))


UNARY_FORMS = tuple(sorted(_UNARY))
BINARY_FORMS = tuple(sorted(_BINARY))


# -- tensors ---------------------------------------------------------------------------

def grid_floats(low: float = -2.0, high: float = 2.0, step: float = 0.01):
    """Floats on a grid offset by half a step: never within step/2 of 0 (relu, abs
    kinks) and never closer than ``step`` to each other when drawn unique (no near-ties
    for max/min)."""
    n_low, n_high = int(np.floor(low / step)), int(np.ceil(high / step)) - 1
    return st.integers(n_low, n_high).map(lambda i: (i + 0.5) * step)


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4):
    """Array shapes (tuples) for property tests."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def broadcastable_shapes(num_shapes: int = 2, max_dims: int = 3, max_side: int = 3):
    """Tuples of ``num_shapes`` shapes that broadcast together (dims of 1, missing dims)."""
    return hnp.mutually_broadcastable_shapes(num_shapes=num_shapes, min_dims=0,
                                             max_dims=max_dims, max_side=max_side).map(
        lambda result: result.input_shapes)


def float64_arrays(shape, elements=None, unique: bool = False):
    """float64 arrays of ``shape``; elements default to ``grid_floats()`` (off kinks)."""
    return hnp.arrays(np.float64, shape, elements=grid_floats() if elements is None else elements, unique=unique)


def positive_arrays(shape, low: float = 0.2, high: float = 3.0):
    """float64 arrays with every element in [low, high] (for log, sqrt, pow bases)."""
    return hnp.arrays(np.float64, shape, elements=positive_floats(low, high))
