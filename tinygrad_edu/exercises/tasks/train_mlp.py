"""Exercise 11, train_mlp: your own 2-layer MLP, your backward, trained on the digits.

The template's worked example, by the reference solution:

>>> P = {"W1": np.zeros((64, 4)), "b1": np.zeros(4), "W2": np.zeros((4, 10)), "b2": np.zeros(10)}
>>> y = np.array([3, 3])
>>> bool(np.allclose(gradients(P, np.ones((2, 64)), y)["b2"], 0.1 - np.eye(10)[3]))
True
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..diagnosis import BROADCAST, SIGN, TRANSPOSED
from ..function_task import FunctionTask
from ..learner import LearnerRaised, NotStarted, call, function, status
from ..library import tensor_grads
from ..outcome import Outcome
from ..search import central_differences

NAME = "train_mlp"
SUMMARY = "your 2-layer MLP: its gradients, then train it on the digits to 90% test accuracy"
ACCURACY = 0.90   # the reference: 0.947-0.981 over seeds 0-9 and OpenBLAS core types
TRAIN_SECONDS = 45.0  # train()'s limit in the sandbox (other calls get learner.CALL_SECONDS)
KEYS = ("W1", "b1", "W2", "b2")
TEMPLATE = '''"""Exercise: train_mlp. Your own network, your own backward, real data.

A 2-layer MLP for the 8x8 digits: x (N, 64) -> relu(x @ W1 + b1) -> @ W2 + b2 = logits
(N, 10), and the loss L = mean cross-entropy of softmax(logits) against the labels.
params is a dict of numpy arrays: W1 (64, H), b1 (H,), W2 (H, 10), b2 (10,).

1. gradients(params, x, y): return a dict with the same keys, dL/dW1 ... dL/db2.
   (It is checked on small random shapes too, so do not assume 64, H or 10.)
   Reuse your earlier answers: matmul's backward, softmax_cross_entropy's backward,
   unbroadcast (the biases are broadcast over the batch). The exercise files sit in
   this folder, so `from matmul import backward as matmul_backward` works, or copy them.
2. train(images, labels, seed): start from small random weights (numpy's
   np.random.default_rng(seed)), run gradient descent with your gradients, return
   params. images: (N, 64) floats in [0, 1]; labels: (N,) ints 0-9 (the training split
   of tinygrad_edu.data.load_digits()). The check trains once and wants at least 90%
   accuracy on the test split, within 45 s.

Worked example: with all parameters 0, logits are 0, every class has p = 0.1,
L = log(10) = 2.302585, and dL/db2 = mean over rows of (0.1 - one_hot(label)).

