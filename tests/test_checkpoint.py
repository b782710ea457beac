"""Checkpoints round-trip, and a half-written, foreign or mismatched file never loads silently."""
import os
import tempfile
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

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


# Every module of tinygrad_edu.nn, built small (a module missing here fails the test below).
EVERY_MODULE = {
    "Linear": lambda: nn.Linear(3, 2), "MLP": lambda: nn.MLP(3, [4, 2]),
    "Sequential": lambda: nn.Sequential(nn.Linear(3, 2), nn.ReLU()),
    "ReLU": nn.ReLU, "LeakyReLU": nn.LeakyReLU, "Tanh": nn.Tanh, "Sigmoid": nn.Sigmoid,
    "Softmax": lambda: nn.Softmax(dim=1), "Flatten": nn.Flatten, "Dropout": nn.Dropout,
    "Conv1d": lambda: nn.Conv1d(2, 3, 3), "Conv2d": lambda: nn.Conv2d(2, 3, 3),
    "MaxPool2d": lambda: nn.MaxPool2d(2), "AvgPool2d": lambda: nn.AvgPool2d(2),
    "BatchNorm1d": lambda: nn.BatchNorm1d(4), "BatchNorm2d": lambda: nn.BatchNorm2d(3),
    "RNN": lambda: nn.RNN(3, 4, num_layers=2), "LSTM": lambda: nn.LSTM(3, 4), "GRU": lambda: nn.GRU(3, 4),
    "RNNCell": lambda: nn.RNNCell(3, 4), "LSTMCell": lambda: nn.LSTMCell(3, 4),
    "GRUCell": lambda: nn.GRUCell(3, 4), "Embedding": lambda: nn.Embedding(5, 3),
    "LayerNorm": lambda: nn.LayerNorm((2, 3)), "MultiheadAttention": lambda: nn.MultiheadAttention(4, 2),
    "GELU": nn.GELU, "SiLU": nn.SiLU, "Identity": nn.Identity,
    "ModuleList": lambda: nn.ModuleList([nn.Linear(2, 3), nn.Linear(3, 1)]),
    "CrossEntropyLoss": nn.CrossEntropyLoss, "NLLLoss": nn.NLLLoss, "MSELoss": nn.MSELoss,
    "L1Loss": nn.L1Loss, "BCELoss": nn.BCELoss, "BCEWithLogitsLoss": nn.BCEWithLogitsLoss,
}


def test_the_round_trip_table_names_every_module():
    modules = {name for name in nn.__all__ if isinstance(getattr(nn, name), type)
               and issubclass(getattr(nn, name), nn.Module) and name != "Module"}
    assert modules == set(EVERY_MODULE)


def changed_state(module, seed):
    """Every parameter and buffer set to new values (counters too), so a round trip that
    dropped or reshaped anything shows."""
    rng = np.random.default_rng(seed)
    for p in module.parameters():
        p.data = rng.standard_normal(p.shape).astype(p.dtype)
    for _, owner, key in module.named_buffers():
        old = owner._buffers[key]
        owner._buffers[key] = (rng.integers(1, 100, old.shape) if old.dtype.kind in "iu"
                               else rng.uniform(0.5, 1.5, old.shape)).astype(old.dtype)
    return module


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
@pytest.mark.parametrize("name", sorted(EVERY_MODULE))
def test_every_module_round_trips_every_entry_in_both_formats(name, suffix, tmp_path):
    saved = changed_state(EVERY_MODULE[name](), 1)
    path = tmp_path / f"m{suffix}"
    tg.save(saved, path)
    loaded = tg.load(path, into=changed_state(EVERY_MODULE[name](), 2))
    want, got = saved.state_dict(), loaded.state_dict()
    assert list(got) == list(want)
    for key in want:
        assert (got[key].shape, got[key].dtype) == (want[key].shape, want[key].dtype), key
        assert np.array_equal(got[key], want[key]), key


def test_batchnorm_counter_stays_a_0d_integer_in_safetensors(tmp_path):
    bn = nn.BatchNorm1d(4)
    bn(Tensor(np.random.default_rng(0).standard_normal((5, 4))))
    tg.save(bn, tmp_path / "bn.safetensors")
    counter = tg.load(tmp_path / "bn.safetensors")["num_batches_tracked"]
    assert counter.shape == () and counter.dtype == np.int64 and counter == 1


@settings(deadline=None)
@given(arrays(st.sampled_from([np.float32, np.float64, np.int64, np.int8, np.uint8, np.bool_]),
              array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)),
       st.sampled_from([".npz", ".safetensors"]))
def test_every_shape_and_dtype_round_trips(array, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "state" + suffix)
        tg.save({"a": array, "b": array.T}, path)
        back = tg.load(path)
    for key, want in (("a", array), ("b", array.T)):
        assert back[key].shape == want.shape and back[key].dtype == want.dtype
        np.testing.assert_array_equal(back[key], want)


def test_a_header_of_nested_brackets_is_a_checkpoint_error(tmp_path):
    path = tmp_path / "deep.safetensors"
    header = b"[" * 100_000 + b"]" * 100_000
    path.write_bytes(len(header).to_bytes(8, "little") + header)
    with pytest.raises(CheckpointError, match="nests too deeply"):
        tg.load(path)


def test_a_200_mb_header_is_refused_as_too_large(tmp_path):
    path = tmp_path / "huge.safetensors"
    declared = 200 * 1024 * 1024
    with open(path, "wb") as f:  # sparse: the 200 MB are there, but cost no disk
        f.write(declared.to_bytes(8, "little") + b"{")
        f.truncate(8 + declared + 16)
    with pytest.raises(CheckpointError, match=r"declares 209,715,200 bytes, more than the "
                                              r"format's limit of 104,857,600; refused as too large"):
        tg.load(path)


@pytest.mark.parametrize("version", [np.array([1, 1]), np.array("1"), np.array(1.0), np.array(2)])
def test_a_malformed_format_version_is_a_checkpoint_error(version, tmp_path):
    path = tmp_path / "m.npz"
    np.savez(path, weight=np.zeros(2), **{tg.checkpoint.FORMAT_KEY: version})
    with pytest.raises(CheckpointError, match=r"format version .* expected the integer 1"):
        tg.load(path)
