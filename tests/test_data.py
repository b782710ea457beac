"""The shipped digits, the batching iterator, and MNIST IDX files written here."""
import gzip
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from tinygrad_edu.data import IdxError, batches, load_digits, load_mnist, make_moons
from tinygrad_edu.data.mnist import read_idx


def test_digits_split_is_deterministic_and_complete():
    a, b = load_digits(), load_digits()
    assert np.array_equal(a.test_labels, b.test_labels)
    assert len(a.train_labels) + len(a.test_labels) == 1797
    assert set(np.unique(a.train_labels)) == set(range(10))
    assert a.train_images.dtype == np.float32 and 0 <= a.train_images.min() and a.train_images.max() <= 1
    assert not np.array_equal(load_digits(seed=1).test_labels, a.test_labels)


def test_attribution_ships_with_the_data():
    from tinygrad_edu import data
    notice = open(os.path.join(os.path.dirname(data.__file__), "NOTICE.md")).read()
    assert "Alpaydin" in notice and "CC BY 4.0" in notice


def test_batches_cover_every_row_once_and_shuffle_with_the_seed():
    x = np.arange(10).reshape(10, 1).astype(np.float32)
    y = np.arange(10)
    seen = np.concatenate([yb.numpy() for _, yb in batches(x, y, 3, seed=5)])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    again = np.concatenate([yb.numpy() for _, yb in batches(x, y, 3, seed=5)])
    assert np.array_equal(seen, again)
    assert [len(yb) for _, yb in batches(x, y, 4, drop_last=True)] == [4, 4]
    with pytest.raises(ValueError, match="10 images but 9 labels"):
        next(batches(x, y[:9], 2))


def test_moons_are_two_classes_of_equal_size():
    X, y = make_moons(101, seed=3)
    assert X.shape == (101, 2) and np.bincount(y).tolist() == [50, 51]


def write_idx(path, array, gz=False):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape)
    raw = header + array.astype(np.uint8).tobytes()
    if gz:
        with gzip.open(str(path) + ".gz", "wb") as f:
            f.write(raw)
    else:
        path.write_bytes(raw)


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_reads_idx_files(tmp_path, gz):
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (5, 28, 28))
    test = rng.integers(0, 256, (3, 28, 28))
    write_idx(tmp_path / "train-images-idx3-ubyte", train, gz)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.array([0, 1, 2, 3, 9]), gz)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", test, gz)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.array([4, 5, 6]), gz)
    split = load_mnist(tmp_path)
    np.testing.assert_allclose(split.train_images, train / 255.0, rtol=1e-6)
    assert split.test_labels.tolist() == [4, 5, 6] and split.train_images.shape == (5, 28, 28)


def test_truncated_or_wrong_idx_files_are_refused(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((5, 28, 28)))
    raw = (tmp_path / "train-images-idx3-ubyte").read_bytes()
    (tmp_path / "train-images-idx3-ubyte").write_bytes(raw[:-100])
    with pytest.raises(IdxError, match=r"shape \(5, 28, 28\).*truncated"):
        load_mnist(tmp_path)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"PK\x03\x04junk")
    with pytest.raises(IdxError, match="not an IDX file"):
        load_mnist(tmp_path)
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((5,)))
    with pytest.raises(IdxError, match="1 dimensions; expected 3"):
        load_mnist(tmp_path)
    with pytest.raises(IdxError, match="no train-images"):
        load_mnist(tmp_path / "missing")


def test_a_gzip_bomb_or_lying_header_is_refused_without_reading_it_all(tmp_path):
    import resource
    # 1 MB of gzip that inflates to 1 GB, under a header that declares 5 images: one
    # compressed megabyte of zeros repeated as 1,024 gzip members, which readers inflate
    # as one stream (compressing the gigabyte itself took 9 s of the suite).
    header = bytes([0, 0, 0x08, 3]) + b"".join(int(n).to_bytes(4, "big") for n in (5, 28, 28))
    member = gzip.compress(bytes(1 << 20))
    (tmp_path / "bomb.gz").write_bytes(gzip.compress(header) + member * 1024)
    assert len(gzip.decompress(member * 2)) == 2 << 20   # members do join up
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(IdxError, match=r"shape \(5, 28, 28\) \(3,920 bytes of data\) but the file has more"):
        read_idx(str(tmp_path / "bomb.gz"), 3)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 100  # it read 3,921 bytes, not the gigabyte behind them
    lying = bytes([0, 0, 0x08, 3]) + b"".join(int(n).to_bytes(4, "big") for n in (2**31, 2**31, 9))
    (tmp_path / "lying").write_bytes(lying + bytes(10))
    with pytest.raises(IdxError, match="the limit is"):
        read_idx(str(tmp_path / "lying"), 3)


def test_test_images_of_another_size_than_the_training_images_are_refused(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((5, 28, 28)))
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(5))
    write_idx(tmp_path / "t10k-images-idx3-ubyte", np.zeros((3, 20, 20)))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.zeros(3))
    with pytest.raises(IdxError, match="test images are 20x20 but training images are 28x28"):
        load_mnist(tmp_path)


BOMB_READER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # if the check fails, fail small
from tinygrad_edu.data import IdxError
from tinygrad_edu.data.mnist import read_idx
try:
    read_idx(sys.argv[1], 3)
    print("read it")
except IdxError as e:
    print(f"IdxError: {e}")
# This process's own peak (ru_maxrss would count the parent's pages the fork copied)
peak_kib = [int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")][0]
print(peak_kib // 1024)
"""


def test_a_2_mb_gzip_declaring_2_gb_is_refused_before_allocating(tmp_path):
    # Gzip members concatenate: 2,003 copies of 1 MiB of zeros (about 1 KB each compressed)
    # make a 2 MB file that inflates to 2.1 GB, under a header declaring that much.
    shape = (2_100_000_000 // 784, 28, 28)
    header = bytes([0, 0, 0x08, 3]) + b"".join(n.to_bytes(4, "big") for n in shape)
    zeros = gzip.compress(bytes(1 << 20))
    bomb = tmp_path / "train-images-idx3-ubyte.gz"
    bomb.write_bytes(gzip.compress(header) + zeros * 2_003)
    assert 1.5e6 < bomb.stat().st_size < 3e6
    result = subprocess.run([sys.executable, "-c", BOMB_READER, str(bomb)], capture_output=True,
                            text=True, timeout=120, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    message, peak_mib = result.stdout.strip().rsplit("\n", 1)
    assert re.match(r"IdxError: read_idx .*: header declares shape \(2678571, 28, 28\) "
                    r"\(2,099,999,664 bytes of data\) but the file is [\d,]+ bytes gzipped.*"
                    r"decompression bomb", message), (message, result.stderr)
    assert int(peak_mib) < 300
