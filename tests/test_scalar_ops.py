"""Every scalar op is gradient-checked against central differences (hypothesis)."""
import math

import pytest
from hypothesis import given, strategies as st

from tinygrad_edu.core import DomainError
from tinygrad_edu.gradcheck import gradcheck
from tinygrad_edu.scalar import SCALAR_OPS, Value
from tinygrad_edu.testing.strategies import floats_off_kinks, positive_floats

anywhere = st.floats(-3.0, 3.0, allow_nan=False)
nonzero = floats_off_kinks(-3.0, 3.0, margin=0.1)
off_relu_kink = floats_off_kinks(-3.0, 3.0, margin=1e-3)

# op name -> (strategies for the inputs, function of Values using that op)
CASES = {
    "add": ((anywhere, anywhere), lambda a, b: a + b),
    "sub": ((anywhere, anywhere), lambda a, b: a - b),
    "mul": ((anywhere, anywhere), lambda a, b: a * b),
    "div": ((anywhere, nonzero), lambda a, b: a / b),
    "neg": ((anywhere,), lambda a: -a),
    "pow_const": ((nonzero, st.sampled_from([-2, -1, 0, 1, 2, 3, 0.5, 1.5])),
                  None),  # exponent is a plain number: built below
    "pow": ((positive_floats(), anywhere), lambda a, b: a ** b),
    "relu": ((off_relu_kink,), lambda a: a.relu()),
    "tanh": ((anywhere,), lambda a: a.tanh()),
    "sigmoid": ((anywhere,), lambda a: a.sigmoid()),
    "exp": ((anywhere,), lambda a: a.exp()),
    "log": ((positive_floats(),), lambda a: a.log()),
}


def test_every_scalar_op_has_a_gradient_check():
    assert set(CASES) == set(SCALAR_OPS), "add a CASES entry for every op in SCALAR_OPS"


@pytest.mark.parametrize("name", sorted(set(CASES) - {"pow_const"}))
@given(data=st.data())
def test_scalar_op_gradient(name, data):
    strategies, fn = CASES[name]
    values = [Value(data.draw(s)) for s in strategies]
    out = fn(*values)
    assert type(out._op) is SCALAR_OPS[name]  # the case really exercises that op
    gradcheck(fn, values)


@given(base=nonzero, exponent=st.sampled_from([-2, -1, 0, 1, 2, 3, 0.5, 1.5]))
def test_pow_const_gradient(base, exponent):
    if exponent != int(exponent):
        base = abs(base)
    a = Value(base)
    assert type((a ** exponent)._op) is SCALAR_OPS["pow_const"]
    gradcheck(lambda a: a ** exponent, [a])


@given(a=anywhere, b=nonzero)
def test_reflected_ops_match_forward_forms(a, b):
    x = Value(b)
    assert (a + x).data == a + b
    assert (a - x).data == a - b
    assert (a * x).data == a * b
    assert math.isclose((a / x).data, a / b)
    gradcheck(lambda x: a - x + a * x + a / x + 2.0 ** x, [x])


@pytest.mark.parametrize("make, message", [
    (lambda: Value(0.0).log(), "log"),
    (lambda: Value(-1.0).log(), "log"),
    (lambda: Value(0.0) ** -1, r"0.0 \*\* -1"),
    (lambda: Value(-2.0) ** 0.5, "non-negative base"),
    (lambda: Value(-2.0) ** Value(2.0), "base > 0"),
    (lambda: 0.0 ** Value(2.0), "base > 0"),
    (lambda: Value(1.0) / 0.0, "division by zero"),
    (lambda: Value(1000.0).exp(), "overflows"),
])
def test_domain_errors_are_clear(make, message):
    with pytest.raises(DomainError, match=message):
        make()


def test_non_numbers_are_refused():
    with pytest.raises(TypeError, match="expected a real number, got str"):
        Value("2")
    with pytest.raises(TypeError, match="got bool"):
        Value(True)


def test_sigmoid_is_stable_for_large_inputs():
    assert Value(-800.0).sigmoid().data == 0.0
    assert Value(800.0).sigmoid().data == 1.0


def test_gradients_accumulate_across_backward_calls():
    a = Value(3.0)
    y = a * a
    y.backward()
    assert a.grad == 6.0
    y.backward()
    assert a.grad == 12.0  # added, not replaced (as in PyTorch)
