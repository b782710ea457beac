"""Check second derivatives: the Hessian-vector product that ``create_graph`` gives,
against central differences of the analytic first derivative (float64).

The first gradient of ``f`` (of a seeded random projection of its output) is itself
projected on seeded random directions, one number ``s(x) = <grad f(x), w>``; then
``gradcheck`` compares d s/dx from backward through the gradient's graph (= H w) with
(s(x + eps) - s(x - eps)) / 2 eps, where s is computed by ordinary backward.

>>> from tinygrad_edu.scalar import Value
>>> a, b = Value(0.7), Value(-0.4)
>>> gradgradcheck(lambda a, b: (a * b).tanh() + a ** 3, [a, b]).passed
True
"""
from __future__ import annotations

import numpy as np

from ..core.mode import is_grad_enabled, set_grad_enabled
from .gradcheck import check_settings, gradcheck, input_list


def gradgradcheck(f, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  raise_on_failure: bool = True, worst: int = 5, seed: int = 0):
    """``gradcheck`` of f's second derivatives (PyTorch's ``gradgradcheck``): returns a
    ``GradcheckReport``, raises ``GradcheckError`` on a mismatch unless told not to."""
    inputs = input_list(inputs, "gradgradcheck")
    check_settings("gradgradcheck", eps, atol, rtol)
    scalar = not isinstance(inputs[0].data, np.ndarray)
    if scalar:
        from ..scalar.autograd import grad
    else:
        from ..tensor.autograd import grad
    rng = np.random.default_rng(seed + 1)
    out_shape = np.shape(f(*inputs).data)
    projection = 1.0 if scalar else rng.standard_normal(out_shape)
    directions = [float(rng.standard_normal()) if scalar else rng.standard_normal(x.shape)
                  for x in inputs]

    def first_derivative_along_directions(*xs):
        build = is_grad_enabled()  # off while gradcheck probes: plain backward then
        with set_grad_enabled(True):
            grads = grad(f(*xs), xs, projection, create_graph=build, allow_unused=True)
        total = sum(_dot(g, w) for g, w in zip(grads, directions) if g is not None)
        # Plus exactly 0 that depends on every input: a linear f's gradient is constant,
        # and its second derivative, 0, is checked like any other.
        return total + sum(_dot(x, 0.0) for x in xs)

    return gradcheck(first_derivative_along_directions, inputs, eps=eps, atol=atol, rtol=rtol,
                     raise_on_failure=raise_on_failure, worst=worst, seed=seed)


def _dot(node, direction):
    product = node * direction
    return product if not isinstance(product.data, np.ndarray) else product.sum()
