"""Data sets: two moons (generated), handwritten digits (shipped), MNIST (your files)."""
from .digits import Split, batches, load_digits
from .mnist import IdxError, load_mnist, read_idx
from .moons import make_moons
from .sequences import first_symbol_task

__all__ = ["make_moons", "load_digits", "batches", "Split", "load_mnist", "read_idx", "IdxError",
           "first_symbol_task"]
