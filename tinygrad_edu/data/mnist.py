"""Read MNIST from the standard IDX files, for users who have them (gzipped or not).

The IDX format: 2 zero bytes, a type byte (0x08 = unsigned byte), a byte with the
number of dimensions, then each dimension as a big-endian uint32, then the data.
"""
from __future__ import annotations

import gzip
import os

import numpy as np

from .digits import Split

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


class IdxError(ValueError):
    """The file is not a valid IDX file of the expected kind."""


def read_idx(path, expected_ndim: int | None = None) -> np.ndarray:
    """One IDX file (``.gz`` or plain) as a uint8 array; checks sizes before allocating."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as e:
        raise IdxError(f"read_idx {path}: cannot read ({e})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise IdxError(f"read_idx {path}: not an IDX file (bad magic number {raw[:4].hex()})")
    if raw[2] != 0x08:
        raise IdxError(f"read_idx {path}: data type 0x{raw[2]:02x}; expected 0x08 (unsigned bytes)")
    ndim = raw[3]
    if expected_ndim is not None and ndim != expected_ndim:
        raise IdxError(f"read_idx {path}: {ndim} dimensions; expected {expected_ndim}")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IdxError(f"read_idx {path}: truncated header ({len(raw)} bytes)")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    size = int(np.prod(shape, dtype=np.int64))
    if len(raw) - header != size:
        raise IdxError(f"read_idx {path}: header says shape {shape} ({size} bytes of data) but the "
                       f"file has {len(raw) - header}; truncated or corrupt")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _find(directory, stem):
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    raise IdxError(f"load_mnist: no {stem}[.gz] in {directory!r}")


def load_mnist(directory) -> Split:
    """MNIST's four IDX files from ``directory``: images (N, 28, 28) in [0, 1], labels int64."""
    arrays = {}
    for key, stem in FILES.items():
        arrays[key] = read_idx(_find(directory, stem), 3 if key.endswith("images") else 1)
    for part in ("train", "test"):
        n_images, n_labels = len(arrays[f"{part}_images"]), len(arrays[f"{part}_labels"])
        if n_images != n_labels:
            raise IdxError(f"load_mnist: {n_images} {part} images but {n_labels} labels")
        if arrays[f"{part}_labels"].size and arrays[f"{part}_labels"].max() > 9:
            raise IdxError(f"load_mnist: {part} labels go above 9")
    return Split((arrays["train_images"] / 255.0).astype(np.float32),
                 arrays["train_labels"].astype(np.int64),
                 (arrays["test_images"] / 255.0).astype(np.float32),
                 arrays["test_labels"].astype(np.int64))
