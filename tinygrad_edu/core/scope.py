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
from operator import itemgetter

# The innermost call is FRAMES[-1]; engines read it when creating a node. The None at the
# bottom stands for "outside every module", so readers need no emptiness check.
FRAMES: list = [None]


class Frame(tuple):
    """One module call: the ``module`` and the enclosing call (``parent``, a Frame or
    None). A pair, so that ``Module.__call__`` can make one without running Python code;
    compared by identity, since every call is its own frame."""

    __slots__ = ()
    module = property(itemgetter(0))
    parent = property(itemgetter(1))
    __eq__, __ne__, __hash__ = object.__eq__, object.__ne__, object.__hash__

    def __new__(cls, module, parent):
        return tuple.__new__(cls, (module, parent))

    def __getnewargs__(self):  # copy and pickle call __new__(cls, *these)
        return tuple(self)

    @property
    def modules(self) -> tuple:
        """The module path, outermost first (computed on demand: pictures need it,
        forward passes do not)."""
        path = []
        frame = self
        while frame is not None:
            path.append(frame[0])
            frame = frame[1]
        return tuple(reversed(path))

    def __repr__(self) -> str:
        return f"Frame({'/'.join(type(m).__name__ for m in self.modules)})"


new_frame = tuple.__new__  # new_frame(Frame, (module, parent)): Frame(...) minus a Python call


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
