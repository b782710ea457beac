"""The shipped handwritten digits (UCI, CC BY 4.0; see NOTICE.md beside this file).

>>> split = load_digits()
>>> split.train_images.shape, split.test_images.shape, split.train_labels.dtype
((1438, 8, 8), (359, 8, 8), dtype('int64'))
>>> float(split.train_images.max())
1.0
"""
from __future__ import annotations

import gzip
import os
from typing import NamedTuple

import numpy as np

from ..tensor.factories import seeded_generator

DIGITS_PATH = os.path.join(os.path.dirname(__file__), "digits.csv.gz")


class Split(NamedTuple):
    """Images (N, H, W) float32 in [0, 1] and labels (N,) int64, for train and test."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


def load_digits(test_fraction: float = 0.2, seed: int = 0) -> Split:
    """1797 8x8 digits, shuffled with ``seed`` and split: the same seed, the same split.

    Pixels are scaled from 0..16 to 0..1.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"load_digits: test_fraction must be in (0, 1), got {test_fraction}")
    rng = seeded_generator(seed, "load_digits")
    with gzip.open(DIGITS_PATH, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    images = (table[:, :64].reshape(-1, 8, 8) / 16.0).astype(np.float32)
    labels = table[:, 64]
    order = rng.permutation(len(labels))
    n_test = int(round(len(labels) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return Split(images[train], labels[train], images[test], labels[test])


def batches(images, labels, batch_size: int, shuffle: bool = True, seed: int = 0,
            drop_last: bool = False):
    """Yield (images, labels) as Tensors, ``batch_size`` rows at a time.

    >>> x = np.zeros((5, 2)); y = np.arange(5)
    >>> [b[1].tolist() for b in batches(x, y, 2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    from ..tensor import Tensor
    if len(images) != len(labels):
        raise ValueError(f"batches: {len(images)} images but {len(labels)} labels; expected "
                         "the same number")
    if batch_size < 1:
        raise ValueError(f"batches: batch_size must be >= 1, got {batch_size}")
    n = len(labels)
    order = seeded_generator(seed, "batches").permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        idx = order[start:start + batch_size]
        yield Tensor(images[idx]), Tensor(labels[idx])
