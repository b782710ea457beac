"""Small training helpers shared by the tour, the demos and the tests.

>>> import numpy as np, tinygrad_edu as tg
>>> from tinygrad_edu import nn
>>> from tinygrad_edu.data import load_digits
>>> d = load_digits(); tg.manual_seed(0)
>>> model = nn.MLP(64, [16, 16, 10])
>>> _ = fit(model, d.train_images.reshape(-1, 64), d.train_labels, epochs=3)
>>> accuracy(model, d.test_images.reshape(-1, 64), d.test_labels) > 0.8
True
"""
from __future__ import annotations

import numpy as np

from ..core import no_grad
from ..data import batches
from ..tensor import Tensor
from ..tensor.blas import training_threads


def predict(model, x, batch_size: int = 512) -> np.ndarray:
    """Class predictions (argmax of the scores), in eval mode and without a graph."""
    _at_least("predict", "batch_size", batch_size, 1)
    was_training = model.training
    model.eval()
    out = []
    with no_grad():
        for start in range(0, len(x), batch_size):
            out.append(model(Tensor(x[start:start + batch_size])).numpy().argmax(axis=1))
    model.train(was_training)
    return np.concatenate(out)


def accuracy(model, x, y) -> float:
    return float(np.mean(predict(model, x) == np.asarray(y)))


def confusion_matrix(labels, predictions, classes: int) -> np.ndarray:
    """counts[true, predicted]."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(labels), np.asarray(predictions)), 1)
    return counts


def fit(model, x, y, epochs: int = 20, lr: float = 0.05, momentum: float = 0.9,
        batch_size: int = 32, weight_decay: float = 0.0, optimizer=None, loss_fn=None,
        report=None, seed: int = 0, lr_decay: bool = False) -> list:
    """Mini-batch training; returns the loss of every step. ``report`` (a
    TrainingReport) gets each step's loss. ``lr_decay``: the learning rate falls in a
    straight line from ``lr`` to 0 over the run, so the run ends where it settles (the
    digits net's accuracy then no longer depends on the CPU's BLAS kernel). Products run
    on one BLAS thread while it trains (large ones on every core: ``tensor/blas.py``),
    and on the process's own threads again when it returns."""
    _at_least("fit", "epochs", epochs, 0)
    from .. import optim
    from . import functional as F
    loss_fn = loss_fn or F.cross_entropy
    opt = optimizer or optim.SGD(model.parameters(), lr=lr, momentum=momentum,
                                 weight_decay=weight_decay)
    model.train()
    losses = []
    total = epochs * steps_per_epoch(len(y), batch_size)
    with training_threads():
        for epoch in range(epochs):
            for xb, yb in batches(x, y, batch_size, seed=seed + epoch):
                if lr_decay:
                    opt.lr = lr * (1 - len(losses) / total)
                loss = loss_fn(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                losses.append(loss.item())
                if report is not None:
                    report.step(losses[-1])
    return losses


def steps_per_epoch(n: int, batch_size: int) -> int:
    _at_least("steps_per_epoch", "batch_size", batch_size, 1)
    return -(-n // batch_size)


def _at_least(op: str, name: str, value, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{op}: {name} must be a whole number >= {low}, got {value!r}")
