"""PyTorch conformance, elementwise: operators and their method forms with broadcasting
and 0-d tensors, functions, activations and comparisons (values, shapes, dtypes and
every input's gradient, against torch in float64). The runner: tests/torch_conformance.py."""
import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                    "the conformance suite compares against it")

from torch_conformance import Case, Positive, check, ids  # noqa: E402

PAIRS = [((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3)), ((4,), ()), ((2, 3, 4), (3, 1))]
OPERATORS = {
    "+": lambda t, a, b: a + b, "-": lambda t, a, b: a - b, "*": lambda t, a, b: a * b,
    "maximum": lambda t, a, b: t.T.maximum(a, b), "minimum": lambda t, a, b: t.T.minimum(a, b),
    "add": lambda t, a, b: a.add(b), "sub": lambda t, a, b: a.sub(b),
    "mul": lambda t, a, b: a.mul(b), "add alpha": lambda t, a, b: a.add(b, alpha=0.5),
    "sub alpha": lambda t, a, b: a.sub(b, alpha=2), "x.maximum": lambda t, a, b: a.maximum(b),
    "x.minimum": lambda t, a, b: a.minimum(b),
}
CASES = [Case(f"{name} {sa} {sb}", fn, (sa, sb)) for name, fn in OPERATORS.items()
         for sa, sb in PAIRS]
CASES += [Case(f"{name} {sa} {sb}", fn, (sa, Positive(sb)))
          for name, fn in {"/": lambda t, a, b: a / b, "div": lambda t, a, b: a.div(b),
                           "pow": lambda t, a, b: b.pow(a), "**": lambda t, a, b: b ** a}.items()
          for sa, sb in PAIRS[:3]]

UNARY = {
    "exp": lambda t, x: x.exp(), "abs": lambda t, x: x.abs(), "relu": lambda t, x: x.relu(),
    "tanh": lambda t, x: x.tanh(), "sigmoid": lambda t, x: x.sigmoid(),
    "sin": lambda t, x: x.sin(), "cos": lambda t, x: x.cos(), "erf": lambda t, x: x.erf(),
    "sign": lambda t, x: x.sign(), "floor": lambda t, x: x.floor(), "ceil": lambda t, x: x.ceil(),
    "square": lambda t, x: x.square(), "neg": lambda t, x: x.neg(), "-x": lambda t, x: -x,
    "clamp": lambda t, x: x.clamp(-0.5, 0.7), "clamp min": lambda t, x: x.clamp(min=0.1),
    "clamp max": lambda t, x: x.clamp(max=-0.3), "clip": lambda t, x: x.clip(-1, 1),
    "pow 3": lambda t, x: x.pow(3), "** 2": lambda t, x: x ** 2, "2 ** x": lambda t, x: 2 ** x,
    "1 - x": lambda t, x: 1 - x, "x / 4": lambda t, x: x / 4, "3 * x": lambda t, x: 3 * x,
    "masked_fill": lambda t, x: x.masked_fill(x > 0, 0.5),
}
POSITIVE = {"log": lambda t, x: x.log(), "sqrt": lambda t, x: x.sqrt(),
            "rsqrt": lambda t, x: x.rsqrt(), "reciprocal": lambda t, x: x.reciprocal(),
            "pow 0.5": lambda t, x: x.pow(0.5), "1 / x": lambda t, x: 1 / x}
for shape in [(2, 3), ()]:
    CASES += [Case(f"{name} {shape}", fn, (shape,)) for name, fn in UNARY.items()]
    CASES += [Case(f"{name} {shape}", fn, (Positive(shape),)) for name, fn in POSITIVE.items()]

