"""Where the small MLP's step goes (784-16-16-10, batch 64): the engine's time against
hand-written numpy, phase by phase, and the forward pass built up layer by layer of the
engine (numpy arrays -> ops -> nn.functional -> modules). At this size BLAS takes about
a third of the step, so the engine's Python per op, node and module shows.

Run: python benchmarks/bench_overhead.py
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import timeit  # noqa: E402

import numpy as np  # noqa: E402

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, optim
from tinygrad_edu.tensor.ops.linalg import Linear
from tinygrad_edu.tensor.ops.softmax import CrossEntropy
from bench_mlp import LR, make_data, numpy_step_fn, tinygrad_step_fn


def best_of(fn, number=500, repeat=15) -> float:
    """Microseconds per call: the best of several runs (the least disturbed one)."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def main():
    x, y = make_data(64)
    tg.manual_seed(0)
    model = nn.MLP(784, [16, 16, 10])
    opt = optim.SGD(model.parameters(), lr=LR)
    xt, yt = Tensor(x), Tensor(y)
    layers = [model[0], model[2], model[4]]
    ws, bs = [m.weight for m in layers], [m.bias for m in layers]
    arrays = [(w.numpy(), b.numpy()) for w, b in zip(ws, bs)]

    def numpy_forward():
        h = x
        for i, (w, b) in enumerate(arrays):
            h = h @ w.T + b
            h = np.maximum(h, 0) if i < 2 else h
        return CrossEntropy.compute(h, targets=y)

    def op_forward():
        h = xt
        for i in range(3):
            h = Linear.apply(h, ws[i], bs[i])
            h = h.relu() if i < 2 else h
        return CrossEntropy.apply(h, targets=y)

    def functional_forward():
        h = xt
        for i in range(3):
            h = F.linear(h, ws[i], bs[i])
            h = F.relu(h) if i < 2 else h
        return F.cross_entropy(h, yt)

    def module_forward():
        return F.cross_entropy(model(xt), yt)

    print("forward to the loss, us per step:")
    steps = [("numpy arrays, no graph", numpy_forward), ("ops (Function.apply)", op_forward),
             ("+ nn.functional's checks", functional_forward), ("+ modules", module_forward)]
    floor = None
    for name, fn in steps:
        t = best_of(fn)
        floor = floor or t
        print(f"  {name:28s} {t:7.1f}  (+{t - floor:5.1f})")

    loss = module_forward()

    def backward():
        opt.zero_grad()
        loss.backward()
    print(f"backward (zero_grad + backward): {best_of(backward):7.1f} us")
    print(f"SGD step over 6 parameters:      {best_of(opt.step):7.1f} us")
    ours, ref = best_of(tinygrad_step_fn([16, 16, 10], x, y)), best_of(numpy_step_fn([16, 16, 10], x, y))
    print(f"whole step: engine {ours:.1f} us, hand-written numpy {ref:.1f} us ({ours / ref:.2f}x)")


if __name__ == "__main__":
    main()
