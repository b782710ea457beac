"""The runner behind tests/test_torch_conformance_*.py: one call, written once, run on
PyTorch and on tinygrad_edu, compared on forward values, shapes, dtypes and the
gradient of every float input (float64, the same upstream weights on both).

A case is ``Case(name, fn, inputs)``: ``fn(lib, *tensors)`` where ``lib.T`` is
``torch`` or ``tinygrad_edu`` and ``lib.F`` its functional module; ``inputs`` are
shapes (float64 leaves that require grad, values unique and off every kink), or arrays
(constants: index arrays, masks), or ``Positive(shape)``. ``Raises(name, fn, inputs)``
is an error case: both libraries must raise.

Without PyTorch, importing this module skips (the test modules skip first, naming why).
"""
from __future__ import annotations

import types
from dataclasses import dataclass

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                            "the conformance suite compares against it")
import torch.nn.functional as torch_F  # noqa: E402

import tinygrad_edu as tg  # noqa: E402
from tinygrad_edu.nn import functional as tg_F  # noqa: E402

TORCH = types.SimpleNamespace(T=torch, F=torch_F, name="torch")
TG = types.SimpleNamespace(T=tg, F=tg_F, name="tinygrad_edu")
DTYPES = {torch.float64: np.float64, torch.float32: np.float32, torch.int64: np.int64,
          torch.bool: np.bool_, torch.int32: np.int32, torch.float16: np.float16}


@dataclass
class Positive:
    shape: tuple


@dataclass
class Case:
    name: str
    fn: object
    inputs: tuple = ()
    atol: float = 1e-9


@dataclass
class Raises:
    name: str
    fn: object
    inputs: tuple = ()


def _arrays(inputs, seed):
    """Each input as (array, differentiable?)."""
    rng = np.random.default_rng(seed)
    out = []
    for spec in inputs:
        if isinstance(spec, np.ndarray):
            out.append((spec, False))
            continue
        shape = spec.shape if isinstance(spec, Positive) else spec
        n = int(np.prod(shape))
        steps = rng.choice(np.arange(-200, 200), size=n, replace=False) + 0.5
        values = (steps / 100).reshape(shape)
        if isinstance(spec, Positive):
            values = np.abs(values) + 0.2
        out.append((values, True))
    return out


def _leaves(lib, arrays):
    if lib is TORCH:
        return [torch.tensor(a, requires_grad=grad) for a, grad in arrays]
    return [tg.Tensor(a, dtype=a.dtype, requires_grad=grad) for a, grad in arrays]


def _flat(out):
    """The tensors of a result: one, or those of a tuple (max's values and indices)."""
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _numpy(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.data)


def _grad(t):
    g = t.grad
    if g is None:
        return None
    return g.numpy() if isinstance(g, torch.Tensor) else np.asarray(getattr(g, "data", g))


def _run(lib, case, arrays):
    leaves = _leaves(lib, arrays)
    outs = _flat(case.fn(lib, *leaves))
    floats = [o for o in outs if o.requires_grad]
    if floats:
        root = None
        for i, o in enumerate(floats):
            weights = np.linspace(0.5, 1.5, int(np.prod(o.shape)) or 1)[:int(np.prod(o.shape))]
            w = weights.reshape(o.shape) + i
            term = (o * (torch.tensor(w) if lib is TORCH else tg.Tensor(w, dtype=np.float64))).sum()
            root = term if root is None else root + term
        root.backward()
    return outs, [_grad(t) if grad else None for t, (_, grad) in zip(leaves, arrays)]


def check(case, seed=0):
    """Run ``case`` on both libraries and assert they agree."""
    arrays = _arrays(case.inputs, seed)
    if isinstance(case, Raises):
        for lib in (TORCH, TG):
            try:
                case.fn(lib, *_leaves(lib, arrays))
            except Exception:  # noqa: BLE001 - any error: the point is that both refuse
                continue
            raise AssertionError(f"{case.name}: {lib.name} did not raise")
        return
    (t_outs, t_grads), (g_outs, g_grads) = _run(TORCH, case, arrays), _run(TG, case, arrays)
    assert len(t_outs) == len(g_outs), f"{case.name}: {len(t_outs)} vs {len(g_outs)} results"
    for t, g in zip(t_outs, g_outs):
        tv, gv = _numpy(t), _numpy(g)
        assert tuple(t.shape) == tuple(g.shape), f"{case.name}: shape {tuple(t.shape)} vs {g.shape}"
        assert np.dtype(DTYPES[t.dtype]) == gv.dtype, f"{case.name}: dtype {t.dtype} vs {gv.dtype}"
        np.testing.assert_allclose(gv, tv, rtol=1e-7, atol=case.atol, err_msg=case.name)
    for i, (tg_, gg) in enumerate(zip(t_grads, g_grads)):
        if tg_ is None:
            assert gg is None or not np.any(gg), f"{case.name}: input {i} got a gradient"
            continue
        assert gg is not None, f"{case.name}: input {i} got no gradient"
        np.testing.assert_allclose(gg, tg_, rtol=1e-7, atol=case.atol,
                                   err_msg=f"{case.name}: gradient of input {i}")


def ids(cases):
    return [c.name for c in cases]
