"""Exercise 7, matmul: the gradients of both operands of C = A @ B.

The template's worked example, by the reference solution:

>>> da, db = backward(np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]]), np.array([[1.0]]))
>>> da.tolist(), db.tolist()
([[3.0, 4.0]], [[1.0], [2.0]])
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..diagnosis import SIGN, TRANSPOSED, UPSTREAM
from ..function_task import FunctionTask
from ..library import tensor_grads
from ..search import arrays, central_differences

NAME = "matmul"
SUMMARY = "C = A @ B: dL/dA and dL/dB from the upstream gradient dL/dC"
TEMPLATE = '''"""Exercise: matmul. Backward through a matrix product.

C = A @ B with A of shape (n, k) and B of shape (k, m), so C is (n, m). Backward
reaches C with upstream = dL/dC, an (n, m) array. Return dL/dA (shape (n, k)) and
dL/dB (shape (k, m)).

Worked example:
    A = [[1, 2]], B = [[3], [4]], upstream = [[1]]  ->  C = [[11]] and
    backward(A, B, upstream) == ([[3, 4]], [[1], [2]])

Check it with:  tinygrad-edu exercise check matmul
"""
import numpy as np


def backward(a, b, upstream):
    """(dL/dA, dL/dB) for C = A @ B, given upstream = dL/dC."""
    raise NotImplementedError
'''
HINTS = (
    "Write one entry: C[i, j] = sum over p of A[i, p] * B[p, j]. So dC[i, j]/dA[i, p] = B[p, j].",
    "Sum the chain rule over j: dL/dA[i, p] = sum_j upstream[i, j] * B[p, j]: a matrix product "
    "of upstream with B transposed.",
    "Let the shapes guide you: dL/dA must be (n, k) = (n, m) @ (m, k) = upstream @ B.T; "
    "dL/dB must be (k, m) = (k, n) @ (n, m) = A.T @ upstream.",
)


def backward(a, b, upstream):
    """The reference: upstream @ Bᵀ and Aᵀ @ upstream."""
    return upstream @ b.T, a.T @ upstream


@st.composite
def _cases(draw):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    return {"a": draw(arrays((n, k))), "b": draw(arrays((k, m))), "upstream": draw(arrays((n, m)))}


def _expected(case):
    return tensor_grads(lambda a, b: a @ b, [case["a"], case["b"]], case["upstream"])


def _numeric(case):
    u = case["upstream"]
    return tuple(central_differences(lambda a, b: float(((a @ b) * u).sum()), [case["a"], case["b"]]))


def _mistakes(case):
    a, b, u = case["a"], case["b"], case["upstream"]
    ga, gb = backward(a, b, u)
    ones = np.ones_like(u)
    return {TRANSPOSED: (ga.T, gb.T), SIGN: (-ga, -gb), UPSTREAM: (ones @ b.T, a.T @ ones)}


def _why(case, k):
    return "upstream @ B.T" if k == 0 else "A.T @ upstream"


TASK = FunctionTask(NAME, "backward", ("a", "b", "upstream"), _cases(), ("dL/dA", "dL/dB"),
                    _expected, _numeric, _mistakes, _why)


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)


def page_root(inputs):
    """The failing case as a tensor graph: L = sum((A @ B) * upstream)."""
    from ...tensor import Tensor
    a = Tensor(np.array(inputs["a"]), requires_grad=True, dtype=np.float64, label="A")
    b = Tensor(np.array(inputs["b"]), requires_grad=True, dtype=np.float64, label="B")
    c = a @ b
    c.label = "C"
    root = (c * Tensor(np.array(inputs["upstream"]), dtype=np.float64, label="upstream")).sum()
    root.label = "L"
    return root, {"dL/dA": a, "dL/dB": b}
