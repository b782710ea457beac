"""from_torch never builds a module that computes something else: every constructor
setting of every PyTorch module it maps is carried over exactly (outputs equal to
PyTorch's, in eval and train mode), refused naming the setting, or cannot change what
is computed. Dtypes survive both ways; bfloat16 is refused clearly."""
import inspect
import os
import warnings

import numpy as np
import pytest

from tinygrad_edu import Tensor, nn
from tinygrad_edu.interop import from_torch, to_torch
from tinygrad_edu.interop.torch_modules import FROM_TORCH

torch = pytest.importorskip("torch", reason="compared with PyTorch's modules: pip install -e '.[torch]'") if not os.environ.get("CI") else __import__("torch")

RNN_ARGS = ("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
            "bidirectional", "device", "dtype")
# PyTorch's documented settings of the classes whose __init__ takes only *args, **kwargs
STAR_ARGS = {"Tanh": (), "Sigmoid": (), "Identity": (), "RNN": RNN_ARGS + ("nonlinearity",),
             "LSTM": RNN_ARGS + ("proj_size",), "GRU": RNN_ARGS}


def constructor_settings(name) -> set:
    params = inspect.signature(getattr(torch.nn, name).__init__).parameters
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params.values()):
        return set(STAR_ARGS[name])
    return set(params) - {"self"}


@pytest.mark.parametrize("name", sorted(FROM_TORCH))
def test_every_constructor_setting_is_mapped_refused_or_without_effect(name):
    mapping = FROM_TORCH[name]
    assert constructor_settings(name) == set(mapping.mapped) | set(mapping.fixed) | set(mapping.no_effect)


# (class, setting) -> a PyTorch module with a value of it that has no counterpart here
REFUSED = {
    ("Softmax", "dim"): lambda: torch.nn.Softmax(),
    ("Conv2d", "dilation"): lambda: torch.nn.Conv2d(2, 3, 3, dilation=2),
    ("Conv2d", "groups"): lambda: torch.nn.Conv2d(2, 4, 3, groups=2),
    ("Conv2d", "padding_mode"): lambda: torch.nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"),
    ("Conv2d", "padding"): lambda: torch.nn.Conv2d(2, 3, (3, 4), padding="same"),
    ("Conv1d", "dilation"): lambda: torch.nn.Conv1d(2, 3, 3, dilation=2),
    ("Conv1d", "groups"): lambda: torch.nn.Conv1d(2, 4, 3, groups=2),
    ("Conv1d", "padding_mode"): lambda: torch.nn.Conv1d(2, 3, 3, padding=1, padding_mode="circular"),
    ("Conv1d", "padding"): lambda: torch.nn.Conv1d(2, 3, 2, padding="same"),
    ("MaxPool2d", "ceil_mode"): lambda: torch.nn.MaxPool2d(2, ceil_mode=True),
    ("MaxPool2d", "dilation"): lambda: torch.nn.MaxPool2d(2, dilation=2),
    ("MaxPool2d", "return_indices"): lambda: torch.nn.MaxPool2d(2, return_indices=True),
    ("AvgPool2d", "ceil_mode"): lambda: torch.nn.AvgPool2d(2, ceil_mode=True),
    ("AvgPool2d", "count_include_pad"): lambda: torch.nn.AvgPool2d(3, padding=1, count_include_pad=False),
    ("AvgPool2d", "divisor_override"): lambda: torch.nn.AvgPool2d(2, divisor_override=3),
    ("LayerNorm", "bias"): lambda: torch.nn.LayerNorm(4, bias=False),
    ("Embedding", "padding_idx"): lambda: torch.nn.Embedding(5, 3, padding_idx=0),
    ("Embedding", "max_norm"): lambda: torch.nn.Embedding(5, 3, max_norm=1.0),
    ("Embedding", "scale_grad_by_freq"): lambda: torch.nn.Embedding(5, 3, scale_grad_by_freq=True),
    ("Embedding", "_freeze"): lambda: torch.nn.Embedding(5, 3, _freeze=True),
    ("MultiheadAttention", "dropout"): lambda: torch.nn.MultiheadAttention(4, 2, 0.1, batch_first=True),
    ("MultiheadAttention", "add_bias_kv"): lambda: torch.nn.MultiheadAttention(4, 2, add_bias_kv=True,
                                                                              batch_first=True),
    ("MultiheadAttention", "add_zero_attn"): lambda: torch.nn.MultiheadAttention(
        4, 2, add_zero_attn=True, batch_first=True),
    ("MultiheadAttention", "kdim"): lambda: torch.nn.MultiheadAttention(4, 2, kdim=3, batch_first=True),
    ("MultiheadAttention", "vdim"): lambda: torch.nn.MultiheadAttention(4, 2, vdim=3, batch_first=True),
    ("LSTM", "proj_size"): lambda: torch.nn.LSTM(3, 4, proj_size=2),
}
for _norm in ("BatchNorm1d", "BatchNorm2d"):
    _cls = getattr(torch.nn, _norm)
    REFUSED.update({(_norm, "momentum"): lambda c=_cls: c(3, momentum=None),
                    (_norm, "track_running_stats"): lambda c=_cls: c(3, track_running_stats=False),
                    (_norm, "bias"): lambda c=_cls: c(3, bias=False)})
