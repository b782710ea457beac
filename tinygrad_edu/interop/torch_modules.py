"""Each tinygrad_edu module beside its PyTorch counterpart: how to build one from the
other with the same settings. Weights then move through ``state_dict`` unchanged,
since both use PyTorch's names, shapes, layouts and dtypes.

Every constructor setting of a PyTorch module is accounted for in ``FROM_TORCH``: it is
carried over exactly (``mapped``), refused unless it has the value tinygrad_edu computes
with (``fixed``), or cannot change what the module computes (``no_effect``). So
``from_torch`` never builds a module that computes something else.

Only ``to_torch``/``from_torch`` (``interop/__init__.py``) import this module, and only
they import torch.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

from .. import nn


def _rnn_kwargs(m) -> dict:
    return dict(input_size=m.input_size, hidden_size=m.hidden_size, num_layers=m.num_layers,
                batch_first=m.batch_first)


def _conv_kwargs(m) -> dict:
    return dict(in_channels=m.in_channels, out_channels=m.out_channels, kernel_size=m.kernel_size,
                stride=m.stride, padding=m.padding, bias=m.bias is not None)


def _pool_kwargs(m) -> dict:
    return dict(kernel_size=m.kernel_size, stride=m.stride, padding=m.padding)


def _norm_kwargs(m) -> dict:
    return dict(num_features=m.num_features, eps=m.eps, momentum=m.momentum,
                affine=m.weight is not None)


# our class -> (PyTorch class name, settings for it read from our module)
TO_TORCH = {
    nn.Linear: ("Linear", lambda m: dict(in_features=m.in_features, out_features=m.out_features,
                                         bias=m.bias is not None)),
    nn.ReLU: ("ReLU", lambda m: {}),
    nn.Tanh: ("Tanh", lambda m: {}),
    nn.Sigmoid: ("Sigmoid", lambda m: {}),
    nn.LeakyReLU: ("LeakyReLU", lambda m: dict(negative_slope=m.negative_slope)),
    nn.Softmax: ("Softmax", lambda m: dict(dim=m.axis)),
    nn.Flatten: ("Flatten", lambda m: dict(start_dim=m.start_dim, end_dim=m.end_dim)),
    nn.Dropout: ("Dropout", lambda m: dict(p=m.p)),
    nn.Conv2d: ("Conv2d", _conv_kwargs),
    nn.Conv1d: ("Conv1d", _conv_kwargs),
    nn.MaxPool2d: ("MaxPool2d", _pool_kwargs),
    nn.AvgPool2d: ("AvgPool2d", _pool_kwargs),
    nn.BatchNorm1d: ("BatchNorm1d", _norm_kwargs),
    nn.BatchNorm2d: ("BatchNorm2d", _norm_kwargs),
    nn.LayerNorm: ("LayerNorm", lambda m: dict(normalized_shape=m.normalized_shape, eps=m.eps,
                                               elementwise_affine=m.weight is not None)),
    nn.Embedding: ("Embedding", lambda m: dict(num_embeddings=m.num_embeddings,
                                               embedding_dim=m.embedding_dim)),
    nn.RNN: ("RNN", lambda m: dict(_rnn_kwargs(m), nonlinearity=m.nonlinearity)),
    nn.LSTM: ("LSTM", _rnn_kwargs),
    nn.GRU: ("GRU", _rnn_kwargs),
    nn.RNNCell: ("RNNCell", lambda m: dict(input_size=m.input_size, hidden_size=m.hidden_size,
                                           nonlinearity=m.nonlinearity)),
    nn.LSTMCell: ("LSTMCell", lambda m: dict(input_size=m.input_size, hidden_size=m.hidden_size)),
    nn.GRUCell: ("GRUCell", lambda m: dict(input_size=m.input_size, hidden_size=m.hidden_size)),
    nn.MultiheadAttention: ("MultiheadAttention", lambda m: dict(
        embed_dim=m.embed_dim, num_heads=m.num_heads, bias=m.in_proj_bias is not None,
        batch_first=True)),
}


class Mapping(NamedTuple):
    """How one PyTorch class becomes ours. ``fixed``: setting -> (its value in t,
    accepts(t), what tinygrad_edu computes with); another value is refused, naming it."""
    ours: type
    settings: Callable
    mapped: tuple
    fixed: dict
    no_effect: tuple = ("device", "dtype")  # weights copy to the CPU; dtypes kept (see from_torch)


def _torch_padding(t) -> tuple:
    """A conv's padding as numbers: 'valid' is 0; 'same' is (k - 1) / 2 per side when that
    is whole (PyTorch pads an even kernel unevenly, which has no counterpart here)."""
    if t.padding == "valid":
        return (0,) * len(t.kernel_size)
    if t.padding == "same":
        return tuple((k - 1) // 2 for k in t.kernel_size)
    return tuple(t.padding)


def _conv(ours, one_d: bool) -> Mapping:
    def settings(t):
        pick = (lambda v: v[0]) if one_d else tuple
        return dict(in_channels=t.in_channels, out_channels=t.out_channels,
                    kernel_size=pick(t.kernel_size), stride=pick(t.stride),
                    padding=pick(_torch_padding(t)), bias=t.bias is not None)
    ones = tuple(1 for _ in range(1 if one_d else 2))
    return Mapping(ours, settings, ("in_channels", "out_channels", "kernel_size", "stride",
                                    "padding", "bias"),
                   {"dilation": (lambda t: t.dilation, lambda t: tuple(t.dilation) == ones, ones[0] if one_d else ones),
                    "groups": (lambda t: t.groups, lambda t: t.groups == 1, 1),
                    "padding_mode": (lambda t: t.padding_mode, lambda t: t.padding_mode == "zeros", "'zeros'"),
                    "padding": (lambda t: t.padding, lambda t: t.padding != "same"
                                or all(k % 2 for k in t.kernel_size), "numbers, 'valid', or "
                                "'same' with an odd kernel (an even one pads unevenly)")})


def _pair_or_int(v):
    return v if isinstance(v, int) else tuple(v)


def _pool(ours, average: bool) -> Mapping:
    def settings(t):
        return dict(kernel_size=_pair_or_int(t.kernel_size), stride=_pair_or_int(t.stride),
                    padding=_pair_or_int(t.padding))
    fixed = {"ceil_mode": (lambda t: t.ceil_mode, lambda t: not t.ceil_mode, False)}
    if average:
        fixed.update(count_include_pad=(lambda t: t.count_include_pad, lambda t: t.count_include_pad or t.padding in (0, (0, 0)),
                                        "True (padding counted as zeros) unless padding is 0"),
                     divisor_override=(lambda t: t.divisor_override, lambda t: t.divisor_override is None, None))
        return Mapping(ours, settings, ("kernel_size", "stride", "padding"), fixed, ())
    fixed.update(dilation=(lambda t: t.dilation, lambda t: t.dilation in (1, (1, 1)), 1),
                 return_indices=(lambda t: t.return_indices, lambda t: not t.return_indices, False))
    return Mapping(ours, settings, ("kernel_size", "stride", "padding"), fixed, ())


def _norm(ours) -> Mapping:
    return Mapping(ours, lambda t: dict(num_features=t.num_features, eps=t.eps,
                                        momentum=t.momentum, affine=t.affine),
                   ("num_features", "eps", "momentum", "affine"),
                   {"momentum": (lambda t: t.momentum, lambda t: t.momentum is not None, "a number (None, a cumulative "
                                                                   "average, has no counterpart)"),
                    "track_running_stats": (lambda t: t.track_running_stats, lambda t: t.track_running_stats, True),
                    "bias": (lambda t: t.bias is not None or not t.affine, lambda t: (t.bias is not None) == t.affine, True)})


def _torch_rnn(t) -> dict:
    return dict(input_size=t.input_size, hidden_size=t.hidden_size, num_layers=t.num_layers,
                batch_first=t.batch_first)


RNN_FIXED = {"bias": (lambda t: t.bias, lambda t: t.bias, True),
             "dropout": (lambda t: t.dropout, lambda t: t.dropout == 0 or t.num_layers == 1, "0 (between layers)"),
             "bidirectional": (lambda t: t.bidirectional, lambda t: not t.bidirectional, False)}
RNN_MAPPED = ("input_size", "hidden_size", "num_layers", "batch_first")
CELL_FIXED = {"bias": (lambda t: t.bias, lambda t: t.bias, True)}
NO_EFFECT = ("device", "dtype")


def _cell(t) -> dict:
    return dict(input_size=t.input_size, hidden_size=t.hidden_size)


# PyTorch class name -> how to build ours
FROM_TORCH = {
    "Linear": Mapping(nn.Linear, lambda t: dict(in_features=t.in_features,
                                                out_features=t.out_features, bias=t.bias is not None),
                      ("in_features", "out_features", "bias"), {}),
    "ReLU": Mapping(nn.ReLU, lambda t: {}, (), {}, ("inplace",)),
    "Tanh": Mapping(nn.Tanh, lambda t: {}, (), {}, ()),
    "Sigmoid": Mapping(nn.Sigmoid, lambda t: {}, (), {}, ()),
    "LeakyReLU": Mapping(nn.LeakyReLU, lambda t: dict(negative_slope=t.negative_slope),
                         ("negative_slope",), {}, ("inplace",)),
    "Softmax": Mapping(nn.Softmax, lambda t: dict(axis=t.dim), ("dim",),
                       {"dim": (lambda t: t.dim, lambda t: t.dim is not None, "a number (None picks the dimension "
                                                             "from the input's rank)")}, ()),
    "Flatten": Mapping(nn.Flatten, lambda t: dict(start_dim=t.start_dim, end_dim=t.end_dim),
                       ("start_dim", "end_dim"), {}, ()),
    "Dropout": Mapping(nn.Dropout, lambda t: dict(p=t.p), ("p",), {}, ("inplace",)),
    "Conv2d": _conv(nn.Conv2d, one_d=False),
    "Conv1d": _conv(nn.Conv1d, one_d=True),
    "MaxPool2d": _pool(nn.MaxPool2d, average=False),
    "AvgPool2d": _pool(nn.AvgPool2d, average=True),
    "BatchNorm1d": _norm(nn.BatchNorm1d),
    "BatchNorm2d": _norm(nn.BatchNorm2d),
    "LayerNorm": Mapping(nn.LayerNorm, lambda t: dict(
        normalized_shape=tuple(t.normalized_shape), eps=t.eps, elementwise_affine=t.elementwise_affine),
        ("normalized_shape", "eps", "elementwise_affine"),
        {"bias": (lambda t: t.bias is not None or not t.elementwise_affine,
                  lambda t: (t.bias is not None) == t.elementwise_affine, True)}),
    "Embedding": Mapping(nn.Embedding, lambda t: dict(num_embeddings=t.num_embeddings,
                                                      embedding_dim=t.embedding_dim),
                         ("num_embeddings", "embedding_dim"),
                         {"padding_idx": (lambda t: t.padding_idx, lambda t: t.padding_idx is None, None),
                          "max_norm": (lambda t: t.max_norm, lambda t: t.max_norm is None, None),
                          "scale_grad_by_freq": (lambda t: t.scale_grad_by_freq, lambda t: not t.scale_grad_by_freq,
                                                 False),
                          "_freeze": (lambda t: not t.weight.requires_grad, lambda t: t.weight.requires_grad,
                                      False)},
                         # norm_type acts only with max_norm; sparse gives the same gradient
                         # values (stored densely here); _weight is copied as the weight
                         ("norm_type", "sparse", "_weight") + NO_EFFECT),
    "RNN": Mapping(nn.RNN, lambda t: dict(_torch_rnn(t), nonlinearity=t.nonlinearity),
                   RNN_MAPPED + ("nonlinearity",), RNN_FIXED),
    "LSTM": Mapping(nn.LSTM, _torch_rnn, RNN_MAPPED,
                    dict(RNN_FIXED, proj_size=(lambda t: t.proj_size, lambda t: t.proj_size == 0, 0))),
    "GRU": Mapping(nn.GRU, _torch_rnn, RNN_MAPPED, RNN_FIXED),
    "RNNCell": Mapping(nn.RNNCell, lambda t: dict(_cell(t), nonlinearity=t.nonlinearity),
                       ("input_size", "hidden_size", "nonlinearity"), CELL_FIXED),
    "LSTMCell": Mapping(nn.LSTMCell, _cell, ("input_size", "hidden_size"), CELL_FIXED),
    "GRUCell": Mapping(nn.GRUCell, _cell, ("input_size", "hidden_size"), CELL_FIXED),
    "MultiheadAttention": Mapping(nn.MultiheadAttention, lambda t: dict(
        embed_dim=t.embed_dim, num_heads=t.num_heads, bias=t.in_proj_bias is not None),
        ("embed_dim", "num_heads", "bias"),
        {"batch_first": (lambda t: t.batch_first, lambda t: t.batch_first, "True (inputs (batch, sequence, embed); "
                                                  "PyTorch's default False puts the sequence first)"),
         "dropout": (lambda t: t.dropout, lambda t: t.dropout == 0, 0.0),
         "add_bias_kv": (lambda t: t.bias_k is not None, lambda t: t.bias_k is None, False),
         "add_zero_attn": (lambda t: t.add_zero_attn, lambda t: not t.add_zero_attn, False),
         "kdim": (lambda t: t.kdim, lambda t: t.kdim == t.embed_dim, "embed_dim"),
         "vdim": (lambda t: t.vdim, lambda t: t.vdim == t.embed_dim, "embed_dim")}),
}


def refused_setting(t, mapping: Mapping) -> str | None:
    """The first constructor setting of ``t`` that tinygrad_edu cannot compute with, as
    ``name=value; expected ...`` (None when every setting maps)."""
    for name, (value, accepts, expected) in mapping.fixed.items():
        if not accepts(t):
            return f"{name}={value(t)!r}; expected {expected}"
    return None
