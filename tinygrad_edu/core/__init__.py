"""The computation-graph core shared by the scalar and tensor engines."""
from .backward import (BackwardStep, ParentStep, observe_backward, run_backward,
                       trace_backward)
from .errors import DomainError, GraphError
from .graph import Node, node_ids, topological_order
from .op import ElementwiseOp, Op
from .mode import is_grad_enabled, no_grad, set_grad_enabled

__all__ = [
    "BackwardStep", "Op", "ElementwiseOp", "ParentStep", "observe_backward", "run_backward", "trace_backward",
    "DomainError", "GraphError", "Node", "node_ids", "topological_order",
    "is_grad_enabled", "no_grad", "set_grad_enabled",
]