for _rnn in ("RNN", "LSTM", "GRU"):
    _cls = getattr(torch.nn, _rnn)
    REFUSED.update({(_rnn, "bias"): lambda c=_cls: c(3, 4, bias=False),
                    (_rnn, "dropout"): lambda c=_cls: c(3, 4, num_layers=2, dropout=0.2),
                    (_rnn, "bidirectional"): lambda c=_cls: c(3, 4, bidirectional=True)})
for _cell in ("RNNCell", "LSTMCell", "GRUCell"):
    REFUSED[(_cell, "bias")] = lambda c=getattr(torch.nn, _cell): c(3, 4, bias=False)


def test_every_refused_setting_has_a_case():
    assert set(REFUSED) == {(name, s) for name, m in FROM_TORCH.items() for s in m.fixed}


@pytest.mark.parametrize("name, setting", sorted(REFUSED))
def test_a_setting_without_counterpart_is_refused_naming_it(name, setting):
    with pytest.raises(ValueError, match=rf"from_torch: {name} has {setting}=.*; expected "):
        from_torch(REFUSED[(name, setting)]())
    inside = torch.nn.Sequential(torch.nn.ReLU(), REFUSED[(name, setting)]())
    with pytest.raises(ValueError, match=rf"{name} at '1' has {setting}="):
        from_torch(inside)


# name -> (PyTorch module with settings other than the defaults, input shape or kind)
EXACT = {
    "Linear without bias": (lambda: torch.nn.Linear(4, 3, bias=False), (2, 4)),
    "ReLU in place": (lambda: torch.nn.ReLU(inplace=True), (2, 4)),
    "LeakyReLU": (lambda: torch.nn.LeakyReLU(0.3, inplace=True), (2, 4)),
    "Tanh": (lambda: torch.nn.Tanh(), (2, 4)),
    "GELU tanh": (lambda: torch.nn.GELU(approximate="tanh"), (2, 4)),
    "SiLU in place": (lambda: torch.nn.SiLU(inplace=True), (2, 4)),
    "Identity": (lambda: torch.nn.Identity(3, unused=True), (2, 4)),
    "Sigmoid": (lambda: torch.nn.Sigmoid(), (2, 4)),
    "Softmax dim 0": (lambda: torch.nn.Softmax(dim=0), (3, 4, 2)),
    "Softmax dim 1": (lambda: torch.nn.Softmax(dim=1), (3, 4, 2)),
    "Flatten": (lambda: torch.nn.Flatten(0, 1), (2, 3, 4)),
    "Dropout (eval)": (lambda: torch.nn.Dropout(0.3, inplace=True), (2, 4)),
    "Conv2d": (lambda: torch.nn.Conv2d(2, 3, (3, 5), stride=(2, 1), padding=(1, 2), bias=False,
                                       dilation=1, groups=1, padding_mode="zeros"), (2, 2, 7, 8)),
    "Conv2d same": (lambda: torch.nn.Conv2d(2, 3, (3, 5), padding="same"), (1, 2, 6, 7)),
    "Conv2d valid": (lambda: torch.nn.Conv2d(2, 3, 3, padding="valid"), (1, 2, 5, 6)),
    "Conv1d": (lambda: torch.nn.Conv1d(2, 3, 5, stride=2, padding=2), (2, 2, 9)),
    "Conv1d same": (lambda: torch.nn.Conv1d(2, 3, 3, padding="same", bias=False), (2, 2, 6)),
    "MaxPool2d": (lambda: torch.nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 7, 7)),
    "MaxPool2d pairs": (lambda: torch.nn.MaxPool2d((2, 3), stride=(1, 2)), (1, 2, 5, 7)),
    "AvgPool2d": (lambda: torch.nn.AvgPool2d(3, stride=2, padding=1), (2, 2, 7, 7)),
    "AvgPool2d unpadded": (lambda: torch.nn.AvgPool2d(2, count_include_pad=False), (1, 2, 4, 6)),
    "BatchNorm1d": (lambda: torch.nn.BatchNorm1d(3, eps=1e-3, momentum=0.3), (5, 3)),
    "BatchNorm2d without affine": (lambda: torch.nn.BatchNorm2d(3, affine=False), (4, 3, 2, 2)),
    "LayerNorm": (lambda: torch.nn.LayerNorm((3, 4), eps=1e-3, elementwise_affine=False), (2, 3, 4)),
    "Embedding": (lambda: torch.nn.Embedding(10, 4, norm_type=1.0, sparse=True), "indices"),
    "RNN sequence first": (lambda: torch.nn.RNN(3, 4, num_layers=2, nonlinearity="relu"), (5, 2, 3)),
    "RNN one layer, dropout": (lambda: torch.nn.RNN(3, 4, dropout=0.5), (5, 2, 3)),
    "LSTM sequence first": (lambda: torch.nn.LSTM(3, 4), (5, 2, 3)),
    "GRU batch first": (lambda: torch.nn.GRU(3, 4, num_layers=2, batch_first=True), (2, 5, 3)),
    "RNNCell": (lambda: torch.nn.RNNCell(3, 4, nonlinearity="relu"), (2, 3)),
    "LSTMCell": (lambda: torch.nn.LSTMCell(3, 4), (2, 3)),
    "GRUCell": (lambda: torch.nn.GRUCell(3, 4), (2, 3)),
    "MultiheadAttention": (lambda: torch.nn.MultiheadAttention(8, 2, bias=False, batch_first=True),
                           "attention"),
    "MultiheadAttention sequence first": (lambda: torch.nn.MultiheadAttention(8, 2), "attention"),
}


