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
        floats = {v.dtype for v in state.values() if v.dtype.is_floating_point}
        if len(floats) > 1:
            raise ValueError(f"to_torch: {type(model).__name__} mixes "
                             f"{' and '.join(sorted(map(str, floats)))} weights; expected one dtype")
        if floats:  # PyTorch builds float32, and load_state_dict would cast into it
            out = out.to(floats.pop())
        out.load_state_dict(state, strict=True)
    else:
        where = f" at {path[:-1]!r}" if path else ""
        raise ValueError(f"to_torch: {type(model).__name__}{where} has no PyTorch counterpart; "
                         f"supported: Sequential/MLP, {', '.join(c.__name__ for c in TO_TORCH)}")
    return out.train(model.training)


def from_torch(module, path: str = ""):
    """The tinygrad_edu module equivalent to the PyTorch ``module`` (same weights, same
    dtype). A setting with no counterpart here (``dilation=2``, ``ceil_mode=True``,
    ``batch_first=False`` attention, ...) raises a ValueError naming it, before anything
    is built; ``torch_modules.FROM_TORCH`` accounts for every constructor setting."""
    torch = _torch()
    from .. import nn
    from .torch_modules import FROM_TORCH, refused_setting
    name = type(module).__name__
    if isinstance(module, torch.nn.Sequential):
        out = nn.Sequential(*[from_torch(child, f"{path}{key}.")
                              for key, child in module.named_children()])
    elif name in FROM_TORCH:
        mapping = FROM_TORCH[name]
        where = f" at {path[:-1]!r}" if path else ""
        refused = refused_setting(module, mapping)
        if refused:
            raise ValueError(f"from_torch: {name}{where} has {refused}. tinygrad_edu's "
                             f"{mapping.ours.__name__} has no such setting: refused rather than "
                             "built to compute something else")
        state = _numpy_state(module, f"{name}{where}", torch)
        out = mapping.ours(**mapping.settings(module))
        floats = {v.dtype for v in state.values() if v.dtype.kind == "f"}
        if floats:  # float64 stays float64
            out.to(floats.pop())
        out.load_state_dict(state)
    else:
        where = f" at {path[:-1]!r}" if path else ""
        raise ValueError(f"from_torch: {name}{where} has no tinygrad_edu counterpart; "
                         f"supported: Sequential, {', '.join(FROM_TORCH)}")
    return out.train(module.training)


def _numpy_state(module, where: str, torch) -> dict:
    """The module's state as numpy arrays, refusing dtypes numpy or tinygrad_edu lacks
    (bfloat16, float16) and a mix of float32 and float64."""
    state, floats = {}, set()
    for key, value in module.state_dict().items():
        if value.dtype.is_floating_point and value.dtype not in (torch.float32, torch.float64):
            raise ValueError(f"from_torch: {where}'s {key} is {value.dtype}; tinygrad_edu computes "
                             "in float32 or float64 (numpy has no bfloat16): convert the module "
                             "first with .float() or .double()")
        if value.dtype.is_floating_point:
            floats.add(value.dtype)
        state[key] = value.detach().cpu().numpy()
    if len(floats) > 1:
        raise ValueError(f"from_torch: {where} mixes {' and '.join(sorted(map(str, floats)))} "
                         "weights; convert the module first with .float() or .double()")
    return state


__all__ = ["to_torch", "from_torch"]
