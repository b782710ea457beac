"""``from tinygrad_edu.gradcheck import gradcheck``: the public path of the numeric gradient
check, which lives in ``tinygrad_edu.testing`` beside the suite and the strategies."""
from .testing.gradcheck import GradcheckError, GradcheckReport, gradcheck
from .testing.gradgradcheck import gradgradcheck

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError", "GradcheckReport"]
