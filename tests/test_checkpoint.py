"""Checkpoints round-trip, and a half-written, foreign or mismatched file never loads silently."""
import os
import zipfile

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import CheckpointError, Tensor, nn


def model(seed=0):
    tg.manual_seed(seed)
    return nn.MLP(4, [8, 3])


def test_round_trip_restores_outputs(tmp_path):
    path = tmp_path / "m.npz"
    a = model(0)
    tg.save(a, path)
    b = tg.load(path, into=model(1))
    x = Tensor(np.ones((2, 4)))
    assert np.array_equal(a(x).numpy(), b(x).numpy())
    assert [f for f in os.listdir(tmp_path)] == ["m.npz"]  # no temporary file left


def test_truncated_file_is_refused_and_never_half_loaded(tmp_path):
    path = tmp_path / "m.npz"
    tg.save(model(0), path)
    raw = path.read_bytes()
    for cut in (10, len(raw) // 2, len(raw) - 30):
        bad = tmp_path / f"cut{cut}.npz"
        bad.write_bytes(raw[:cut])
        target = model(1)
        before = target.state_dict()
        with pytest.raises(CheckpointError, match="truncated|unreadable|corrupt"):
            tg.load(bad, into=target)
        assert all(np.array_equal(before[k], v) for k, v in target.state_dict().items())


def test_header_that_lies_about_its_size_is_refused_before_allocating(tmp_path):
    path = tmp_path / "liar.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        header = b"\x93NUMPY\x01\x00" + b"v\x00" + \
            b"{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,), }".ljust(117) + b"\n"
        zf.writestr("weight.npy", header + b"\x00" * 8)
    with pytest.raises(CheckpointError, match=r"declares shape \(100000000000,\).*truncated or corrupt"):
        tg.load(path)


def test_foreign_files_are_refused(tmp_path):
    other = tmp_path / "other.npz"
    np.savez(other, weight=np.zeros(3))
    with pytest.raises(CheckpointError, match="not a tinygrad_edu checkpoint"):
        tg.load(other)
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    with pytest.raises(CheckpointError, match="not an .npz/zip file"):
        tg.load(text)
    pickled = tmp_path / "objects.npz"
    np.savez(pickled, obj=np.array([{"a": 1}], dtype=object), **{tg.checkpoint.FORMAT_KEY: np.array(1)})
    with pytest.raises(CheckpointError, match="Python objects; refused"):
        tg.load(pickled)


def test_mismatched_model_gets_an_exact_report(tmp_path):
    path = tmp_path / "m.npz"
    tg.save(model(0), path)
    with pytest.raises(CheckpointError, match=r"0.weight: shape \(8, 4\) in the state, \(8, 5\) in the model"):
        tg.load(path, into=nn.MLP(5, [8, 3]))


def test_a_failed_save_keeps_the_previous_good_file(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    tg.save(model(0), path)
    good = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        tg.save(model(1), path)
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["m.npz"]


def test_saving_onto_a_folder_names_the_folder_and_writes_nothing(tmp_path):
    from tinygrad_edu.scalar import Value
    from tinygrad_edu.stepper import Stepper
    (tmp_path / "inside.txt").write_text("mine")
    for save in (lambda: tg.save(model(0), tmp_path),
                 lambda: Stepper(Value(2.0) * Value(3.0)).save_html(tmp_path)):
        with pytest.raises(IsADirectoryError, match=r"is a folder; expected a file name in it: "):
            save()
    assert os.listdir(tmp_path) == ["inside.txt"]
    assert not [f for f in os.listdir(tmp_path.parent) if f.startswith(f".{tmp_path.name}.tmp-")]
