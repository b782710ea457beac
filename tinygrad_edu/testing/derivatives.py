"""Hessian-vector products, Hessians and Jacobians in the PyTorch/JAX style, for Tensors
and for Values, built on ``grad(..., create_graph=True)``. Beside ``gradcheck`` and
``gradgradcheck`` (they build on both engines); ``tinygrad_edu.hvp``, ``.hessian`` and
``.jacobian`` are these.

>>> from tinygrad_edu import Tensor, hvp, hessian
>>> x = Tensor([1.0, 2.0], requires_grad=True)
>>> f = lambda x: (x[0] ** 2 * x[1]).sum()          # H = [[2 x1, 2 x0], [2 x0, 0]]
>>> hessian(f, x).tolist()
[[4.0, 2.0], [2.0, 0.0]]
>>> hvp(f, x, [1.0, 0.0]).tolist()
[4.0, 2.0]
"""
from __future__ import annotations

import numpy as np

from ..scalar.autograd import grad as scalar_grad
from ..scalar.value import Value
from ..tensor import Tensor
from ..tensor.autograd import grad as tensor_grad

MAX_HESSIAN_ELEMENTS = 2_000  # n backward passes over an n-element gradient: keep n small


def hvp(f, params, v):
    """H v: the Hessian of the one-number ``f(*params)`` times ``v``, in one double
    backward (no Hessian is built). ``params``: a Tensor/Value or a list of them; ``v``:
    numbers of the same shapes (a list when ``params`` is). Returns the same structure."""
    single = not isinstance(params, (list, tuple))
    params = _parameters(params, "hvp", "params")
    vs = [v] if single else list(v)
    if len(vs) != len(params):
        raise ValueError(f"hvp: {len(vs)} directions for {len(params)} parameters; expected one each")
    grad, scalar = _engine(params[0])
    first = grad(_one_number(f(*params), "hvp"), params, create_graph=True, allow_unused=True)
    along = []
    for i, (p, g, d) in enumerate(zip(params, first, vs)):
        d = float(getattr(d, "data", d)) if scalar else np.asarray(getattr(d, "data", d), dtype=p.dtype)
        if not scalar and d.shape != p.shape:
            raise ValueError(f"hvp: direction {i} has shape {d.shape}; expected the parameter's "
                             f"shape {p.shape}")
        if g is not None and g.requires_grad:
            along.append((g * d) if scalar else (g * d).sum())
    if not along:  # f is linear in params: its Hessian is 0
        return _zeros_like(params, single, scalar)
    result = grad(sum(along[1:], along[0]), params, allow_unused=True)
    result = [_zero(p, scalar) if r is None else r for p, r in zip(params, result)]
    return result[0] if single else result


def hessian(f, x):
    """The matrix of second derivatives of the one-number ``f(*x)``, one backward through
    the gradient's graph per element: for a Tensor ``x`` a Tensor of shape
    ``x.shape + x.shape``; for a list of Tensors (a model's parameters) a Tensor (N, N)
    over all their elements, flattened in order; for a list of Values a list of lists."""
    params = _parameters(x, "hessian", "x")
    if not isinstance(params[0], Tensor):
        rows = []
        for i in range(len(params)):
            direction = [1.0 if j == i else 0.0 for j in range(len(params))]
            rows.append([r.data for r in hvp(f, params, direction)])
        return rows
    sizes = [p.numel() for p in params]
    n = sum(sizes)
    if n > MAX_HESSIAN_ELEMENTS:
        raise ValueError(f"hessian: x has {n} elements, so the Hessian has {n * n:,}; expected at "
                         f"most {MAX_HESSIAN_ELEMENTS}. Use hvp(f, x, v) for products with it")
    rows = []
    for i in range(n):
        basis = np.split(np.eye(n, dtype=params[0].dtype)[i], np.cumsum(sizes)[:-1])
        products = hvp(f, params, [b.reshape(p.shape) for b, p in zip(basis, params)])
        rows.append(np.concatenate([r.data.ravel() for r in products]))
    shape = x.shape + x.shape if isinstance(x, Tensor) else (n, n)
    return Tensor(np.stack(rows).reshape(shape), dtype=params[0].dtype)


def jacobian(f, x):
    """d f(x)/dx: for a Tensor ``x`` a Tensor of shape ``f(x).shape + x.shape``; for a
    Value or a list of Values, with ``f`` giving a Value or a list of them, a list of lists
    of floats (one row per output). One backward per output element."""
    if not hasattr(x, "shape"):
        xs = list(x) if isinstance(x, (list, tuple)) else [x]
        grad, _ = _engine(xs[0])
        out = f(*xs) if isinstance(x, (list, tuple)) else f(x)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        return [[0.0 if g is None else g.data for g in grad(o, xs, allow_unused=True)] for o in outs]
    out = f(x)
    rows = []
    for i in range(out.numel()):
        seed = np.zeros(out.numel(), dtype=out.dtype)
        seed[i] = 1.0
        g, = tensor_grad(out, x, seed.reshape(out.shape), allow_unused=True)
        rows.append(np.zeros(x.shape, dtype=x.dtype) if g is None else g.data)
    return Tensor(np.stack(rows).reshape(out.shape + x.shape), dtype=x.dtype)


def _parameters(x, op: str, name: str) -> list:
    params = list(x) if isinstance(x, (list, tuple)) else [x]
    if not params:
        raise ValueError(f"{op}: {name} is an empty {type(x).__name__}; expected a Tensor or Value, "
                         "or a non-empty list of them (the inputs to differentiate f by)")
    return params


def _engine(example):
    return (scalar_grad, True) if isinstance(example, Value) else (tensor_grad, False)


def _one_number(out, op: str):
    if np.size(out.data) != 1:
        raise ValueError(f"{op}: f returned shape {np.shape(out.data)}; expected one number "
                         "(a loss)")
    return out


def _zero(p, scalar):
    if scalar:
        return Value(0.0)
    return Tensor(np.zeros(p.shape, dtype=p.dtype), dtype=p.dtype)


def _zeros_like(params, single, scalar):
    zeros = [_zero(p, scalar) for p in params]
    return zeros[0] if single else zeros
