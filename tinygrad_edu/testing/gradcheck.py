"""Check analytic gradients against central differences, for Value or Tensor inputs.

For each input element x_i the numeric derivative is (f(x + eps) - f(x - eps)) / 2 eps,
computed in float64. A non-scalar output is first reduced to one number by a fixed,
seeded random projection (sum of out * r), so a single backward checks every output.
An element passes when |analytic - numeric| <= atol + rtol * |numeric|.

>>> from tinygrad_edu.scalar import Value
>>> a, b = Value(1.5), Value(-0.5)
>>> report = gradcheck(lambda a, b: (a * b).tanh() + a ** 2, [a, b])
>>> report.passed
True
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.graph import Node, topological_order
from ..core.mode import no_grad


class GradcheckError(AssertionError):
    """Raised when analytic and numeric gradients disagree; lists the worst elements."""

    def __init__(self, report: "GradcheckReport"):
        super().__init__(str(report))
        self.report = report


@dataclass(frozen=True)
class ElementCheck:
    """One input element: where it is and both derivatives."""

    input: int
    index: tuple
    numeric: float
    analytic: float
    abs_error: float
    rel_error: float
    ok: bool


@dataclass
class GradcheckReport:
    """What gradcheck found. ``worst`` holds the elements with the largest errors."""

    passed: bool
    checked: int
    max_abs_error: float
    max_rel_error: float
    worst: list = field(default_factory=list)
    eps: float = 1e-6
    atol: float = 1e-5
    rtol: float = 1e-3

    def __str__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        lines = [f"gradcheck {verdict}: {self.checked} elements, max abs error "
                 f"{self.max_abs_error:.3g}, max rel error {self.max_rel_error:.3g} "
                 f"(eps={self.eps:g}, atol={self.atol:g}, rtol={self.rtol:g})"]
        if not self.passed:
            lines.append("worst elements (input, index, numeric, analytic):")
            for e in self.worst:
                mark = "ok " if e.ok else "BAD"
                lines.append(f"  {mark} input {e.input} {e.index}: numeric {e.numeric:.8g}, "
                             f"analytic {e.analytic:.8g} (abs error {e.abs_error:.3g})")
        return "\n".join(lines)


class _ScalarInput:
    """Adapter: read/write/grad of a Value, as a 0-d array."""

    def __init__(self, value):
        self.node = value
        self.shape = ()

    def get(self, index):
        return self.node.data

    def set(self, index, x):
        self.node.data = float(x)

    def grad(self):
        return np.asarray(self.node.grad, dtype=np.float64)


class _TensorInput:
    """Adapter for a Tensor (must be float64; data is perturbed in place, then restored)."""

    def __init__(self, tensor, position):
        if tensor.data.dtype != np.float64:
            raise TypeError(f"gradcheck: input {position} has dtype {tensor.data.dtype}; expected "
                            "float64 (finite differences need double precision)")
        if not tensor.requires_grad:
            raise ValueError(f"gradcheck: input {position} (shape {tensor.shape}) does not "
                             "require grad; create it with requires_grad=True")
        self.node = tensor
        self.shape = tensor.data.shape

    def get(self, index):
        return self.node.data[index]

    def set(self, index, x):
        self.node._data[index] = x  # in place on purpose: a probe marks no change

    def grad(self):
        grad = self.node.grad
        return np.zeros(self.shape) if grad is None else np.asarray(grad, dtype=np.float64)


def _adapt(x, position):
    from ..scalar.value import Value
    return _ScalarInput(x) if isinstance(x, Value) else _TensorInput(x, position)


def input_list(inputs, op: str) -> list:
    """One input (a Value or a Tensor) or a sequence of them, as PyTorch's gradcheck takes."""
    inputs = [inputs] if isinstance(inputs, Node) else list(inputs)
    if not inputs:
        raise ValueError(f"{op}: expected at least one input")
    for i, x in enumerate(inputs):
        if not isinstance(x, Node):
            raise TypeError(f"{op}: input {i} is a {type(x).__name__}; expected a Value or a Tensor")
    return inputs


