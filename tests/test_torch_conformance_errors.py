"""PyTorch conformance, errors: calls PyTorch refuses are refused here too (both raise),
and the runner itself catches a difference in values, dtypes, gradients or refusals."""
import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                    "the conformance suite compares against it")

from torch_conformance import Case, Raises, check, ids  # noqa: E402

X = (2, 3)
ERRORS = [
    Raises("matmul shapes", lambda t, a, b: a @ b, ((2, 3), (2, 3))),
    Raises("matmul 0-d", lambda t, a, b: a.matmul(b), ((), (3,))),
    Raises("add no broadcast", lambda t, a, b: a + b, ((2, 3), (2,))),
    Raises("minimum no broadcast", lambda t, a, b: t.T.minimum(a, b), ((3,), (4,))),
    Raises("sum dim out of range", lambda t, x: x.sum(dim=2), (X,)),
    Raises("sum negative dim out of range", lambda t, x: x.sum(-3), (X,)),
    Raises("mean repeated dim", lambda t, x: x.mean(dim=(0, 0)), (X,)),
    Raises("0-d sum dim 1", lambda t, x: x.sum(1), ((),)),
    Raises("max dim out of range", lambda t, x: x.max(dim=2), (X,)),
    Raises("max tuple dim", lambda t, x: x.max(dim=(0, 1)), (X,)),
    Raises("argmax dim out of range", lambda t, x: x.argmax(dim=-3), (X,)),
    Raises("softmax dim out of range", lambda t, x: x.softmax(dim=2), (X,)),
    Raises("log_softmax dim out of range", lambda t, x: x.log_softmax(-3), (X,)),
    Raises("cumsum without dim", lambda t, x: x.cumsum(), (X,)),
    Raises("cumsum dim out of range", lambda t, x: x.cumsum(2), (X,)),
    Raises("logsumexp dim out of range", lambda t, x: x.logsumexp(5), (X,)),
    Raises("reshape size", lambda t, x: x.reshape(4, 2), (X,)),
    Raises("permute not a permutation", lambda t, x: x.permute(0, 0), (X,)),
    Raises("transpose dim out of range", lambda t, x: x.transpose(0, 5), (X,)),
    Raises("unsqueeze dim out of range", lambda t, x: x.unsqueeze(3), ((2,),)),
    Raises("squeeze dim out of range", lambda t, x: x.squeeze(4), (X,)),
    Raises("flatten dim out of range", lambda t, x: x.flatten(3), (X,)),
    Raises("expand incompatible", lambda t, x: x.expand(3, 3), (X,)),
    Raises("flip dim out of range", lambda t, x: x.flip(2), (X,)),
    Raises("repeat too few sizes", lambda t, x: x.repeat(2), (X,)),
    Raises("chunk 0", lambda t, x: x.chunk(0), (X,)),
    Raises("split sizes do not add up", lambda t, x: x.split([1, 1], dim=1), (X,)),
    Raises("gather index out of range", lambda t, x, i: x.gather(1, i), (X, np.array([[0, 3, 0], [0, 0, 0]]))),
    Raises("gather index ndim", lambda t, x, i: x.gather(1, i), (X, np.array([0, 1]))),
    Raises("cat shapes", lambda t, a, b: t.T.cat([a, b], dim=0), ((2, 3), (2, 2))),
    Raises("cat dim out of range", lambda t, a, b: t.T.cat([a, b], dim=2), ((2, 3), (2, 3))),
    Raises("cat 0-d", lambda t, a, b: t.T.cat([a, b]), ((), ())),
    Raises("stack shapes", lambda t, a, b: t.T.stack([a, b]), ((2, 3), (3, 2))),
    Raises("stack dim out of range", lambda t, a, b: t.T.stack([a, b], dim=3), ((2,), (2,))),
    Raises("index out of range", lambda t, x: x[5], (X,)),
    Raises("too many indices", lambda t, x: x[0, 0, 0], (X,)),
    Raises("masked_fill float mask", lambda t, x, m: x.masked_fill(m, 0.0), (X, np.ones(3))),
    Raises("masked_fill mask does not broadcast", lambda t, x, m: x.masked_fill(m, 0.0),
           ((3,), np.ones((2, 2), bool))),
    Raises("tril 1-d", lambda t, x: x.tril(), ((3,),)),
    Raises("item of many", lambda t, x: x.item(), (X,)),
    Raises("einsum unknown output letter", lambda t, a, b: t.T.einsum("ij,jk->il", a, b), ((2, 3), (3, 4))),
    Raises("einsum size mismatch", lambda t, a, b: t.T.einsum("ij,jk->ik", a, b), ((2, 3), (2, 4))),
    Raises("einsum too few letters", lambda t, a: t.T.einsum("i->", a), ((2, 3),)),
    Raises("F.pad odd length", lambda t, x: t.F.pad(x, (1,)), (X,)),
    Raises("F.pad too long", lambda t, x: t.F.pad(x, (1, 1, 1, 1, 1, 1)), (X,)),
    Raises("F.gelu approximate", lambda t, x: t.F.gelu(x, approximate="erf"), (X,)),
    Raises("sdpa shapes", lambda t, q, k, v: t.F.scaled_dot_product_attention(q, k, v), ((2, 3), (2, 4), (2, 3))),
    Raises("sdpa mask and is_causal", lambda t, q, m: t.F.scaled_dot_product_attention(
        q, q, q, attn_mask=m, is_causal=True), ((3, 2), np.ones((3, 3), bool))),
    Raises("mean of ints", lambda t, x: x.mean(), (np.arange(3),)),
    Raises("mean of bools", lambda t, x: (x > 0).mean(), (X,)),
    Raises("std of ints", lambda t, x: x.std(), (np.arange(3),)),
    Raises("var of ints", lambda t, x: x.var(dim=0), (np.arange(3),)),
    Raises("linspace negative steps", lambda t: t.T.linspace(0, 1, -1)),
    Raises("arange step 0", lambda t: t.T.arange(0, 3, 0)),
    Raises("zeros negative size", lambda t: t.T.zeros(-1, 2)),
]


@pytest.mark.parametrize("case", ERRORS, ids=ids(ERRORS))
def test_both_refuse(case):
    check(case)


def test_at_least_200_cases_across_the_suite():
    import test_torch_conformance_elementwise as e
    import test_torch_conformance_functional as f
    import test_torch_conformance_reductions as r
    import test_torch_conformance_shapes as s
    assert len(e.CASES) + len(f.CASES) + len(r.CASES) + len(s.CASES) + len(ERRORS) >= 200


# The runner catches each kind of difference (so the passing cases mean something).
@pytest.mark.parametrize("case, message", [
    (Case("value", lambda t, x: x.exp() if t.name == "torch" else x.exp() * 1.001, (X,)), "value"),
    (Case("dtype", lambda t, x: x if t.name == "torch" else x.float(), (X,)), "dtype"),
    (Case("shape", lambda t, x: x if t.name == "torch" else x.reshape(3, 2), (X,)), "shape"),
    (Case("gradient", lambda t, x: x * x if t.name == "torch" else x * x.detach(), (X,)), "gradient"),
    (Raises("refusal", lambda t, x: x.sum() if t.name == "torch" else x.sum(dim=7), (X,)), "did not raise"),
])
def test_the_runner_catches_a_difference(case, message):
    with pytest.raises(AssertionError, match=message):
        check(case)
