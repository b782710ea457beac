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


MAX_BYTES = 2 ** 31  # declared data sizes above this are refused (MNIST's largest is 47 MB)
# Real IDX data gzips 2-5x (MNIST's training images: 9.9 MB -> 47 MB); deflate can reach
# ~1000x only on near-constant bytes, i.e. a decompression bomb, not images.
MAX_GZIP_RATIO = 100


def read_idx(path, expected_ndim: int | None = None) -> np.ndarray:
    """One IDX file (``.gz`` or plain) as a uint8 array. The header is read from the
    stream first; the data read is bounded by the size the header declares, so a small
    hostile file (a "zip bomb" or a lying header) never makes a large allocation."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            shape = _header(f, path, expected_ndim)
            size = 1
            for n in shape:
                size *= n   # Python ints: a lying header cannot overflow
            if size > MAX_BYTES:
                raise IdxError(f"read_idx {path}: header declares shape {shape} ({size:,} bytes); "
                               f"the limit is {MAX_BYTES:,}")
            _check_plausible(path, shape, size, opener is gzip.open)
            raw = f.read(size + 1)  # one byte more than declared, to notice extra data
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise IdxError(f"read_idx {path}: cannot read ({e})") from None
    if len(raw) != size:
        raise IdxError(f"read_idx {path}: header says shape {shape} ({size:,} bytes of data) but "
                       f"the file has {'more' if len(raw) > size else len(raw)}; truncated or corrupt")
    return np.frombuffer(raw, dtype=np.uint8).reshape(shape)


def _check_plausible(path, shape, size: int, gzipped: bool) -> None:
    """Refuse, before reading, a declared size the file cannot hold: more bytes than a
    plain file has, or more than ``MAX_GZIP_RATIO`` times a gzipped one (a bomb)."""
    stored = os.path.getsize(path)
    most = stored * MAX_GZIP_RATIO if gzipped else stored
    if size > most:
        why = (f"is {stored:,} bytes gzipped, which real IDX data inflates to at most "
               f"~{most:,} ({MAX_GZIP_RATIO}x); a decompression bomb or corrupt file"
               if gzipped else f"holds {stored:,} bytes in all; truncated or corrupt")
        raise IdxError(f"read_idx {path}: header declares shape {shape} ({size:,} bytes of "
                       f"data) but the file {why}; refused before reading it")


def _header(f, path, expected_ndim) -> tuple:
    magic = f.read(4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0:
        raise IdxError(f"read_idx {path}: not an IDX file (bad magic number {magic.hex()})")
    if magic[2] != 0x08:
        raise IdxError(f"read_idx {path}: data type 0x{magic[2]:02x}; expected 0x08 (unsigned bytes)")
    ndim = magic[3]
    if expected_ndim is not None and ndim != expected_ndim:
        raise IdxError(f"read_idx {path}: {ndim} dimensions; expected {expected_ndim}")
    dims = f.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise IdxError(f"read_idx {path}: truncated header ({4 + len(dims)} bytes)")
    return tuple(int.from_bytes(dims[4 * i: 4 * i + 4], "big") for i in range(ndim))


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
    train_side, test_side = arrays["train_images"].shape[1:], arrays["test_images"].shape[1:]
    if train_side != test_side:
        raise IdxError(f"load_mnist: test images are {test_side[0]}x{test_side[1]} but training "
                       f"images are {train_side[0]}x{train_side[1]}; expected the same size")
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
