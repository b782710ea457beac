"""Which module call made a node: a stack of frames pushed by ``Module.__call__``.

Nodes record the innermost frame when they are created, so pictures can group them
into labelled module clusters after the fact. A frame names the module path
(outermost first) and a call number, so repeated calls (time steps) stay apart.

>>> with module_call("outer"):
...     with module_call("inner"):
...         current_frame().modules
('outer', 'inner')
>>> current_frame() is None
True
"""
from __future__ import annotations

import contextlib
import itertools

FRAMES: list = []  # engines read FRAMES[-1] when creating a node
_calls = itertools.count()


class Frame:
    """One module call: ``modules`` from outermost to innermost, and a call number."""

    __slots__ = ("modules", "call", "parent")

    def __init__(self, modules: tuple, call: int, parent):
        self.modules, self.call, self.parent = modules, call, parent

    @property
    def module(self):
        return self.modules[-1]

    def __repr__(self) -> str:
        return f"Frame({'/'.join(type(m).__name__ for m in self.modules)}, call {self.call})"


def current_frame():
    return FRAMES[-1] if FRAMES else None


@contextlib.contextmanager
def module_call(module):
    """Nodes created inside this block belong to ``module`` (nested in any outer call)."""
    parent = FRAMES[-1] if FRAMES else None
    modules = (parent.modules if parent else ()) + (module,)
    FRAMES.append(Frame(modules, next(_calls), parent))
    try:
        yield
    finally:
        FRAMES.pop()
