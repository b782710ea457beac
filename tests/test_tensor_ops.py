"""Every op in the tensor op table is gradient-checked (float64, central differences)."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from tinygrad_edu import Tensor
from tinygrad_edu.gradcheck import gradcheck
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
