"""PyTorch conformance, reductions: dim (int, negative, tuple), keepdim, numpy's
axis/keepdims aliases, max/min's (values, indices), arg-reductions, var/std's correction,
logsumexp, cumsum, norm and softmax, on 2-D, 3-D and 0-d tensors."""
import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                    "the conformance suite compares against it")

from torch_conformance import Case, check, ids  # noqa: E402

DIMS = [dict(), dict(dim=1), dict(dim=-1, keepdim=True), dict(dim=(0, 2)),
        dict(dim=(0, -1), keepdim=True), dict(dim=0, keepdim=False)]
CASES = [Case(f"{method} {kw}", lambda t, x, m=method, kw=kw: getattr(x, m)(**kw), ((2, 3, 4),))
         for method in ("sum", "mean", "var", "std", "logsumexp", "amax", "amin")
         for kw in DIMS if method != "logsumexp" or kw]
CASES += [
    Case("sum positional dim keepdim", lambda t, x: x.sum(1, True), ((2, 3),)),
    Case("mean positional dim", lambda t, x: x.mean(0), ((2, 3),)),
    Case("var correction=0", lambda t, x: x.var(dim=1, correction=0), ((2, 3),)),
    Case("var unbiased=False", lambda t, x: x.var(1, unbiased=False), ((2, 3),)),
    Case("std correction=0 keepdim", lambda t, x: x.std(dim=0, correction=0, keepdim=True), ((3, 2),)),
    Case("std all", lambda t, x: x.std(), ((5,),)),
    Case("max", lambda t, x: x.max(), ((2, 3),)),
    Case("min", lambda t, x: x.min(), ((2, 3),)),
    Case("max dim", lambda t, x: x.max(dim=1), ((2, 3),)),
    Case("max dim negative keepdim", lambda t, x: x.max(-1, keepdim=True), ((2, 3, 4),)),
    Case("min dim 0", lambda t, x: x.min(dim=0), ((3, 2),)),
    Case("max dim .values", lambda t, x: x.max(dim=0).values, ((3, 2),)),
    Case("min dim .indices", lambda t, x: x.min(1).indices, ((3, 2),)),
    Case("max of two tensors", lambda t, a, b: a.max(b), ((2, 3), (3,))),
    Case("argmax", lambda t, x: x.argmax(), ((2, 3),)),
    Case("argmax dim", lambda t, x: x.argmax(dim=1), ((2, 3),)),
    Case("argmax dim keepdim", lambda t, x: x.argmax(dim=-1, keepdim=True), ((2, 3, 4),)),
    Case("argmin", lambda t, x: x.argmin(), ((4,),)),
    Case("argmin dim 0", lambda t, x: x.argmin(0), ((2, 3),)),
    Case("argmin dim keepdim", lambda t, x: x.argmin(dim=1, keepdim=True), ((2, 3),)),
    Case("cumsum 0", lambda t, x: x.cumsum(0), ((3, 2),)),
    Case("cumsum dim=-1", lambda t, x: x.cumsum(dim=-1), ((2, 3, 4),)),
    Case("cumsum 1-d", lambda t, x: x.cumsum(0), ((5,),)),
    Case("norm", lambda t, x: x.norm(), ((2, 3),)),
    Case("norm p=1", lambda t, x: x.norm(p=1), ((2, 3),)),
    Case("norm dim", lambda t, x: x.norm(dim=1), ((2, 3),)),
    Case("norm dim keepdim", lambda t, x: x.norm(dim=-1, keepdim=True), ((2, 3),)),
    Case("norm p=3", lambda t, x: x.norm(p=3), ((4,),)),
    Case("norm p=inf", lambda t, x: x.norm(p=float("inf")), ((2, 3),)),
    Case("softmax dim=0", lambda t, x: x.softmax(dim=0), ((2, 3),)),
    Case("softmax -1", lambda t, x: x.softmax(-1), ((2, 3, 4),)),
    Case("softmax dim=1 3-d", lambda t, x: x.softmax(dim=1), ((2, 3, 4),)),
    Case("log_softmax dim=1", lambda t, x: x.log_softmax(dim=1), ((2, 3),)),
    Case("log_softmax 0", lambda t, x: x.log_softmax(0), ((4,),)),
    # 0-d tensors: dim 0 or -1, nothing to reduce
    Case("0-d sum", lambda t, x: x.sum(), ((),)),
    Case("0-d sum dim 0", lambda t, x: x.sum(0), ((),)),
    Case("0-d mean dim -1 keepdim", lambda t, x: x.mean(dim=-1, keepdim=True), ((),)),
    Case("0-d max", lambda t, x: x.max(), ((),)),
    Case("0-d max dim", lambda t, x: x.max(dim=0), ((),)),
    Case("0-d argmax", lambda t, x: x.argmax(), ((),)),
    Case("0-d argmin dim", lambda t, x: x.argmin(dim=0), ((),)),
    Case("0-d cumsum", lambda t, x: x.cumsum(0), ((),)),
    Case("0-d logsumexp", lambda t, x: x.logsumexp(0), ((),)),
    Case("0-d amax", lambda t, x: x.amax(), ((),)),
    # numbers that are not float64
    Case("int sum", lambda t, x: x.sum(dim=0), (np.arange(6).reshape(2, 3),)),
    Case("int cumsum", lambda t, x: x.cumsum(1), (np.arange(6).reshape(2, 3),)),
    Case("bool sum", lambda t, x: x.sum(), (np.array([True, False, True]),)),
    Case("float32 mean", lambda t, x: x.mean(1), (np.arange(6, dtype=np.float32).reshape(2, 3),)),
    Case("int.float().mean()", lambda t, x: x.float().mean(), (np.arange(6),)),
    Case("int argmax", lambda t, x: x.argmax(dim=1), (np.array([[3, 1, 4], [1, 5, 9]]),)),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_reduction_matches_pytorch(case):
    check(case)


def test_numpy_spellings_stay_as_aliases():
    import tinygrad_edu as tg
    x = tg.Tensor(np.arange(6.0).reshape(2, 3))
    assert x.sum(axis=1, keepdims=True).tolist() == x.sum(dim=1, keepdim=True).tolist()
    assert x.max(axis=1).tolist() == [2.0, 5.0]      # numpy's spelling: the max itself
    assert x.softmax(axis=0).tolist() == x.softmax(dim=0).tolist()
    assert tg.cat([x, x], axis=1).shape == tg.cat([x, x], dim=1).shape == (2, 6)
    with pytest.raises(TypeError, match="sum: got dim=1 and axis=0; axis is numpy's name"):
        x.sum(dim=1, axis=0)
    with pytest.raises(TypeError, match="keepdims is numpy's name for keepdim"):
        x.mean(keepdim=True, keepdims=True)
    with pytest.raises(TypeError, match="cat: got dim=0 and axis=1"):
        tg.cat([x, x], dim=0, axis=1)


def test_max_with_dim_is_a_named_pair():
    import tinygrad_edu as tg
    result = tg.Tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=1)
    values, indices = result
    assert type(result).__name__ == "max" and result.values is values and result.indices is indices
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    assert indices.dtype == np.int64


def test_std_of_constant_values_has_a_zero_gradient_as_pytorch():
    """Layer-norm by hand over a row of equal values: sqrt's 1/(2 std) meets var's zeros.
    PyTorch's std gives 0 there; 0/0 = nan used to poison every gradient."""
    import torch

    import tinygrad_edu as tg
    values = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]])
    grads = []
    for lib, make in ((tg, lambda: tg.tensor(values, requires_grad=True)),
                      (torch, lambda: torch.tensor(values, requires_grad=True))):
        x = make()
        ((x - x.mean(1, keepdim=True)) / (x.std(1, keepdim=True) + 1e-5)).sum().backward()
        grads.append(np.asarray(x.grad.tolist()))
    assert np.all(np.isfinite(grads[0])) and not grads[0][1].any()
    np.testing.assert_allclose(grads[0], grads[1], atol=1e-9)
