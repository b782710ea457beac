"""PyTorch conformance, ``F.`` and ``tg.`` functions: activations, F.pad, losses,
linear/conv/pool, layer norm, embedding, scaled dot-product attention (float masks are
added, bool masks select), einsum's two-operand forms, and the factories' shapes and
dtypes."""
import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                    "the conformance suite compares against it")

from torch_conformance import Case, Positive, check, ids  # noqa: E402

TARGETS = np.array([0, 2, 1])
CAUSAL = np.tril(np.ones((3, 3), dtype=bool))
FLOAT_MASK = np.array([[0.0, -1e9, 0.0], [0.0, 0.0, -2.0], [1.0, 0.0, 0.0]])
CASES = [
    Case("F.relu", lambda t, x: t.F.relu(x), ((2, 3),)),
    Case("F.gelu", lambda t, x: t.F.gelu(x), ((2, 3),)),
    Case("F.gelu tanh", lambda t, x: t.F.gelu(x, approximate="tanh"), ((2, 3),)),
    Case("F.gelu 0-d", lambda t, x: t.F.gelu(x), ((),)),
    Case("F.silu", lambda t, x: t.F.silu(x), ((2, 3),)),
    Case("F.softplus", lambda t, x: t.F.softplus(x), ((2, 3),)),
    Case("F.softplus beta threshold", lambda t, x: t.F.softplus(x, beta=2.0, threshold=1.0), ((2, 3),)),
    Case("F.elu", lambda t, x: t.F.elu(x), ((2, 3),)),
    Case("F.elu alpha", lambda t, x: t.F.elu(x, alpha=0.5), ((4,),)),
    Case("F.leaky_relu", lambda t, x: t.F.leaky_relu(x, 0.1), ((2, 3),)),
    Case("F.softmax dim", lambda t, x: t.F.softmax(x, dim=0), ((2, 3),)),
    Case("F.log_softmax dim", lambda t, x: t.F.log_softmax(x, dim=-1), ((2, 3),)),
    Case("F.pad last dim", lambda t, x: t.F.pad(x, (1, 2)), ((2, 3),)),
    Case("F.pad two dims", lambda t, x: t.F.pad(x, (1, 0, 2, 1)), ((2, 3),)),
    Case("F.pad value", lambda t, x: t.F.pad(x, (0, 1), value=0.5), ((2, 2, 2),)),
    Case("F.pad 4-d", lambda t, x: t.F.pad(x, (1, 1, 1, 1)), ((1, 2, 2, 3),)),
    Case("F.linear", lambda t, x, w, b: t.F.linear(x, w, b), ((4, 3), (2, 3), (2,))),
    Case("F.linear no bias", lambda t, x, w: t.F.linear(x, w), ((2, 4, 3), (2, 3))),
    Case("F.cross_entropy", lambda t, z, y: t.F.cross_entropy(z, y), ((3, 4), TARGETS)),
    Case("F.cross_entropy sum", lambda t, z, y: t.F.cross_entropy(z, y, reduction="sum"), ((3, 4), TARGETS)),
    Case("F.cross_entropy none", lambda t, z, y: t.F.cross_entropy(z, y, reduction="none"), ((3, 4), TARGETS)),
    Case("F.nll_loss", lambda t, z, y: t.F.nll_loss(z.log_softmax(dim=1), y), ((3, 4), TARGETS)),
    Case("F.mse_loss", lambda t, a, b: t.F.mse_loss(a, b), ((2, 3), (2, 3))),
    Case("F.mse_loss none", lambda t, a, b: t.F.mse_loss(a, b, reduction="none"), ((2, 3), (2, 3))),
    Case("F.binary_cross_entropy", lambda t, z, y: t.F.binary_cross_entropy(z.sigmoid(), y),
         ((4,), np.array([0.0, 1.0, 1.0, 0.0]))),
    Case("F.binary_cross_entropy_with_logits",
         lambda t, z, y: t.F.binary_cross_entropy_with_logits(z, y), ((2, 2), np.array([[0.0, 1.0], [1.0, 1.0]]))),
    Case("F.layer_norm", lambda t, x, w, b: t.F.layer_norm(x, (3,), w, b), ((2, 3), (3,), (3,))),
    Case("F.embedding", lambda t, i, w: t.F.embedding(i, w), (np.array([[0, 2], [2, 1]]), (3, 2))),
    Case("F.conv2d", lambda t, x, w, b: t.F.conv2d(x, w, b, stride=1, padding=1),
         ((1, 2, 4, 4), (3, 2, 3, 3), (3,)), atol=1e-8),
    Case("F.max_pool2d", lambda t, x: t.F.max_pool2d(x, 2), ((1, 2, 4, 4),)),
    Case("F.avg_pool2d", lambda t, x: t.F.avg_pool2d(x, 2, stride=1), ((1, 1, 3, 3),)),
    Case("F.dropout p=0", lambda t, x: t.F.dropout(x, p=0.0), ((2, 3),)),
    Case("sdpa", lambda t, q, k, v: t.F.scaled_dot_product_attention(q, k, v), ((2, 3, 4), (2, 3, 4), (2, 3, 2))),
    Case("sdpa causal", lambda t, q, k, v: t.F.scaled_dot_product_attention(q, k, v, is_causal=True),
         ((1, 2, 3, 4), (1, 2, 3, 4), (1, 2, 3, 4))),
    Case("sdpa bool mask selects", lambda t, q, k, v, m: t.F.scaled_dot_product_attention(q, k, v, attn_mask=m),
         ((3, 2), (3, 2), (3, 2), CAUSAL)),
    Case("sdpa float mask is added", lambda t, q, k, v, m: t.F.scaled_dot_product_attention(q, k, v, attn_mask=m),
         ((3, 2), (3, 2), (3, 2), FLOAT_MASK)),
    Case("sdpa scale", lambda t, q, k, v: t.F.scaled_dot_product_attention(q, k, v, scale=0.3),
         ((2, 3), (4, 3), (4, 2))),
    Case("tg.where", lambda t, c, a, b: t.T.where(c, a, b), (np.array([[True], [False]]), (2, 3), (2, 1))),
    Case("tg.maximum", lambda t, a, b: t.T.maximum(a, b), ((3,), (2, 1))),
    Case("tg.minimum 0-d", lambda t, a, b: t.T.minimum(a, b), ((), (2,))),
]
EINSUMS = {"ij,jk->ik": ((2, 3), (3, 4)), "bij,bjk->bik": ((2, 2, 3), (2, 3, 2)),
           "i,i->": ((3,), (3,)), "ij,j->i": ((2, 3), (3,)),
           "bhqd,bhkd->bhqk": ((1, 2, 3, 4), (1, 2, 2, 4)), "i,j->ij": ((2,), (3,)),
           "ij,kj->ik": ((2, 3), (4, 3)), "ij->ji": ((2, 3),), "ij->j": ((2, 3),),
           "bij->bji": ((2, 1, 3),)}
