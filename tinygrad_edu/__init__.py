"""tinygrad_edu: a tiny reverse-mode autograd engine for learning how networks train.

>>> from tinygrad_edu import Tensor
>>> x = Tensor([1.0, -2.0, 3.0], requires_grad=True)
>>> x.relu().sum().backward()
>>> x.grad.tolist()
[1.0, 0.0, 1.0]
"""
from .checkpoint import CheckpointError, load, save
from .core import no_grad, set_grad_enabled
from .tensor.autograd import grad
from .tensor.blas import set_num_threads
from .tensor import (AnomalyError, Tensor, arange, cat, concat, detect_anomaly, einsum, eye,
                     full, full_like, linspace, manual_seed, maximum, minimum, ones, ones_like,
                     randn, stack, uniform, where, zeros, zeros_like)
from .tensor.random import (Generator, from_numpy, multinomial, normal, rand, rand_like,
                            randint, randn_like)
from .tensor import torch_functions as _torch_functions

__version__ = "0.3.0"   # the one version number (pyproject.toml reads it)
__all__ = ["Tensor", "no_grad", "set_grad_enabled", "detect_anomaly", "AnomalyError",
           "manual_seed", "zeros", "ones", "randn", "uniform", "arange", "linspace", "eye",
           "full", "zeros_like", "ones_like", "full_like", "concat", "cat", "stack",
           "where", "maximum", "minimum", "einsum", "save", "load", "CheckpointError", "nn", "optim",
           "set_num_threads", "grad", "hvp", "hessian", "jacobian",
           "tensor", "Generator", "from_numpy", "multinomial", "normal", "rand", "rand_like",
           "randint", "randn_like", *_torch_functions.STAR_SAFE]
# PyTorch's module-level names (tg.tanh(x), tg.float32, ...); ``tensor`` stays the
# subpackage, which is callable as torch.tensor (see tensor/__init__.py). Names that
# would hide Python's builtins (max, sum, float...) are left out of ``import *``.
globals().update({name: getattr(_torch_functions, name) for name in _torch_functions.__all__})


def __getattr__(name):
    # nn, optim and friends load on first use, so `import tinygrad_edu` stays light.
    import importlib
    if name in ("nn", "optim", "data", "checkpoint", "viz", "scalar", "gradcheck"):
        return importlib.import_module(f"{__name__}.{name}")
    if name in ("hvp", "hessian", "jacobian"):
        return getattr(importlib.import_module(f"{__name__}.testing.derivatives"), name)
    raise AttributeError(f"module 'tinygrad_edu' has no attribute {name!r}")
