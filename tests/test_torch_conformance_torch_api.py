"""PyTorch conformance for the names tutorials call on the module (``torch.tanh(x)``,
``torch.tensor``, dtype names), Python conversions, sorting, item assignment and the
integer/boolean operators (values, shapes, dtypes, gradients and refusals, against
torch in float64). The runner: tests/torch_conformance.py."""
import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                    "the conformance suite compares against it")

from torch_conformance import Case, Positive, Raises, check, ids  # noqa: E402

FUNCTIONS = {
    "tanh": lambda t, x: t.T.tanh(x), "exp": lambda t, x: t.T.exp(x),
    "sigmoid": lambda t, x: t.T.sigmoid(x), "relu": lambda t, x: t.T.relu(x),
    "abs": lambda t, x: t.T.abs(x), "sum": lambda t, x: t.T.sum(x),
    "sum dim": lambda t, x: t.T.sum(x, dim=1, keepdim=True), "mean": lambda t, x: t.T.mean(x, 0),
    "max": lambda t, x: t.T.max(x), "max dim": lambda t, x: t.T.max(x, 1),
    "min dim keepdim": lambda t, x: t.T.min(x, dim=0, keepdim=True),
    "argmax": lambda t, x: t.T.argmax(x, dim=1), "argmin": lambda t, x: t.T.argmin(x),
    "softmax": lambda t, x: t.T.softmax(x, dim=1),
    "log_softmax": lambda t, x: t.T.log_softmax(x, dim=0),
    "clamp": lambda t, x: t.T.clamp(x, -0.5, 0.5), "tril": lambda t, x: t.T.tril(x),
    "triu diagonal": lambda t, x: t.T.triu(x, diagonal=1), "flatten": lambda t, x: t.T.flatten(x),
    "unbind": lambda t, x: t.T.unbind(x, 1), "x.unbind": lambda t, x: x.unbind(),
    "clone": lambda t, x: t.T.clone(x) * 2, "x.clone": lambda t, x: x.clone().exp(),
    "contiguous": lambda t, x: x.contiguous() * 3,
    "sort": lambda t, x: t.T.sort(x), "sort descending dim 0": lambda t, x: x.sort(0, True),
    "topk": lambda t, x: t.T.topk(x, 2), "topk smallest dim 0": lambda t, x: x.topk(1, 0, False),
    "repeat_interleave": lambda t, x: x.repeat_interleave(2),
    "repeat_interleave dim": lambda t, x: x.repeat_interleave(3, dim=1),
    "index_select": lambda t, x: x.index_select(1, t.T.tensor([2, 0, 2])),
    "where": lambda t, x: t.T.where(x > 0, x, x * 2),
    "isnan": lambda t, x: t.T.isnan(x), "all": lambda t, x: (x > -5).all(),
    "any dim": lambda t, x: (x > 1).any(dim=1), "all keepdim": lambda t, x: (x > 0).all(0, True),
    "~": lambda t, x: ~(x > 0), "&": lambda t, x: (x > 0) & (x < 1), "|": lambda t, x: (x > 1) | (x < -1),
}
CASES = [Case(f"{name} (2, 3)", fn, ((2, 3),)) for name, fn in FUNCTIONS.items()]
CASES += [
    Case("log", lambda t, x: t.T.log(x), (Positive((3,)),)),
    Case("sqrt", lambda t, x: t.T.sqrt(x), (Positive((2, 2)),)),
    Case("matmul", lambda t, a, b: t.T.matmul(a, b), ((2, 3), (3, 4))),
    Case("bmm", lambda t, a, b: t.T.bmm(a, b), ((2, 2, 3), (2, 3, 4))),
    Case("mm", lambda t, a, b: t.T.mm(a, b), ((2, 3), (3, 1))),
    Case("outer", lambda t, a, b: t.T.outer(a, b), ((3,), (4,))),
    Case("max of two", lambda t, a, b: t.T.max(a, b), ((2, 3), (2, 3))),
    # torch.tensor: PyTorch's dtypes from Python data, a numpy array's kept
    Case("tensor floats", lambda t: t.T.tensor([[1.0, 2.5]])),
    Case("tensor ints", lambda t: t.T.tensor([1, 2, 3])),
    Case("tensor bools", lambda t: t.T.tensor([True, False])),
    Case("tensor float64 array", lambda t: t.T.tensor(np.ones(2))),
    Case("tensor dtype", lambda t: t.T.tensor([1, 2], dtype=t.T.float64)),
    Case("tensor requires_grad", lambda t, x: t.T.tensor([1.0, 2.0], requires_grad=True) * 2,
         ((1,),)),
    Case("zeros int32", lambda t: t.T.zeros(2, 3, dtype=t.T.int32)),
    Case("ones float64", lambda t: t.T.ones(2, dtype=t.T.float64)),
    Case("randn float64 shape", lambda t: t.T.randn(4, dtype=t.T.double) * 0),
    Case("type long", lambda t, x: x.type(t.T.long), ((2, 3),)),
    Case("type float32", lambda t, x: x.type(t.T.float32), ((3,),)),
    Case("half", lambda t, x: x.detach().half(), ((2, 3),)),
    Case("type float16", lambda t: t.T.tensor([1.5, -2.25]).type(t.T.float16)),
    Case("int to float", lambda t: t.T.tensor([1, 2]).type(t.T.float)),
    # integer and boolean operators, Python's rounding (as PyTorch's)
    Case("int // int", lambda t, a, b: a // b, (np.array([7, -7, 6]), np.array([2, 2, -4]))),
    Case("int % int", lambda t, a, b: a % b, (np.array([7, -7, 6]), np.array([3, 3, -4]))),
    Case("int // 2", lambda t, a: a // 2, (np.array([5, -5]),)),
    Case("int % 3", lambda t, a: a % 3, (np.array([5, -5, 9]),)),
    Case("float // 2", lambda t, a: a // 2, (np.array([5.5, -5.5]),)),
    Case("float % 2", lambda t, a: a % 2, (np.array([5.5, -5.5]),)),
    Case("% in a graph", lambda t, x: x % 0.7, ((2, 3),)),
    Case("% of two tensors in a graph", lambda t, x, y: x % y, ((4,), (4,))),
    Case("int // 2.5 is float32", lambda t, a: a // 2.5, (np.array([5, -6]),)),
    Case("7 // int", lambda t, a: 7 // a, (np.array([2, -3]),)),
    Case("int & int", lambda t, a, b: a & b, (np.array([6, 3]), np.array([3, 5]))),
    Case("int | int", lambda t, a, b: a | b, (np.array([6, 3]), np.array([3, 5]))),
    Case("~ int", lambda t, a: ~a, (np.array([0, 5, -2]),)),
    Case("bool & True", lambda t, a: a & True, (np.array([True, False]),)),
    Case("bool | bool", lambda t, a, b: a | b, (np.array([True, False]), np.array([False, False]))),
    Case("isnan", lambda t, a: t.T.isnan(a), (np.array([1.0, np.nan]),)),
    # item assignment: in place without grad, recorded in a graph (old entries get no gradient)
    Case("setitem row", lambda t, a: _set(a, 0, 9), (np.arange(6).reshape(2, 3),)),
    Case("setitem mask", lambda t, a: _set(a, a > 2, -1), (np.arange(6).reshape(2, 3),)),
    Case("setitem slice +=", lambda t, a: _add(a, (1, slice(1, None)), 10),
         (np.arange(6).reshape(2, 3),)),
    Case("setitem int index tensor", lambda t, a: _set(a, t.T.tensor([0, 2]), 7), (np.arange(4),)),
    Case("setitem float tensor value", lambda t, a, v: _set(a, (slice(None), 1), v),
         (np.zeros((2, 3)), np.array([1.5, 2.5]))),
    Case("setitem float into int truncates", lambda t, a: _set(a, 0, 2.7), (np.arange(3),)),
    Case("setitem in a graph", lambda t, x: _set(x * 1, 0, 0.5), ((2, 3),)),
    Case("setitem mask in a graph", lambda t, x: _set(x * 3, x > 0, 0.0), ((2, 3),)),
    Case("setitem in a graph then used", lambda t, x: _set(x * 2, (slice(None), 0), 1.0).tanh(),
         ((3, 2),)),
    Case("setitem a value that requires grad", lambda t, x, v: _set(t.T.zeros(2, 3, dtype=t.T.float64),
         (slice(None), 1), v * 3), ((2, 3), (2,))),
    Case("setitem rows of a buffer, RNN style", lambda t, h: _rows(t, h), ((2, 4),)),
    Case("setitem += on a tensor in a graph", lambda t, x: _add(x * 2, 0, 1.0), ((2, 3),)),
    Case("setitem += a tensor in a graph", lambda t, x, v: _add(x * 2, (slice(None), 0), v),
         ((2, 3), (2,))),
    Case("setitem broadcast value with grad", lambda t, x, v: _set(x * 1, 1, v), ((2, 3), (1,))),
    Case("setitem 0-d value with grad at a mask", lambda t, x, v: _set(x * 1, x > 0, v),
         ((2, 3), ())),
    Case("setitem index tensor, value with grad", lambda t, x, v: _set(x * 1, t.T.tensor([2, 0]), v),
         ((4,), (2,))),
    Case("setitem under no_grad on a leaf", lambda t, x: _set_no_grad(t, x, 1, 0.0) * 1, ((3,),)),
]


def _set(a, index, value):
    a[index] = value
    return a


def _add(a, index, value):
    a[index] += value
    return a


def _rows(t, h):
    out = t.T.zeros(3, 2, 4, dtype=t.T.float64)
    for step in range(3):
        out[step] = (h * (step + 1)).tanh()
    return out


def _set_no_grad(t, x, index, value):
    with t.T.no_grad():
        x[index] = value
    return x


RAISES = [
    Raises("setitem on a leaf that requires grad", lambda t, x: _set(x, 0, 1.0), ((3,),)),
    Raises("float() of two elements", lambda t, x: float(x.detach()), ((2,),)),
    Raises("int() of a (2, 2)", lambda t, x: int(x), ((2, 2),)),
    Raises("format spec on a 1-D tensor", lambda t, x: f"{x:.2f}", ((1,),)),
    Raises("index with a float tensor", lambda t, x: [1, 2][x.sum().detach()], ((1,),)),
    Raises("~ float", lambda t, x: ~x.detach(), ((2,),)),
    Raises("float & float", lambda t, x: x.detach() & x.detach(), ((2,),)),
    Raises("// backward in a graph", lambda t, x: (x // 2).sum().backward(), ((2,),)),
    Raises("int // 0", lambda t, a: a // 0, (np.array([1, 2]),)),
    Raises("int % 0", lambda t, a: a % t.T.tensor([1, 0]), (np.array([1, 2]),)),
    Raises("bmm of 2-D", lambda t, a, b: t.T.bmm(a, b), ((2, 3), (3, 2))),
    Raises("outer of 2-D", lambda t, a, b: t.T.outer(a, b), ((2, 3), (3,))),
    Raises("allclose across dtypes", lambda t, a: t.T.allclose(a, a.float()), ((2,),)),
    Raises("topk k too large", lambda t, x: x.topk(4), ((3,),)),
    Raises("unbind dim out of range", lambda t, x: x.unbind(2), ((2, 3),)),
    Raises("sort dim out of range", lambda t, x: x.sort(3), ((2, 3),)),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_matches_pytorch(case):
    check(case)


@pytest.mark.parametrize("case", RAISES, ids=ids(RAISES))
def test_both_refuse(case):
    check(case)
