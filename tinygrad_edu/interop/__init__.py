"""Graduate to PyTorch: build the equivalent PyTorch module with the same weights, and
back. Needs PyTorch installed (an optional extra); importing this module does not
import it, calling these does.

>>> import numpy as np, tinygrad_edu as tg
>>> from tinygrad_edu import nn
>>> model = nn.MLP(4, [8, 3])
>>> torch_model = to_torch(model)                      # doctest: +SKIP
>>> type(torch_model).__name__                         # doctest: +SKIP
'Sequential'
"""
from __future__ import annotations

import numpy as np


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("interop: PyTorch is not installed; pip install torch (the CPU build "
                          "is enough) to move models to and from PyTorch") from None
    return torch


def to_torch(model, path: str = ""):
    """The PyTorch module equivalent to ``model`` (same settings, same weights, same
    train/eval mode); a ValueError names any module that has no counterpart."""
    torch = _torch()
    from .. import nn
    from .torch_modules import TO_TORCH
    if isinstance(model, nn.Sequential):  # MLP included: PyTorch names it Sequential
        out = torch.nn.Sequential(*[to_torch(child, f"{path}{i}.")
                                    for i, child in enumerate(model._modules)])
    elif type(model) in TO_TORCH:
        name, settings = TO_TORCH[type(model)]
        out = getattr(torch.nn, name)(**settings(model))
        state = {k: torch.from_numpy(np.array(v)) for k, v in model.state_dict().items()}
        out.load_state_dict(state, strict=True)
    else:
        where = f" at {path[:-1]!r}" if path else ""
        raise ValueError(f"to_torch: {type(model).__name__}{where} has no PyTorch counterpart; "
                         f"supported: Sequential/MLP, {', '.join(c.__name__ for c in TO_TORCH)}")
    return out.train(model.training)


def from_torch(module, path: str = ""):
    """The tinygrad_edu module equivalent to the PyTorch ``module`` (same weights)."""
    torch = _torch()
    from .. import nn
    from .torch_modules import FROM_TORCH
    name = type(module).__name__
    if isinstance(module, torch.nn.Sequential):
        out = nn.Sequential(*[from_torch(child, f"{path}{key}.")
                              for key, child in module.named_children()])
    elif name in FROM_TORCH:
        cls, settings = FROM_TORCH[name]
        out = cls(**settings(module))
        out.load_state_dict({k: v.detach().cpu().numpy() for k, v in module.state_dict().items()})
    else:
        where = f" at {path[:-1]!r}" if path else ""
        raise ValueError(f"from_torch: {name}{where} has no tinygrad_edu counterpart; "
                         f"supported: Sequential, {', '.join(FROM_TORCH)}")
    return out.train(module.training)


__all__ = ["to_torch", "from_torch"]
