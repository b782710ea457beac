"""Checkpoints: written atomically, checked before they are trusted. The format follows
the suffix: ``.safetensors`` (what PyTorch and the model hubs read; see
``interop/safetensors_file.py``) or ``.npz``.

``save`` writes through ``core/files.py``'s ``atomic_write``: a temporary file in the same
folder, synced and renamed over the target, so a crash never leaves a half-written
checkpoint where a good one was; a device, FIFO or socket is refused untouched, a symlink
writes the file it points to, and the file's mode follows the umask (an overwritten file
keeps its own). Every shape round-trips, 0-d included, in both formats. ``load`` never
runs code from a file (``allow_pickle=False``), checks every header against the bytes
actually in the file before allocating, and checks names, shapes and dtypes against the
model before changing it.

>>> import os, tempfile
>>> from tinygrad_edu import nn
>>> model = nn.Linear(3, 2)
>>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
>>> save(model, path)
>>> sorted(load(path))
['bias', 'weight']
>>> _ = load(path, into=nn.Linear(3, 2))
>>> save(model, path.replace(".npz", ".safetensors"))     # what PyTorch loads
>>> sorted(load(path.replace(".npz", ".safetensors")))
['bias', 'weight']
"""
from __future__ import annotations

import os
import zipfile

import numpy as np

from .core.files import atomic_write, writable_target

FORMAT_KEY = "__tinygrad_edu_format__"
FORMAT_VERSION = 1


class CheckpointError(ValueError):
    """The file is not a valid tinygrad_edu checkpoint, or does not fit the model."""


def save(module_or_state, path) -> None:
    """Write a module's ``state_dict()`` (or a dict of arrays) to ``path`` atomically,
    as .safetensors or .npz by the suffix."""
    state = module_or_state.state_dict() if hasattr(module_or_state, "state_dict") \
        else dict(module_or_state)
    arrays = {}
    for name, value in state.items():
        if name == FORMAT_KEY:
            raise CheckpointError(f"save: {FORMAT_KEY!r} is a reserved name")
        array = np.asarray(getattr(value, "data", value))
        if array.dtype.kind not in "biuf":
            raise CheckpointError(f"save: {name!r} has dtype {array.dtype}; expected numbers")
        arrays[name] = array
    path = os.fspath(path)
    writable_target(path)  # a folder, device or FIFO is refused before any work
    if _is_safetensors(path):
        from .interop.safetensors_file import write
        write(arrays, path)
        return
    arrays[FORMAT_KEY] = np.array(FORMAT_VERSION)

    def write_npz(f):
        np.savez(f, **arrays)
    atomic_write(path, write_npz)


def _is_safetensors(path: str) -> bool:
    return path.lower().endswith(".safetensors")


def _read_header(zf, info, path):
    with zf.open(info) as f:
        try:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        except ValueError as e:
            raise CheckpointError(f"load {path}: member {info.filename!r} is not a .npy array: {e}") from None
        header_len = f.tell()
    if dtype.hasobject:
        raise CheckpointError(f"load {path}: {info.filename!r} holds Python objects; refused "
                              "(checkpoints hold numbers only)")
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if header_len + expected != info.file_size:
        raise CheckpointError(f"load {path}: {info.filename!r} declares shape {shape} {dtype} "
                              f"({expected} bytes) but holds {info.file_size - header_len}; the "
                              "file is truncated or corrupt")


def load(path, into=None):
    """Read a checkpoint (.safetensors or .npz). Returns the state dict, or loads it into
    the module ``into`` (checking names, shapes and dtypes first) and returns that module."""
    path = os.fspath(path)
    if not os.path.isfile(path):  # a FIFO or device would block or never end: not read
        what = "is not a regular file" if os.path.exists(path) else "no such file"
        raise CheckpointError(f"load: {path!r} {what}; expected a checkpoint file")
    state = _read_safetensors(path) if _is_safetensors(path) else _read_npz(path)
    if into is None:
        return state
    try:
        into.load_state_dict(state)
    except ValueError as e:
        raise CheckpointError(f"load {path}: {e}") from None
    return into


def _read_safetensors(path: str) -> dict:
    from .interop.safetensors_file import SafetensorsError, read
    try:
        return read(path)
    except SafetensorsError as e:
        raise CheckpointError(str(e)) from None


def _read_npz(path: str) -> dict:
    length = os.path.getsize(path)
    if not zipfile.is_zipfile(path):
        raise CheckpointError(f"load {path}: not a tinygrad_edu checkpoint (not an .npz/zip "
                              f"file, {length} bytes); was it truncated?")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            for info in infos:
                if not info.filename.endswith(".npy"):
                    raise CheckpointError(f"load {path}: unexpected member {info.filename!r}")
                if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size \
                        or info.header_offset + info.compress_size > length:
                    raise CheckpointError(f"load {path}: member {info.filename!r} is compressed or "
                                          "extends past the end of the file")
                _read_header(zf, info, path)
            bad = zf.testzip()
            if bad is not None:
                raise CheckpointError(f"load {path}: member {bad!r} fails its checksum (corrupt file)")
        with np.load(path, allow_pickle=False) as data:
            state = {name: data[name] for name in data.files}
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise CheckpointError(f"load {path}: unreadable checkpoint ({e})") from None
    if FORMAT_KEY not in state:
        raise CheckpointError(f"load {path}: not a tinygrad_edu checkpoint (no {FORMAT_KEY} entry); "
                              "it may be some other .npz file")
    version = state.pop(FORMAT_KEY)
    if version.shape != () or version.dtype.kind not in "iu" or int(version) != FORMAT_VERSION:
        shown = version.item() if version.size == 1 else f"of shape {version.shape}"
        raise CheckpointError(f"load {path}: format version {FORMAT_KEY} is {version.dtype} "
                              f"{shown}; expected the integer {FORMAT_VERSION}")
    return state
