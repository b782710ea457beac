"""Two interleaving half-moons: the classic 2-D toy data set, generated with a seed.

>>> X, y = make_moons(8, noise=0.0, seed=0)
>>> X.shape, sorted(set(y.tolist()))
((8, 2), [0, 1])
"""
from __future__ import annotations

import numpy as np

from ..tensor.factories import seeded_generator


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0):
    """``n`` points (float64, shape (n, 2)) and labels 0/1, half on each moon."""
    if n < 2:
        raise ValueError(f"make_moons: n must be >= 2, got {n}")
    if noise < 0:
        raise ValueError(f"make_moons: noise must be >= 0, got {noise}")
    rng = seeded_generator(seed, "make_moons")
    n_top = n // 2
    n_bottom = n - n_top
    t_top = np.linspace(0.0, np.pi, n_top)
    t_bottom = np.linspace(0.0, np.pi, n_bottom)
    top = np.stack([np.cos(t_top), np.sin(t_top)], axis=1)
    bottom = np.stack([1.0 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)], axis=1)
    X = np.concatenate([top, bottom]) + rng.normal(0.0, noise, size=(n, 2))
    y = np.concatenate([np.zeros(n_top, dtype=np.int64), np.ones(n_bottom, dtype=np.int64)])
    order = rng.permutation(n)
    return X[order], y[order]
