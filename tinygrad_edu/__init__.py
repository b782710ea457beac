"""tinygrad_edu: a tiny reverse-mode autograd engine for learning how networks train."""
from .core import no_grad

__version__ = "0.1.0"
__all__ = ["no_grad"]
