"""The seedable random generator that factories, initialisers, dropout and the in-place
``uniform_``/``normal_`` share. It lives below ``Tensor`` so that ``Tensor``'s own methods
can draw from it without importing the factories (which import ``Tensor``).

>>> manual_seed(3); a = default_generator().random()
>>> manual_seed(3); a == default_generator().random()
True
"""
from __future__ import annotations

import numbers

import numpy as np

_state = [np.random.default_rng(0)]  # a list, so reseeding rebinds no module global


def seeded_generator(seed, op: str) -> np.random.Generator:
    """numpy's generator for ``seed``, which must be a whole number in [-2**63, 2**64 - 1]
    as in PyTorch; a negative one stands for seed + 2**64. Refused naming ``op``."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or \
            not -2 ** 63 <= int(seed) < 2 ** 64:
        raise ValueError(f"{op}: seed must be a whole number in [-2**63, 2**64 - 1], got "
                         f"{seed!r} ({type(seed).__name__})")
    return np.random.default_rng(int(seed) % 2 ** 64)


def manual_seed(seed: int) -> None:
    """Reseed the generator behind randn, uniform, initialisers, dropout and the in-place
    ``uniform_``/``normal_`` (a seed as ``seeded_generator`` takes it)."""
    _state[0] = seeded_generator(seed, "manual_seed")


def default_generator() -> np.random.Generator:
    return _state[0]
