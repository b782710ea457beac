"""Every op in the tensor op table is gradient-checked (float64, central differences)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import tinygrad_edu as tg
from tinygrad_edu import Tensor
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.nn import functional as F
from tinygrad_edu.tensor import OP_TABLE
from tinygrad_edu.testing.strategies import broadcastable_shapes, float64_arrays, shapes
from tensor_op_cases import CASES, leaf


def test_every_tensor_op_has_a_gradient_check():
    missing = set(OP_TABLE) - set(CASES)
    assert not missing, f"ops without a gradient check: {sorted(missing)}"
    assert set(CASES) <= set(OP_TABLE)


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
def test_tensor_op_gradient(name, data):
    fn, arrays = CASES[name](data.draw)
    inputs = [leaf(a) for a in arrays]
    out = fn(*inputs)
    assert type(out._op) is OP_TABLE[name], f"case for {name} built {out._op}"
    gradcheck(fn, inputs)


@given(data=st.data())
def test_shape_helpers_gradients(data):
    shape = data.draw(shapes(min_dims=1))
    x = leaf(data.draw(float64_arrays(shape)))
    gradcheck(lambda a: a.unsqueeze(0).squeeze(0).flatten().T * 2.0, [x])
    gradcheck(lambda a: a.transpose(0, -1).unsqueeze(-1), [x])


@given(data=st.data())
def test_forward_values_match_numpy(data):
    (sa, sb) = data.draw(broadcastable_shapes())
    a, b = data.draw(float64_arrays(sa)), data.draw(float64_arrays(sb))
    ta, tb = Tensor(a, dtype=np.float64), Tensor(b, dtype=np.float64)
    np.testing.assert_allclose((ta * tb + ta / (tb.abs() + 1)).data, a * b + a / (np.abs(b) + 1))
    np.testing.assert_allclose(ta.exp().log().data, a, rtol=1e-12, atol=1e-12)
    if a.ndim:
        s = ta.softmax(axis=-1).data
        np.testing.assert_allclose(s.sum(axis=-1), 1.0)
        e = np.exp(a - a.max(axis=-1, keepdims=True))
        np.testing.assert_allclose(s, e / e.sum(axis=-1, keepdims=True))


# PyTorch's composite methods (built from ops in the table, so no entry of their own):
# their gradients and second derivatives, against central differences in float64.
def _dim(data, shape):
    return data.draw(st.integers(-len(shape), len(shape) - 1))


COMPOSITES = {
    "gather": lambda d, s: (lambda a, i=d.draw(st.integers(0, s[0] - 1)):
                            a.gather(0, np.full((2,) + s[1:], i))),
    "masked_fill": lambda d, s: (lambda a: a.masked_fill(a.data > 0, 0.5)),
    "tril": lambda d, s: (lambda a: a.reshape(-1, 1).expand(-1, 2).tril()),
    "triu": lambda d, s: (lambda a: a.reshape(-1, 1).expand(-1, 3).triu(1)),
    "flip": lambda d, s: (lambda a, k=_dim(d, s): a.flip(k)),
    "repeat": lambda d, s: (lambda a: a.repeat(*([2] + [1] * (len(s) - 1)))),
    "chunk": lambda d, s: (lambda a, k=_dim(d, s): tg.stack([c.sum() for c in a.chunk(2, dim=k)])),
    "split": lambda d, s: (lambda a, k=_dim(d, s): tg.cat([c.flatten() * (i + 1) for i, c in enumerate(a.split(1, k))])),
    "std": lambda d, s: (lambda a, k=_dim(d, s): a.std(dim=k, correction=0)),
    "logsumexp": lambda d, s: (lambda a, k=_dim(d, s): a.logsumexp(dim=k)),
    "norm": lambda d, s: (lambda a: a.norm()),
    "norm p=3 dim": lambda d, s: (lambda a, k=_dim(d, s): a.norm(p=3, dim=k)),
    "max dim": lambda d, s: (lambda a, k=_dim(d, s): a.max(dim=k).values),
    "einsum": lambda d, s: (lambda a: tg.einsum("i,j->ij", a.flatten(), a.flatten().exp())),
    "gelu": lambda d, s: F.gelu,
    "gelu tanh": lambda d, s: (lambda a: F.gelu(a, approximate="tanh")),
    "silu": lambda d, s: F.silu,
    "elu": lambda d, s: F.elu,
    "rsqrt": lambda d, s: (lambda a: (a * a + 0.5).rsqrt()),
    "pad": lambda d, s: (lambda a: F.pad(a, (1, 2))),
}


@pytest.mark.parametrize("name", sorted(COMPOSITES))
@settings(max_examples=25)  # each is also held to PyTorch, case by case (test_torch_conformance_*)
@given(data=st.data())
def test_pytorch_composites_first_and_second_derivatives(name, data):
    shape = data.draw(shapes(min_dims=1, min_side=2))
    x = leaf(data.draw(float64_arrays(shape, unique=True)))
    fn = COMPOSITES[name](data, shape)
    gradcheck(fn, [x])
    gradgradcheck(fn, [x])