CASES += [Case(f"einsum {eq}", lambda t, *xs, eq=eq: t.T.einsum(eq, *xs), shapes)
          for eq, shapes in EINSUMS.items()]
FACTORIES = {
    "zeros": lambda t: t.T.zeros(2, 3), "ones tuple": lambda t: t.T.ones((2,)),
    "full float": lambda t: t.T.full((2, 3), 1.5), "full int": lambda t: t.T.full((2,), 3),
    "full bool": lambda t: t.T.full((1,), True), "arange": lambda t: t.T.arange(5),
    "arange start end step": lambda t: t.T.arange(1, 7, 2),
    "arange float": lambda t: t.T.arange(0.0, 1.0, 0.25), "linspace": lambda t: t.T.linspace(0, 1, 5),
    "linspace steps=1": lambda t: t.T.linspace(2, 3, steps=1), "eye": lambda t: t.T.eye(3),
    "eye n m": lambda t: t.T.eye(2, 3),
}
CASES += [Case(f"tg.{name}", fn) for name, fn in FACTORIES.items()]
CASES += [
    Case("zeros_like", lambda t, x: t.T.zeros_like(x), ((2, 3),)),
    Case("ones_like", lambda t, x: t.T.ones_like(x), ((),)),
    Case("full_like", lambda t, x: t.T.full_like(x, 2.5), ((3,),)),
    Case("zeros_like int", lambda t, x: t.T.zeros_like(x), (np.arange(3),)),
    Case("log of softplus", lambda t, x: t.F.softplus(x).log(), (Positive((2,)),)),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_function_matches_pytorch(case):
    check(case)
