"""Tensor engine speed: MLP training steps (forward + cross-entropy + backward + SGD,
float32) through tinygrad_edu and a hand-written numpy version of the same net, in one
process. Prints seconds per step and the ratio (and PyTorch's time when importable).

Run: python benchmarks/bench_mlp.py
Targets (issue 29): <= 1.15x numpy and <= 0.45x PyTorch for 784-16-16-10 at batch 64,
<= 1.03x numpy for 784-256-256-10 at 128.
"""
from __future__ import annotations

import functools
import importlib.util
import os

# One BLAS thread for both contenders: steadier timings on a shared 2-core machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, optim
from timing import run, seeded_torch, training_step

LR = 0.01


def make_data(batch, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((batch, 784)).astype(np.float32), rng.integers(0, 10, batch)


def tinygrad_step_fn(sizes, x, y):
    tg.manual_seed(0)
    model = nn.MLP(784, sizes)
    opt = optim.SGD(model.parameters(), lr=LR)
    xt, yt = Tensor(x), Tensor(y)

    return training_step(lambda: F.cross_entropy(model(xt), yt), opt)


def numpy_step_fn(sizes, x, y):
    """The floor: the same net's forward and backward written by hand in numpy."""
    rng = np.random.default_rng(0)
    dims = [784] + list(sizes)
    Ws = [(rng.uniform(-1, 1, (dims[i + 1], dims[i])) / np.sqrt(dims[i])).astype(np.float32)
          for i in range(len(sizes))]
    bs = [np.zeros(dims[i + 1], dtype=np.float32) for i in range(len(sizes))]
    rows = np.arange(len(y))

    def step():
        acts = [x]
        h = x
        for i, (W, b) in enumerate(zip(Ws, bs)):
            h = h @ W.T + b
            if i < len(Ws) - 1:
                h = np.maximum(h, 0)
            acts.append(h)
        z = h - h.max(axis=1, keepdims=True)
        p = np.exp(z)
        total = p.sum(axis=1, keepdims=True)
        loss = (np.log(total[:, 0]) - z[rows, y]).mean()  # the loss value, as a step reports it
        p /= total
        g = p
        g[rows, y] -= 1.0
        g /= len(y)
        for i in range(len(Ws) - 1, -1, -1):
            gW = g.T @ acts[i]
            gb = g.sum(axis=0)
            if i > 0:
                g = (g @ Ws[i]) * (acts[i] > 0)
            Ws[i] -= LR * gW
            bs[i] -= LR * gb
        return loss
    return step


def torch_step_fn(sizes, x, y):
    torch = seeded_torch()
    dims = [784] + list(sizes)
    layers = []
    for i in range(len(sizes)):
        layers.append(torch.nn.Linear(dims[i], dims[i + 1]))
        if i < len(sizes) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    return training_step(lambda: torch.nn.functional.cross_entropy(model(xt), yt), opt)


def main():
    cases, targets = {}, {}
    for name, sizes, batch, target in [("784-16-16-10", [16, 16, 10], 64, 1.15),
                                       ("784-256-256-10", [256, 256, 10], 128, 1.03)]:
        x, y = make_data(batch)
        title = f"MLP {name}, batch {batch}"
        cases[title] = {"tinygrad_edu": functools.partial(tinygrad_step_fn, sizes, x, y),
                        "numpy": functools.partial(numpy_step_fn, sizes, x, y)}
        if importlib.util.find_spec("torch"):
            cases[title]["torch"] = functools.partial(torch_step_fn, sizes, x, y)
        targets[title] = target
    run(__file__, cases, targets)

if __name__ == "__main__":
    main()
