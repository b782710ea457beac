"""Exercise 8, softmax_cross_entropy: the gradient of the mean cross-entropy by logits.

The template's worked example, by the reference solution:

>>> backward(np.array([[0.0, 0.0]]), np.array([0])).tolist()
[[-0.5, 0.5]]
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..diagnosis import SIGN
from ..function_task import FunctionTask
from ..library import tensor_grads
from ..search import arrays, central_differences

NAME = "softmax_cross_entropy"
SUMMARY = "dL/dlogits for L = mean cross-entropy of softmax(logits) against class targets"
TEMPLATE = '''"""Exercise: softmax_cross_entropy. The classifier's loss, backward.

logits: (N, C) scores for N examples and C classes; targets: (N,) class numbers.
p = softmax(logits) row by row, and L = mean over the N rows of -log p[row, target].
Return dL/dlogits, an (N, C) array (L is the mean, so every row is divided by N).

Worked example:
    logits = [[0, 0]], targets = [0]  ->  p = [[0.5, 0.5]], L = log 2 = 0.693147,
    backward(logits, targets) == [[-0.5, 0.5]]

Check it with:  tinygrad-edu exercise check softmax_cross_entropy
"""
import numpy as np


def backward(logits, targets):
    """dL/dlogits for the mean cross-entropy of softmax(logits) against targets."""
    raise NotImplementedError
'''
HINTS = (
    "Do one row first: with p = softmax(z), d(-log p[t])/dz[j] = p[j] - (1 if j == t else 0).",
    "So the row's gradient is p minus the one-hot vector of its target; the mean over N rows "
    "divides each row's gradient by N.",
    "Subtract the row's max from the logits before exp (the gradient does not change) so exp "
    "never overflows.",
)


def backward(logits, targets):
    """The reference: (softmax(logits) - one_hot(targets)) / N."""
    p = _softmax(logits, axis=1)
    p[np.arange(len(targets)), targets] -= 1
    return p / len(targets)


def _softmax(z, axis):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@st.composite
def _cases(draw):
    n, c = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    return {"logits": draw(arrays((n, c))),
            "targets": np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))}


def _loss(logits, targets):
    from ...nn import functional as F
    return F.cross_entropy(logits, targets)


def _expected(case):
    return tensor_grads(lambda z: _loss(z, case["targets"]), [case["logits"]], 1.0)


def _numeric(case):
    t = case["targets"]

    def loss(z):
        p = _softmax(z, axis=1)
        return float(-np.log(p[np.arange(len(t)), t]).mean())
    return tuple(central_differences(loss, [case["logits"]]))


def _mistakes(case):
    z, t = case["logits"], case["targets"]
    n, right = len(t), backward(z, t)
    onehot = np.eye(z.shape[1])[t]
    return {SIGN: (-right,), "forgot the mean's 1/N": (right * n,),
            "one-hot not subtracted": (_softmax(z, axis=1) / n,),
            "softmax over the wrong axis": ((_softmax(z, axis=0) - onehot) / n,)}


TASK = FunctionTask(
    NAME, "backward", ("logits", "targets"), _cases(), ("dL/dlogits",), _expected, _numeric,
    _mistakes, lambda case, k: "(softmax(logits) - one_hot(targets)) / N",
    explain={"forgot the mean's 1/N": "L is the mean over the N rows, so each row's gradient "
                                      "is divided by N",
             "one-hot not subtracted": "d(-log p[t])/dz = p - one_hot(t): the target's entry "
                                       "gets 1 subtracted",
             "softmax over the wrong axis": "softmax normalises each row (axis 1, over the "
                                            "classes), not each column"})


def check(namespace, shrink: bool = True):
    return TASK.check(namespace, shrink)
