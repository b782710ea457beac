""".safetensors checkpoints through the ``safetensors`` package's numpy API: the
ecosystem's pickle-free weights format, which PyTorch, JAX and the model hubs read.

Before the library reads a file, its header is checked against the file's length
(declared sizes, offsets, dtypes), so a truncated, foreign or hostile file gives a clear
error instead of a crash or a huge allocation.

>>> import os, tempfile
>>> import numpy as np
>>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
>>> write({"weight": np.ones((2, 3), np.float32)}, path)
>>> {k: v.shape for k, v in read(path).items()}
{'weight': (2, 3)}
"""
from __future__ import annotations

import json
import os

import numpy as np

HEADER_LIMIT = 100 * 1024 * 1024   # the safetensors specification's own limit
DTYPES = {"F16": 2, "F32": 4, "F64": 8, "I8": 1, "I16": 2, "I32": 4, "I64": 8,
          "U8": 1, "U16": 2, "U32": 4, "U64": 8, "BOOL": 1}


class SafetensorsError(ValueError):
    """The file is not a readable .safetensors file."""


def write(state: dict, path) -> None:
    """Write name -> array to ``path`` atomically (PyTorch's ``"format": "pt"`` metadata)."""
    from safetensors.numpy import save

    from ..core.files import atomic_write
    # np.require keeps a 0-d array 0-d (np.ascontiguousarray makes it shape (1,))
    arrays = {name: np.require(value, requirements="C") for name, value in state.items()}
    atomic_write(path, save(arrays, metadata={"format": "pt"}))


def read(path) -> dict:
    """name -> numpy array, after checking the header against the file."""
    from safetensors.numpy import load_file
    path = os.fspath(path)
    _check_header(path)
    try:
        return dict(load_file(path))
    except Exception as e:  # the library's own checks: report them as ours
        raise SafetensorsError(f"load {path}: unreadable .safetensors file ({e})") from None


def _check_header(path: str) -> None:
    size = os.path.getsize(path)
    if size < 8:
        raise SafetensorsError(f"load {path}: {size} bytes is too short for a .safetensors file "
                               "(it starts with an 8-byte header length); truncated or empty?")
    with open(path, "rb") as f:
        declared = int.from_bytes(f.read(8), "little")
        if declared > HEADER_LIMIT:
            raise SafetensorsError(f"load {path}: the header declares {declared:,} bytes, more than "
                                   f"the format's limit of {HEADER_LIMIT:,}; refused as too large")
        if declared > size - 8:
            raise SafetensorsError(f"load {path}: the header declares {declared:,} bytes but the file "
                                   f"has {size - 8:,} after the length; truncated or not .safetensors")
        try:
            header = json.loads(f.read(declared))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SafetensorsError(f"load {path}: the header is not JSON; not a .safetensors file") from None
        except RecursionError:  # e.g. 100,000 nested brackets
            raise SafetensorsError(f"load {path}: the header nests too deeply to be a table of "
                                   "tensors; not a .safetensors file") from None
    if not isinstance(header, dict):
        raise SafetensorsError(f"load {path}: the header is not a table of tensors")
    body = size - 8 - declared
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(entry, dict) or entry.get("dtype") not in DTYPES:
            raise SafetensorsError(f"load {path}: tensor {name!r} has dtype "
                                   f"{entry.get('dtype') if isinstance(entry, dict) else entry!r}; "
                                   f"expected one of {', '.join(DTYPES)}")
        shape, offsets = entry.get("shape"), entry.get("data_offsets")
        if not (isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape)
                and isinstance(offsets, list) and len(offsets) == 2
                and all(isinstance(n, int) for n in offsets)):
            raise SafetensorsError(f"load {path}: tensor {name!r} has a malformed shape or offsets")
        start, end = offsets
        wanted = int(np.prod(shape, dtype=object)) * DTYPES[entry["dtype"]]
        if not 0 <= start <= end <= body or end - start != wanted:
            raise SafetensorsError(f"load {path}: tensor {name!r} declares shape {tuple(shape)} "
                                   f"{entry['dtype']} ({wanted:,} bytes) at bytes {start:,}-{end:,}, "
                                   f"but the data part holds {body:,}; truncated or corrupt")