CASES += [
    Case("matmul mm", lambda t, a, b: a.matmul(b), ((2, 3), (3, 4))),
    Case("@ batched", lambda t, a, b: a @ b, ((2, 2, 3), (2, 3, 4))),
    Case("@ broadcast batch", lambda t, a, b: a @ b, ((3, 2, 3), (3, 4))),
    Case("@ vector vector", lambda t, a, b: a @ b, ((3,), (3,))),
    Case("@ matrix vector", lambda t, a, b: a @ b, ((2, 3), (3,))),
    Case("@ vector matrix", lambda t, a, b: a.matmul(b), ((3,), (3, 2))),
    Case("< tensor", lambda t, a, b: a < b, ((2, 3), (3,))),
    Case(">= number", lambda t, a: a >= 0.1, ((2, 3),)),
    Case("== tensor", lambda t, a: a == a, ((2, 3),)),
    Case("!= number", lambda t, a: a != 0.5, ((3,),)),
    Case("masked_fill broadcast mask", lambda t, x: x.masked_fill(
        t.T.tensor([True, False, True]) if t.name == "torch" else np.array([True, False, True]), -1.0),
        ((2, 3),)),
    Case("masked_fill mask broadcasts the result", lambda t, x, m: x.masked_fill(m, 2.0),
         ((3,), np.array([[True, False, False], [False, False, True]]))),
    # PyTorch's dtype promotion, where numpy's differs
    Case("int / int is float32", lambda t, a, b: a / b, (np.arange(1, 4), np.array([2, 2, 2]))),
    Case("int * 0.5 is float32", lambda t, a: a * 0.5, (np.arange(3),)),
    Case("int + float64 tensor", lambda t, a, b: a + b, (np.arange(3), (3,))),
    Case("float32 * float64 0-d", lambda t, a, b: a * b, (np.ones(3, np.float32), ())),
    Case("float64 0-d * float32", lambda t, a, b: b * a, (np.ones(2, np.float32), ())),
    Case("int32 + int64 0-d", lambda t, a, b: a + b, (np.arange(3, dtype=np.int32), np.array(2))),
    Case("bool + int", lambda t, a, b: a + b, (np.array([True, False]), np.array([1, 2]))),
    Case("int ** 0.5", lambda t, a: a ** 0.5, (np.arange(4),)),
    Case("int ** 2 stays int", lambda t, a: a ** 2, (np.arange(4),)),
    Case("int exp", lambda t, a: a.exp(), (np.arange(3),)),
    Case("int sqrt", lambda t, a: a.sqrt(), (np.arange(3),)),
    Case("int sigmoid", lambda t, a: a.sigmoid(), (np.arange(3),)),
    Case("int sin", lambda t, a: a.sin(), (np.arange(3),)),
    Case("int relu stays int", lambda t, a: a.relu(), (np.arange(-2, 2),)),
    Case("long truncates", lambda t, a: a.long(), ((2, 3),)),
    Case("int", lambda t, a: a.int(), ((3,),)),
    Case("bool", lambda t, a: a.bool(), (np.array([0.0, 1.5, -2.0]),)),
    Case("float of int", lambda t, a: a.float(), (np.arange(3),)),
    Case("double of bool", lambda t, a: a.double(), (np.array([True, False]),)),
    Case("float of float64 keeps the gradient", lambda t, a: a.float() * 2, ((2, 3),), atol=1e-6),
    Case("double of float32", lambda t, a: (a.double() ** 2).sum(), (np.ones(3, np.float32),)),
    Case("to float32", lambda t, a: a.to(t.T.float32) if t.name == "torch" else a.to(np.float32),
         ((3,),), atol=1e-6),
    Case("to cpu", lambda t, a: a.to("cpu"), ((3,),)),
    Case("tril", lambda t, x: x.tril(), ((3, 4),)),
    Case("tril -1 batched", lambda t, x: x.tril(-1), ((2, 3, 3),)),
    Case("triu 1", lambda t, x: x.triu(1), ((3, 3),)),
    Case("triu diagonal=-1", lambda t, x: x.triu(diagonal=-1), ((4, 2),)),
    Case("where", lambda t, c, a, b: t.T.where(c, a, b), (np.array([True, False, True]), (2, 3), (3,))),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_elementwise_matches_pytorch(case):
    check(case)


def test_there_are_enough_elementwise_cases():
    assert len(CASES) >= 100
