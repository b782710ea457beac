"""Data sets: two moons (generated) and handwritten digits (shipped)."""
from .moons import make_moons

__all__ = ["make_moons"]
