"""Which module call made a node: a stack of frames pushed by ``Module.__call__``.

Nodes record the innermost frame when they are created, so pictures can group them
into labelled module clusters after the fact. A frame names the module path
(outermost first); each call is a new Frame, so repeated calls (time steps) stay apart.

>>> with module_call("outer"):
...     with module_call("inner"):
...         current_frame().modules
('outer', 'inner')
>>> current_frame() is None
True
"""
from __future__ import annotations

import contextlib

# The innermost call is FRAMES[-1]; engines read it when creating a node. The None at the
# bottom stands for "outside every module", so readers need no emptiness check.
FRAMES: list = [None]


class Frame:
    """One module call: the ``module`` and the enclosing call (``parent``, a Frame or
    None). Every call is its own frame, compared by identity."""

    __slots__ = ("module", "parent")

    def __init__(self, module, parent):
        self.module, self.parent = module, parent

    @property
    def modules(self) -> tuple:
        """The module path, outermost first (computed on demand: pictures need it,
        forward passes do not)."""
        path = []
        frame = self
        while frame is not None:
            path.append(frame.module)
            frame = frame.parent
        return tuple(reversed(path))

    def __repr__(self) -> str:
        return f"Frame({'/'.join(type(m).__name__ for m in self.modules)})"


def current_frame():
    return FRAMES[-1]


@contextlib.contextmanager
def module_call(module):
    """Nodes created inside this block belong to ``module`` (nested in any outer call)."""
    FRAMES.append(Frame(module, FRAMES[-1]))
    try:
        yield
    finally:
        FRAMES.pop()
