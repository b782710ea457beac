"""Per-time-step gradients of recurrent layers: which nodes carry h_t, and |dLoss/dh_t|
for each step (how vanishing gradients are measured).

>>> import numpy as np
>>> from tinygrad_edu import Tensor, manual_seed
>>> from tinygrad_edu.nn import RNN
>>> manual_seed(0)
>>> out, h, states = RNN(2, 3, batch_first=True)(Tensor(np.ones((1, 4, 2))), return_states=True)
>>> out[:, -1].sum().backward()
>>> norms = time_step_grad_norms(states); norms.shape, bool(norms[-1] > norms[0])
((4,), True)
"""
from __future__ import annotations

import numpy as np


class HiddenStates(list):
    """The per-step graph nodes that carry h_t (returned with ``return_states=True``).
    For the LSTM each node is the stacked (h_t, c_t) and ``part`` 0 selects h_t."""

    def __init__(self, nodes, part=None):
        super().__init__(nodes)
        self.part = part


def time_step_grad_norms(states) -> np.ndarray:
    """|dLoss/dh_t| (Frobenius norm over the batch) for each step, after
    ``loss.backward()``, from the states a recurrent module returned with
    ``return_states=True``. A step no gradient reached gives 0."""
    part = getattr(states, "part", None)
    norms = []
    for node in states:
        g = node.grad
        if g is None:
            norms.append(0.0)
        else:
            norms.append(float(np.linalg.norm(g if part is None else g[part])))
    return np.array(norms)
