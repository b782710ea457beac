"""Which values changed in place, and whether backward may still use what an op read.

Two records, both dated by core.graph's creation clock:

- a tensor's ``_changed_at``, set by ``mark_changed`` when that tensor's own value
  changes (``t.data = ...``, an optimiser step, a write through ``t.data`` or
  ``t.numpy()``, an in-place method such as ``t.add_``);
- the buffers written through a handle (``written``): several tensors can share one
  numpy buffer (``detach()``, ``reshape``, a view made under ``no_grad``), and a write
  through any of them changes them all. PyTorch keeps one version counter per storage
  for the same reason.

Backward calls ``check_saved`` only for nodes made before the latest change (see
core.backward), so none of this costs a training step anything.

>>> from tinygrad_edu import Tensor
>>> a = Tensor([1.0, 2.0], requires_grad=True)
>>> y = (a * a).sum()
>>> a.detach().numpy()[0] = 100.0          # a's buffer, through another tensor
>>> y.backward()
Traceback (most recent call last):
RuntimeError: mul backward: input 0 of shape (2,) was modified in place after the forward pass; backward needs its old value. Modify a copy, or recompute the forward.
"""
from __future__ import annotations

import weakref
from typing import Callable

import numpy as np

from ..core.errors import GraphError
from ..core.graph import LAST_CHANGE, mark_changed
from ..core.op import ElementwiseOp

_WRITTEN: dict = {}  # id(buffer) -> (a reference to the buffer, when it was last written)


def _buffer(array):
    """The object owning ``array``'s memory (numpy points every view's base at it)."""
    while isinstance(array, np.ndarray) and array.base is not None:
        array = array.base
    return array


def written(tensor, array) -> None:
    """A write just went into ``array`` (``tensor``'s, or a view of it): mark the tensor
    changed and date the buffer, so every tensor sharing it counts as changed."""
    if tensor is not None:
        mark_changed(tensor)
    else:
        mark_changed()
    buffer = _buffer(array)
    ref: Callable[[], object]
    try:
        ref = weakref.ref(buffer)
    except TypeError:  # bytes and the like: keep the object itself
        def ref(buffer=buffer):
            return buffer
    if len(_WRITTEN) >= 256:  # forget buffers that no longer exist
        for key in [k for k, (r, _) in _WRITTEN.items() if r() is None]:
            del _WRITTEN[key]
    _WRITTEN[id(buffer)] = (ref, LAST_CHANGE[0])


def _written_after(array, seq: int) -> bool:
    if not _WRITTEN or not isinstance(array, np.ndarray):
        return False
    buffer = _buffer(array)
    entry = _WRITTEN.get(id(buffer))
    return entry is not None and entry[1] > seq and entry[0]() is buffer


def _viewed(tensor):
    """The input whose memory ``tensor`` (an op's output) is a view of, or None."""
    data = tensor._data
    if tensor._op is None or not isinstance(data, np.ndarray) or data.base is None:
        return None
    buffer = _buffer(data)
    for parent in tensor._parents:
        if isinstance(parent._data, np.ndarray) and _buffer(parent._data) is buffer:
            return parent
    return None


def changed_since(tensor, seq: int) -> bool:
    """True when ``tensor``'s value changed after creation number ``seq``: the tensor
    itself, its buffer, or (for a view an op made, e.g. ``w.T``) the tensor it views."""
    while tensor is not None:
        if tensor._changed_at > seq or _written_after(tensor._data, seq):
            return True
        tensor = _viewed(tensor)
    return False


def reads_output(node) -> bool:
    """Whether backward through ``node`` reads its own value. An elementwise op's
    derivative says so in its words (exp's is ``{out}``); any other op is taken to read
    it unless it says otherwise (a false alarm is an error message, a miss a wrong
    gradient)."""
    op = node._op
    if isinstance(op, ElementwiseOp):
        try:
            return any("{out}" in words for words in op.words(node))
        except Exception:  # a derivative that cannot be put in words: assume it reads
            return True
    return getattr(op, "reads_output", True)


def check_saved(node) -> None:
    """Raise if backward through ``node`` would use a value changed after ``node`` was made:
    an input its op reads (the op's ``saves``), its own output when the op reads that,
    or an input that an in-place op turned into another node since."""
    op, parents, seq = node._op, node._parents, node._seq
    for i, parent in enumerate(parents):
        if parent._seq > seq and parent._made_in_place is not None and parent.requires_grad:
            raise GraphError(
                f"{op.name} backward: input {i} of shape {parent.shape} was changed by "
                f"{getattr(parent, '_made_in_place', 'an in-place op')} after {op.name} used it, so its gradient would reach the new "
                "value instead of the one used; write x = x + ... (a new tensor) instead of "
                "x += ... when the old x is still in use")
    for i in range(len(parents)) if op.saves is None else op.saves:
        if changed_since(parents[i], seq):
            op.changed_error(parents, i)
    if changed_since(node, seq) and reads_output(node):
        name = f" '{node.label}'" if node.label else ""
        raise RuntimeError(
            f"{op.name} backward: its output{name} of shape {node.shape} was modified in place "
            f"after the forward pass, and {op.name}'s derivative reads it. Modify a copy, or "
            "recompute the forward.")