def test_every_mapped_class_has_an_exact_case():
    built = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns about dropout on one layer
        for make, _ in EXACT.values():
            built.add(type(make()).__name__)
    assert built == set(FROM_TORCH)


def outputs(module, kind, tinygrad: bool, dtype=np.float32):
    rng = np.random.default_rng(1)
    if kind == "indices":
        x = [rng.integers(0, 10, (3, 4))]
    elif kind == "attention":
        x = [rng.standard_normal((2, 5, 8)).astype(dtype)] * 3
    else:
        x = [rng.standard_normal(kind).astype(dtype)]
    out = module(*(Tensor(a, dtype=a.dtype) if tinygrad and a.dtype.kind == "f" else
                   a if tinygrad else torch.from_numpy(a.copy()) for a in x))
    out = out[0] if isinstance(out, tuple) else out
    return out.numpy() if tinygrad else out.detach().numpy()


@pytest.mark.parametrize("name", sorted(EXACT))
def test_mapped_settings_compute_what_pytorch_computes(name):
    make, kind = EXACT[name]
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = make()
    for key, buffer in theirs.named_buffers():  # running statistics other than 0 and 1
        if buffer.dtype.is_floating_point:
            buffer.uniform_(0.5, 1.5)
    ours = from_torch(theirs)
    for train in ((False,) if "Dropout" in name else (False, True)):
        theirs.train(train), ours.train(train)
        np.testing.assert_allclose(outputs(ours, kind, True), outputs(theirs, kind, False),
                                   rtol=1e-5, atol=1e-5, err_msg=f"train={train}")
    for key, value in ours.state_dict().items():  # running statistics moved alike
        np.testing.assert_allclose(value, theirs.state_dict()[key].numpy(), rtol=1e-5, atol=1e-6,
                                   err_msg=key)


def test_float64_stays_float64_both_ways():
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4)).double().eval()
    ours = from_torch(theirs)
    assert {v.dtype for k, v in ours.state_dict().items() if "num_batches" not in k} == {np.dtype(np.float64)}
    got = outputs(ours, (5, 3), True, np.float64)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, outputs(theirs, (5, 3), False, np.float64), rtol=1e-12)
    back = to_torch(nn.MLP(3, [4, 2]).double())
    assert {p.dtype for p in back.parameters()} == {torch.float64}
    batchnorm = to_torch(nn.BatchNorm1d(3).double())
    assert batchnorm.running_mean.dtype == torch.float64
    assert batchnorm.num_batches_tracked.dtype == torch.int64


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_half_precision_weights_get_a_clear_error(dtype):
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2).to(getattr(torch, dtype)))
    with pytest.raises(ValueError, match=rf"Linear at '0''s weight is torch.{dtype}; .* convert "
                                         r"the module first with .float\(\)"):
        from_torch(theirs)