Check it with:  tinygrad-edu exercise check train_mlp
"""
import numpy as np


def gradients(params, x, y):
    """{"W1": dL/dW1, "b1": dL/db1, "W2": dL/dW2, "b2": dL/db2} for the mean cross-entropy."""
    raise NotImplementedError


def train(images, labels, seed):
    """Trained params {"W1", "b1", "W2", "b2"}."""
    raise NotImplementedError
'''
HINTS = (
    "Forward, keeping what backward needs: z1 = x @ W1 + b1, a1 = relu(z1), logits = "
    "a1 @ W2 + b2. Backward starts with dlogits = (softmax(logits) - one_hot(y)) / N.",
    "dW2 = a1.T @ dlogits, db2 = dlogits summed over rows; da1 = dlogits @ W2.T; relu "
    "passes the gradient only where z1 > 0: dz1 = da1 * (z1 > 0); then the same for W1, b1.",
    "Training: W ~ normal(0, 1/sqrt(fan_in)), biases 0, hidden size 32, minibatches of 32, "
    "learning rate 0.5, 30 epochs, shuffling each epoch, reaches about 95%.",
)


def _forward(params, x):
    z1 = x @ params["W1"] + params["b1"]
    return z1, np.maximum(z1, 0) @ params["W2"] + params["b2"]


def gradients(params, x, y):
    """The reference."""
    return dict(zip(KEYS, _gradients(params, x, y)))


def _gradients(params, x, y, mistake=None):
    z1, logits = _forward(params, x)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    dlogits = -p / len(y) if mistake == SIGN else p / len(y)
    a1 = np.maximum(z1, 0)
    dz1 = dlogits @ params["W2"].T
    if mistake != "relu mask forgotten":
        dz1 = dz1 * (z1 > 0)
    dw1 = (dz1.T @ x) if mistake == TRANSPOSED else x.T @ dz1
    summed = (lambda d: d) if mistake == BROADCAST else (lambda d: d.sum(0))
    return dw1, summed(dz1), a1.T @ dlogits, summed(dlogits)


def train(images, labels, seed):
    """The reference: SGD with minibatches of 32, learning rate 0.5, 30 epochs."""
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(0, 1 / 8, (64, 32)), "b1": np.zeros(32),
              "W2": rng.normal(0, 1 / np.sqrt(32), (32, 10)), "b2": np.zeros(10)}
    for _ in range(30):
        order = rng.permutation(len(labels))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            grads = gradients(params, images[batch], labels[batch])
            for k in KEYS:
                params[k] -= 0.5 * grads[k]
    return params


def accuracy(params, images, labels) -> float:
    """Share of ``images`` whose largest logit is at the label."""
    return float((_forward(params, images)[1].argmax(axis=1) == labels).mean())


@st.composite
def _cases(draw):
    n, d, hid = (draw(st.integers(1, 3)) for _ in range(3))
    c = draw(st.integers(2, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
    params = {"W1": rng.normal(size=(d, hid)), "b1": rng.normal(size=hid),
              "W2": rng.normal(size=(hid, c)), "b2": rng.normal(size=c)}
    x = rng.normal(size=(n, d)).round(2)
    return {"params": params, "x": x, "y": rng.integers(0, c, n)}


def _off_kinks(case) -> bool:  # relu's kink at 0: central differences are wrong there
    return bool(np.all(np.abs(_forward(case["params"], case["x"])[0]) > 1e-2))


def _expected(case):
    from ...nn import functional as F
    P = case["params"]
    return tensor_grads(lambda w1, b1, w2, b2: F.cross_entropy(
        (case["x"] @ w1 + b1).relu() @ w2 + b2, case["y"]), [P[k] for k in KEYS], 1.0)


def _numeric(case):
    def loss(w1, b1, w2, b2):
        logits = _forward({"W1": w1, "b1": b1, "W2": w2, "b2": b2}, case["x"])[1]
        logits = logits - logits.max(axis=1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(case["y"])), case["y"]].mean())
    return tuple(central_differences(loss, [case["params"][k] for k in KEYS]))


def _mistakes(case):
    return {m: _gradients(case["params"], case["x"], case["y"], m)
            for m in (SIGN, "relu mask forgotten", TRANSPOSED, BROADCAST)}


class _Task(FunctionTask):
    def normalise(self, result):  # the learner returns a dict
        if not isinstance(result, dict) or any(k not in result for k in KEYS):
            return None
        return tuple(result[k] for k in KEYS)


TASK = _Task(NAME, "gradients", ("params", "x", "y"), _cases().filter(_off_kinks),
             tuple(f"dL/d{k}" for k in KEYS), _expected, _numeric, _mistakes,
             explain={"relu mask forgotten": "relu passes the gradient only where its input "
                                             "was positive: multiply by (z1 > 0)",
                      BROADCAST: "the biases are added to every row: sum their gradients over "
                                 "the batch axis"},
             examples=40)


def check(namespace, shrink: bool = True, data=None) -> Outcome:
    """Gradients first (hypothesis, as the other exercises); then train() once on the
    digits (``data``: a load_digits() split, or a smaller one in tests)."""
    outcome = TASK.check(namespace, shrink)
    if not outcome.passed:
        return outcome
    try:
        train_fn = function(namespace, "train")
    except NotStarted:
        return Outcome(NAME, "not started", f"{NAME}: gradients right on {TASK.examples} inputs "
                       "drawn by hypothesis; no train() to run yet.")
    if data is None:
        from ...data import load_digits
        data = load_digits()
    x_train, x_test = (a.reshape(len(a), -1).astype(np.float64) for a in (data.train_images,
                                                                           data.test_images))
    try:
        params = call(train_fn, x_train, data.train_labels.copy(), 0, fresh=False,
                      seconds=TRAIN_SECONDS)
        score = accuracy(params, x_test, data.test_labels)
    except NotStarted as e:
        return Outcome(NAME, "not started", f"{NAME}: gradients right; train: {e}.")
    except LearnerRaised as e:
        return Outcome(NAME, status(e), f"{NAME}: train failed:\n  {e.report}")
    except (TypeError, KeyError, ValueError, IndexError) as e:
        return Outcome(NAME, "wrong", f"{NAME}: train should return the dict of parameters "
                       f"{', '.join(KEYS)} with the shapes above; using it failed: {e}")
    verdict = "pass" if score >= ACCURACY else "wrong"
    return Outcome(NAME, verdict, f"{NAME}: gradients right; after train(seed=0) the test "
                   f"accuracy is {score:.3f} ({'at least' if score >= ACCURACY else 'below'} "
                   f"the {ACCURACY:.2f} asked for).")
