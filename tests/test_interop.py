"""Graduation to PyTorch: for every module, weights saved here as .safetensors load into
the equivalent PyTorch module (and back) and give the same outputs; one gradient step
in both engines gives the same new weights; hostile files are refused, model untouched."""
import os
import re

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import Tensor, nn, optim
from tinygrad_edu.checkpoint import CheckpointError
from tinygrad_edu.interop import from_torch, to_torch

torch = pytest.importorskip("torch", reason="round trips through PyTorch: pip install -e '.[torch]'") if not os.environ.get("CI") else __import__("torch")
from safetensors.torch import load_file as torch_load_file  # noqa: E402
from safetensors.torch import save_file as torch_save_file  # noqa: E402

# name -> (module factory, input shape or kind)
MODULES = {
    "Linear": (lambda: nn.Linear(5, 3), (4, 5)),
    "MLP": (lambda: nn.MLP(5, [7, 3]), (4, 5)),
    "Sequential CNN": (lambda: nn.Sequential(nn.Conv2d(2, 3, 3, stride=2, padding=1), nn.ReLU(),
                                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(12, 4)), (2, 2, 8, 8)),
    "Conv1d": (lambda: nn.Conv1d(2, 3, 3, padding=1), (2, 2, 7)),
    "AvgPool2d": (lambda: nn.AvgPool2d(3, stride=1, padding=1), (1, 2, 5, 5)),
    "BatchNorm1d": (lambda: nn.BatchNorm1d(3), (6, 3)),
    "BatchNorm2d": (lambda: nn.BatchNorm2d(3), (4, 3, 5, 5)),
    "LayerNorm": (lambda: nn.LayerNorm(5), (3, 4, 5)),
    "Embedding": (lambda: nn.Embedding(10, 4), "indices"),
    "RNN": (lambda: nn.RNN(3, 4, num_layers=2, batch_first=True), (2, 5, 3)),
    "LSTM": (lambda: nn.LSTM(3, 4, num_layers=2, batch_first=True), (2, 5, 3)),
    "GRU": (lambda: nn.GRU(3, 4, batch_first=True), (2, 5, 3)),
    "RNNCell": (lambda: nn.RNNCell(3, 4), (2, 3)),
    "LSTMCell": (lambda: nn.LSTMCell(3, 4), (2, 3)),
    "GRUCell": (lambda: nn.GRUCell(3, 4), (2, 3)),
    "MultiheadAttention": (lambda: nn.MultiheadAttention(8, 2, batch_first=True), "attention"),
    "activations": (lambda: nn.Sequential(nn.Tanh(), nn.Sigmoid(), nn.LeakyReLU(0.2),
                                          nn.Dropout(0.3), nn.GELU(), nn.SiLU(), nn.Identity(),
                                          nn.GELU(approximate="tanh"), nn.Softmax(-1)), (3, 4)),
}


def randomise(model, seed):
    """Random weights (and running statistics), so nothing matches by accident; scaled
    like an initialisation (1/sqrt(fan-in)), so activations stay in float32's comfort."""
    rng = np.random.default_rng(seed)
    for p in model.parameters():
        scale = 1.0 / np.sqrt(p.shape[-1]) if len(p.shape) > 1 else 0.5
        p.data = (rng.standard_normal(p.shape) * scale).astype(np.float32)
    for _, module, key in model.named_buffers():
        if module._buffers[key].dtype.kind == "f":
            module._buffers[key] = rng.uniform(0.5, 1.5, module._buffers[key].shape).astype(np.float32)
    return model


def run_both(ours, theirs, kind, seed=1):
    rng = np.random.default_rng(seed)
    if kind == "indices":
        x = rng.integers(0, 10, (3, 4))
        return ours(x).numpy(), theirs(torch.from_numpy(x)).detach().numpy()
    if kind == "attention":
        q = rng.standard_normal((2, 5, 8)).astype(np.float32)
        return (ours(Tensor(q), Tensor(q), Tensor(q))[0].numpy(),
                theirs(*(torch.from_numpy(q),) * 3)[0].detach().numpy())
    x = rng.standard_normal(kind).astype(np.float32)
    first = lambda o: o[0] if isinstance(o, tuple) else o  # noqa: E731 (RNNs: (out, state))
    return first(ours(Tensor(x))).numpy(), first(theirs(torch.from_numpy(x))).detach().numpy()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_weights_saved_here_load_into_pytorch_and_back(name, tmp_path):
    make, kind = MODULES[name]
    tg.manual_seed(0)
    ours = randomise(make(), 1).eval()
    path = str(tmp_path / "m.safetensors")
    tg.save(ours, path)
    theirs = to_torch(randomise(make(), 2)).eval()  # same structure, other weights
    theirs.load_state_dict(torch_load_file(path))
    a, b = run_both(ours, theirs, kind)
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)

    # ... and a PyTorch checkpoint loads here (seeded: the same weights every run).
    torch.manual_seed(0)
    for p in theirs.parameters():
        p.data.normal_()
    back_path = str(tmp_path / "back.safetensors")
    torch_save_file({k: v.contiguous() for k, v in theirs.state_dict().items()}, back_path)
    again = tg.load(back_path, into=randomise(make(), 3)).eval()
    a, b = run_both(again, theirs, kind)
    # Weights of size ~1 make outputs of size ~10: float32 rounds them at ~1e-6 of that.
    atol = 1e-5 * max(1.0, float(np.abs(b).max()))
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=atol)
    rebuilt = from_torch(theirs).eval()
    np.testing.assert_allclose(run_both(rebuilt, theirs, kind)[0], b, rtol=1e-5, atol=atol)


