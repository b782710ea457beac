"""Toy sequence tasks, generated with a seed.

>>> x, y = first_symbol_task(4, length=6, symbols=3, seed=0)
>>> x.shape, y.tolist() == x[:, 0].argmax(axis=1).tolist()
((4, 6, 3), True)
"""
from __future__ import annotations

import numpy as np

from ..tensor.factories import seeded_generator


def first_symbol_task(n: int, length: int = 30, symbols: int = 8, seed: int = 0):
    """One-hot sequences (n, length, symbols); the label is the FIRST symbol, which the
    model must carry through ``length - 1`` distracting steps to answer at the end."""
    if length < 2 or symbols < 2:
        raise ValueError(f"first_symbol_task: need length >= 2 and symbols >= 2, got {length}, {symbols}")
    rng = seeded_generator(seed, "first_symbol_task")
    s = rng.integers(0, symbols, (n, length))
    return np.eye(symbols, dtype=np.float32)[s], s[:, 0]
