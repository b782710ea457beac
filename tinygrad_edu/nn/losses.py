"""Loss modules (``nn.CrossEntropyLoss()(logits, targets)``): each calls its function in
``nn.functional``.

>>> from tinygrad_edu import Tensor
>>> loss = CrossEntropyLoss()(Tensor([[2.0, 0.0], [0.0, 2.0]]), Tensor([0, 1]))
>>> round(loss.item(), 4), MSELoss(reduction="sum")(Tensor([1.0, 2.0]), Tensor([0.0, 0.0])).item()
(0.1269, 5.0)
"""
from __future__ import annotations

from . import functional as F
from .module import Module


class _Loss(Module):
    function = staticmethod(F.mse_loss)

    def __init__(self, reduction: str = "mean"):
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"{type(self).__name__}: reduction must be 'mean', 'sum' or 'none', "
                             f"got {reduction!r}")
        self.reduction = reduction

    def forward(self, input, target):  # noqa: A002 - PyTorch's names
        return self.function(input, target, reduction=self.reduction)

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class CrossEntropyLoss(_Loss):
    """Logits (N, C) and class indices (N,)."""
    function = staticmethod(F.cross_entropy)


class NLLLoss(_Loss):
    function = staticmethod(F.nll_loss)


class MSELoss(_Loss):
    function = staticmethod(F.mse_loss)


class L1Loss(_Loss):
    function = staticmethod(F.l1_loss)


class BCELoss(_Loss):
    function = staticmethod(F.binary_cross_entropy)


class BCEWithLogitsLoss(_Loss):
    function = staticmethod(F.binary_cross_entropy_with_logits)