def check_settings(op: str, eps, atol, rtol) -> None:
    """eps > 0, atol and rtol >= 0, all finite: refused, naming the setting, before f runs."""
    for name, value, smallest in (("eps", eps, None), ("atol", atol, 0.0), ("rtol", rtol, 0.0)):
        number = isinstance(value, (int, float, np.floating, np.integer)) and \
            not isinstance(value, bool) and np.isfinite(value)
        if not number or (value <= 0 if smallest is None else value < smallest):
            raise ValueError(f"{op}: {name} must be a finite number "
                             f"{'> 0' if smallest is None else '>= 0'}, got {value!r}")


def _backward_gradients(out, adapters, projection) -> list:
    """d(projection . out)/d(input) for each input by ``backward``, leaving every .grad in
    the graph as it was: the inputs', and those of any parameters ``f`` uses."""
    nodes = topological_order(out)
    saved = [node.grad for node in nodes]
    for node in nodes:
        node.grad = 0.0 if isinstance(node.grad, float) else None  # a Value's, a Tensor's
    try:
        out.backward(float(projection) if projection.ndim == 0 else projection)
        return [a.grad() for a in adapters]
    finally:
        for node, grad in zip(nodes, saved):
            node.grad = grad


def _output_data(out):
    return np.asarray(out.data, dtype=np.float64)


def gradcheck(f, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_on_failure: bool = True, worst: int = 5, seed: int = 0) -> GradcheckReport:
    """Compare d f(*inputs) / d inputs from backward with central differences. ``inputs``:
    a Value or Tensor, or a sequence of them.

    Returns a ``GradcheckReport``; on failure raises ``GradcheckError`` (unless
    ``raise_on_failure=False``) whose message lists the ``worst`` elements.
    """
    inputs = input_list(inputs, "gradcheck")
    check_settings("gradcheck", eps, atol, rtol)
    adapters = [_adapt(x, i) for i, x in enumerate(inputs)]

    out = f(*inputs)
    if not isinstance(out, Node):
        raise TypeError(f"gradcheck: f returned a {type(out).__name__}; expected a Tensor or a "
                        "Value computed from the inputs")
    shape = _output_data(out).shape
    # A scalar output is checked as it is; others through a seeded random projection.
    projection = np.random.default_rng(seed).standard_normal(shape) if shape else np.float64(1.0)

    def objective() -> float:
        with no_grad():
            return float(np.sum(_output_data(f(*inputs)) * projection))

    analytic = _backward_gradients(out, adapters, projection)  # one backward, projected

    checks = []
    for position, a in enumerate(adapters):
        for index in np.ndindex(*a.shape):
            original = a.get(index)
            a.set(index, original + eps)
            plus = objective()
            a.set(index, original - eps)
            minus = objective()
            a.set(index, original)
            numeric = (plus - minus) / (2.0 * eps)
            got = float(analytic[position][index])
            abs_error = abs(got - numeric)
            rel_error = abs_error / max(abs(numeric), 1e-12)
            ok = bool(abs_error <= atol + rtol * abs(numeric))  # nan fails here
            checks.append(ElementCheck(position, index, numeric, got, abs_error, rel_error, ok))

    # Failures first, then by size of error (a nan error counts as the largest).
    ranked = sorted(checks, key=lambda c: (c.ok, -np.nan_to_num(c.abs_error, nan=np.inf)))
    report = GradcheckReport(
        passed=all(c.ok for c in checks),
        checked=len(checks),
        max_abs_error=max((c.abs_error for c in checks), default=0.0),
        max_rel_error=max((c.rel_error for c in checks), default=0.0),
        worst=ranked[:worst], eps=eps, atol=atol, rtol=rtol,
    )
    if not report.passed and raise_on_failure:
        raise GradcheckError(report)
    return report