@pytest.mark.parametrize("name", ["MLP", "Sequential CNN", "LSTM"])
def test_one_gradient_step_gives_the_same_new_weights_in_both_engines(name):
    make, shape = MODULES[name]
    tg.manual_seed(0)
    ours = randomise(make(), 4)
    theirs = to_torch(ours)
    x = np.random.default_rng(5).standard_normal(shape).astype(np.float32)
    out = ours(Tensor(x))
    out = out[0] if isinstance(out, tuple) else out
    loss = (out * out).mean()
    opt = optim.SGD(ours.parameters(), lr=0.1, momentum=0.9)
    opt.zero_grad(); loss.backward(); opt.step()
    t_out = theirs(torch.from_numpy(x))
    t_out = t_out[0] if isinstance(t_out, tuple) else t_out
    t_opt = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    t_opt.zero_grad(); (t_out * t_out).mean().backward(); t_opt.step()
    new = {k: v.detach().numpy() for k, v in theirs.state_dict().items()}
    for key, value in ours.state_dict().items():
        np.testing.assert_allclose(value, new[key], rtol=1e-5, atol=1e-6, err_msg=key)


def hostile(tmp_path, good_bytes):
    """(what, bytes) pairs a careless or hostile user might hand over."""
    header_len = int.from_bytes(good_bytes[:8], "little")
    huge = (10 ** 12).to_bytes(8, "little") + good_bytes[8:]
    wrong_dtype = good_bytes.replace(b'"F32"', b'"BF16"', 1)
    return [("zero-byte", b""), ("truncated", good_bytes[: len(good_bytes) // 2]),
            ("cut in the header", good_bytes[: 8 + header_len // 2]),
            ("wrong header length", (header_len + 7).to_bytes(8, "little") + good_bytes[8:]),
            ("huge declared size", huge), ("wrong dtype", wrong_dtype),
            ("not safetensors", b"PK\x03\x04 this is a zip, not weights")]


def test_hostile_files_are_refused_and_change_nothing(tmp_path):
    tg.manual_seed(0)
    model = nn.Linear(3, 2)
    good = tmp_path / "good.safetensors"
    tg.save(model, str(good))
    target = nn.Linear(3, 2)
    before = {k: v.copy() for k, v in target.state_dict().items()}
    for what, data in hostile(tmp_path, good.read_bytes()):
        path = tmp_path / f"{what.replace(' ', '_')}.safetensors"
        path.write_bytes(data)
        with pytest.raises(CheckpointError) as caught:
            tg.load(str(path), into=target)
        assert str(path) in str(caught.value), what
        for k, v in target.state_dict().items():
            assert np.array_equal(v, before[k]), f"{what} changed {k}"


def test_names_dtypes_and_shapes_are_checked_against_the_model(tmp_path):
    target = nn.Linear(3, 2)
    before = target.weight.data.copy()
    cases = {"extra": {"weight": np.zeros((2, 3), np.float32), "bias": np.zeros(2, np.float32),
                       "surprise": np.zeros(1, np.float32)},
             "missing": {"weight": np.zeros((2, 3), np.float32)},
             "wrong dtype": {"weight": np.zeros((2, 3), np.int32), "bias": np.zeros(2, np.float32)},
             "wrong shape": {"weight": np.zeros((3, 2), np.float32), "bias": np.zeros(2, np.float32)}}
    messages = {"extra": "unexpected: surprise", "missing": "missing: bias",
                "wrong dtype": "weight: dtype int32", "wrong shape": "weight: shape (3, 2)"}
    for what, state in cases.items():
        path = str(tmp_path / f"{what.replace(' ', '_')}.safetensors")
        torch_save_file({k: torch.from_numpy(v) for k, v in state.items()}, path)
        with pytest.raises(CheckpointError, match=re.escape(messages[what])):
            tg.load(path, into=target)
        assert np.array_equal(target.weight.data, before)


def test_a_module_without_a_counterpart_is_named():
    class Mine(nn.Module):
        def forward(self, x):
            return x
    with pytest.raises(ValueError, match=r"Mine at '1' has no PyTorch counterpart"):
        to_torch(nn.Sequential(nn.ReLU(), Mine()))
    with pytest.raises(ValueError, match=r"Bilinear has no tinygrad_edu counterpart"):
        from_torch(torch.nn.Bilinear(2, 2, 2))


def test_saving_is_atomic_and_clears_a_temporary_a_crash_left(tmp_path):
    stale = tmp_path / ".m.safetensors.tmp-crashed"
    stale.write_bytes(b"half a checkpoint")
    tg.save(nn.Linear(2, 2), str(tmp_path / "m.safetensors"))
    assert sorted(os.listdir(tmp_path)) == ["m.safetensors"]
