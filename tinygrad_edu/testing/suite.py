"""A fixed, seeded gradient check of every op (scalar and tensor) and every module,
for ``tinygrad-edu gradcheck``. The property tests in tests/ check the same ops over
random shapes with hypothesis; this suite is the quick, deterministic version a user
can run anywhere.

>>> results = run_suite(only=["mul", "tensor:matmul"])
>>> [(r.name, r.passed) for r in results]
[('mul', True), ('tensor:matmul', True)]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gradcheck import gradcheck


@dataclass(frozen=True)
class SuiteResult:
    name: str
    kind: str
    max_abs_error: float
    max_rel_error: float
    passed: bool
    error: str = ""


def _grid(rng, shape, low=-2.0, high=2.0):
    """Values on a grid offset by half a step: off relu/abs kinks, no ties."""
    n = int(np.prod(shape))
    steps = rng.choice(np.arange(int(low * 100), int(high * 100)), size=n, replace=False)
    return ((steps + 0.5) / 100).reshape(shape)


def scalar_cases() -> dict:
    """name -> (function, inputs) exercising each scalar op once."""
    from ..scalar import Value
    v = Value
    return {
        "add": (lambda a, b: a + b, [v(0.7), v(-1.3)]),
        "sub": (lambda a, b: a - b, [v(0.7), v(-1.3)]),
        "mul": (lambda a, b: a * b, [v(0.7), v(-1.3)]),
        "div": (lambda a, b: a / b, [v(0.7), v(-1.3)]),
        "neg": (lambda a: -a, [v(0.7)]),
        "pow_const": (lambda a: a ** 3, [v(0.7)]),
        "pow": (lambda a, b: a ** b, [v(1.7), v(-1.3)]),
        "relu": (lambda a: a.relu(), [v(0.7)]),
        "tanh": (lambda a: a.tanh(), [v(0.7)]),
        "sigmoid": (lambda a: a.sigmoid(), [v(0.7)]),
        "exp": (lambda a: a.exp(), [v(0.7)]),
        "log": (lambda a: a.log(), [v(1.7)]),
    }


def tensor_cases(rng) -> dict:
    """name -> (function, float64 inputs) exercising each tensor op once."""
    import tinygrad_edu as tg
    from ..nn import functional as F
    from ..tensor import Tensor
    from ..tensor.ops.unary import Cast, Dropout
    from ..tensor.ops.lstm_layer import LSTMLayer
    from ..tensor.ops.recurrent import LSTMCell
    from ..tensor.ops.conv import Fold, Unfold
    from ..tensor.ops.movement import Scatter

    def t(shape, low=-2.0, high=2.0):
        return Tensor(_grid(rng, shape, low, high), dtype=np.float64, requires_grad=True)

    targets = np.array([0, 2, 1])
    mask = (rng.random((2, 3)) > 0.5) / 0.5
    window = dict(stride=(2, 1), padding=(1, 0))
    return {
        "add": (lambda a, b: a + b, [t((2, 3)), t((3,))]),
        "sub": (lambda a, b: a - b, [t((2, 3)), t((2, 1))]),
        "mul": (lambda a, b: a * b, [t((2, 3)), t((3,))]),
        "div": (lambda a, b: a / b, [t((2, 3)), t((3,), 0.5, 2.0)]),
        "pow": (lambda a, b: a ** b, [t((2, 3), 0.5, 2.0), t((3,))]),
        "pow_scalar": (lambda a: a ** 3, [t((2, 3))]),
        "maximum": (lambda a, b: a.maximum(b), [t((2, 3)), t((3,))]),
        "where": (lambda a, b: tg.where(np.array([True, False, True]), a, b), [t((2, 3)), t((2, 3))]),
        "neg": (lambda a: -a, [t((2, 3))]),
        "cast": (lambda a: Cast.apply(a, dtype=np.float64), [t((2, 3))]),  # float64 for gradcheck
        "exp": (lambda a: a.exp(), [t((2, 3))]),
        "log": (lambda a: a.log(), [t((2, 3), 0.3, 2.0)]),
        "sqrt": (lambda a: a.sqrt(), [t((2, 3), 0.3, 2.0)]),
        "abs": (lambda a: a.abs(), [t((2, 3))]),
        "relu": (lambda a: a.relu(), [t((2, 3))]),
        "leaky_relu": (lambda a: a.leaky_relu(0.1), [t((2, 3))]),
        "tanh": (lambda a: a.tanh(), [t((2, 3))]),
        "sigmoid": (lambda a: a.sigmoid(), [t((2, 3))]),
        "clip": (lambda a: a.clip(-0.503, 0.707), [t((2, 3))]),
        "dropout": (lambda a: Dropout.apply(a, mask=mask), [t((2, 3))]),
        "minimum": (lambda a, b: a.minimum(b), [t((2, 3)), t((3,))]),
        "sin": (lambda a: a.sin(), [t((2, 3))]),
        "cos": (lambda a: a.cos(), [t((2, 3))]),
        "erf": (lambda a: a.erf(), [t((2, 3))]),
        "softplus": (lambda a: F.softplus(a, beta=2.0, threshold=3.0), [t((2, 3))]),
        "sign": (lambda a: a.sign(), [t((2, 3))]),
        "floor": (lambda a: a.floor(), [t((2, 3))]),
        "ceil": (lambda a: a.ceil(), [t((2, 3))]),
        "cumsum": (lambda a: a.cumsum(dim=-1), [t((2, 3))]),
        "sum": (lambda a: a.sum(axis=1), [t((2, 3))]),
        "mean": (lambda a: a.mean(axis=0, keepdims=True), [t((2, 3))]),
        "max": (lambda a: a.max(axis=1), [t((2, 3))]),
        "min": (lambda a: a.min(), [t((2, 3))]),
        "var": (lambda a: a.var(axis=1), [t((2, 3))]),
        "std": (lambda a: a.std(axis=1), [t((2, 3))]),
        "binary_cross_entropy": (lambda p, q: F.binary_cross_entropy(p, q, reduction="sum"),
                                 [t((2, 3), 0.1, 0.9), t((2, 3), 0.0, 1.0)]),
        "reshape": (lambda a: a.reshape(3, 2), [t((2, 3))]),
        "permute": (lambda a: a.permute(2, 0, 1), [t((2, 3, 2))]),
        "expand": (lambda a: a.expand(2, 3), [t((1, 3))]),
        "getitem": (lambda a: a[np.array([0, 0, 1])], [t((2, 3))]),
        "concat": (lambda a, b: tg.concat([a, b], axis=1), [t((2, 3)), t((2, 1))]),
        "stack": (lambda a, b: tg.stack([a, b], axis=0), [t((2, 3)), t((2, 3))]),
        "pad": (lambda a: a.pad([(1, 0), (0, 2)]), [t((2, 3))]),
        "matmul": (lambda a, b: a @ b, [t((2, 3)), t((3, 4))]),
        "linear": (lambda x, w, b: F.linear(x, w, b), [t((2, 3)), t((4, 3)), t((4,))]),
        "softmax": (lambda a: a.softmax(axis=1), [t((2, 3))]),
        "log_softmax": (lambda a: a.log_softmax(axis=1), [t((2, 3))]),
        "cross_entropy": (lambda a: F.cross_entropy(a, targets), [t((3, 4))]),
        "conv2d": (lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
                   [t((2, 2, 5, 4)), t((3, 2, 3, 2)), t((3,))]),
        "max_pool2d": (lambda x: F.max_pool2d(x, 2), [t((1, 2, 4, 5))]),
        "avg_pool2d": (lambda x: F.avg_pool2d(x, 3, stride=1, padding=1), [t((1, 2, 4, 4))]),
        "unfold": (lambda x: Unfold.apply(x, kernel=(2, 3), **window), [t((1, 2, 4, 5))]),
        "fold": (lambda c: Fold.apply(c, x_shape=(1, 2, 4, 5), **window), [t((1, 2, 3, 3, 2, 3))]),
        "scatter": (lambda g: Scatter.apply(g, shape=(2, 3), index=np.array([0, 0, 1])), [t((3, 3))]),
        "lstm_cell": (lambda xg, s, w: LSTMCell.apply(xg, s, w, t=1), [t((2, 3, 8)), t((2, 2, 2)), t((8, 2))]),
        "lstm_layer": (LSTMLayer.apply, [t((2, 12, 2)), t((2, 2)), t((2, 2)), t((8, 2)), t((8, 2)),
                                         t((8,)), t((8,))]),
    }


def _module_cases(rng):
    import tinygrad_edu as tg
    from .. import nn
    from ..nn import functional as F
    from ..tensor import Tensor

    def t(shape, low=-2.0, high=2.0):
        return Tensor(_grid(rng, shape, low, high), dtype=np.float64, requires_grad=True)

    tg.manual_seed(0)
    cases = {}
    for name, module, x in [
        ("Linear", nn.Linear(3, 2), t((4, 3))),
        ("MLP", nn.MLP(3, [4, 2], activation="tanh"), t((2, 3))),
        ("Dropout (eval)", nn.Dropout(0.5).eval(), t((2, 3))),
        ("Conv2d", nn.Conv2d(2, 3, 3, stride=2, padding=1), t((2, 2, 5, 5))),
        ("Conv1d", nn.Conv1d(2, 3, 3, padding=1), t((2, 2, 5))),
        ("MaxPool2d", nn.MaxPool2d(2), t((1, 2, 4, 4))),
        ("AvgPool2d", nn.AvgPool2d(2, stride=1), t((1, 2, 3, 3))),
        ("BatchNorm2d (train)", nn.BatchNorm2d(2), t((3, 2, 2, 2))),
        ("BatchNorm1d (train)", nn.BatchNorm1d(3), t((4, 3))),
        ("RNN", nn.RNN(2, 3, batch_first=True), t((2, 4, 2))),
        ("LSTM", nn.LSTM(2, 3, num_layers=2, batch_first=True), t((2, 4, 2))),
        ("GRU", nn.GRU(2, 3, batch_first=True), t((2, 4, 2))),
        ("LSTMCell", nn.LSTMCell(2, 3), t((2, 2))),
        ("LayerNorm", nn.LayerNorm(4), t((2, 4))),
        ("MultiheadAttention", nn.MultiheadAttention(4, 2, batch_first=True), t((2, 3, 4))),
    ]:
        module.double()
        cases[name] = (lambda x, *p, m=module: _first(m(x) if not isinstance(m, nn.MultiheadAttention)
                                                      else m(x, x, x, is_causal=True)),
                       [x] + module.parameters())
    emb = nn.Embedding(5, 3).double()
    cases["Embedding"] = (lambda w: emb(np.array([0, 3, 3, 1])).tanh(), [emb.weight])
    q, k, v = t((2, 3, 4)), t((2, 3, 4)), t((2, 3, 4))
    cases["attention (causal)"] = (lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
                                   [q, k, v])
    target = _grid(rng, (3, 2))
    labels = (target > 0).astype(np.float64)
    cases.update({
        "mse_loss": (lambda p: F.mse_loss(p, target), [t((3, 2))]),
        "nll_loss": (lambda p: F.nll_loss(p.log_softmax(axis=1), np.array([1, 0, 1])), [t((3, 2))]),
        "binary_cross_entropy": (lambda p: F.binary_cross_entropy(p.sigmoid(), labels), [t((3, 2))]),
        "binary_cross_entropy_with_logits":
            (lambda p: F.binary_cross_entropy_with_logits(p, labels), [t((3, 2))]),
    })
    return cases


def _first(out):
    return out[0] if isinstance(out, tuple) else out


def all_cases(seed: int = 0) -> dict:
    """name -> (kind, function, inputs) for every op and module."""
    rng = np.random.default_rng(seed)
    cases = {}
    for name, (fn, inputs) in scalar_cases().items():
        cases[name] = ("scalar op", fn, inputs)
    for name, (fn, inputs) in tensor_cases(rng).items():
        cases[f"tensor:{name}"] = ("tensor op", fn, inputs)
    for name, (fn, inputs) in _module_cases(rng).items():
        cases[name] = ("loss" if "loss" in name or "entropy" in name else "module", fn, inputs)
    return cases


def run_suite(only=None, seed: int = 0) -> list:
    """Gradient-check every case (or those named in ``only``); never raises per case."""
    cases = all_cases(seed)
    if only:
        unknown = [n for n in only if n not in cases]
        if unknown:
            raise ValueError(f"gradcheck: unknown check(s) {', '.join(unknown)}; known: "
                             f"{', '.join(cases)}")
        cases = {n: cases[n] for n in only}
    results = []
    for name, (kind, fn, inputs) in cases.items():
        try:
            report = gradcheck(fn, inputs, raise_on_failure=False)
            results.append(SuiteResult(name, kind, report.max_abs_error, report.max_rel_error,
                                       report.passed))
        except Exception as e:  # a crashing op is a failed check, reported, not fatal
            results.append(SuiteResult(name, kind, float("nan"), float("nan"), False,
                                       f"{type(e).__name__}: {e}"))
    return results
