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
    nn.GELU: ("GELU", lambda m: dict(approximate=m.approximate)),
    nn.SiLU: ("SiLU", lambda m: {}),
    nn.Identity: ("Identity", lambda m: {}),
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
        batch_first=m.batch_first)),
}


class Rule(NamedTuple):
    """A setting tinygrad_edu computes with one way only: ``value(t)`` reads it from the
    PyTorch module, ``accepts(t)`` says whether it is that way, ``expected`` says which."""
    value: Callable
    accepts: Callable
    expected: str


def _only(attr: str, *allowed, expected: str = "") -> Rule:
    """The attribute ``attr`` must be one of ``allowed``."""
    return Rule(lambda t: getattr(t, attr), lambda t: getattr(t, attr) in allowed,
                expected or " or ".join(map(repr, allowed)))


def _bias_with(flag: str) -> Rule:
    """``bias=False`` beside an affine ``flag``: a scale without a shift, none here."""
    has = lambda t: t.bias is not None or not getattr(t, flag)  # noqa: E731
    return Rule(has, has, "True")


NO_EFFECT = ("device", "dtype")  # weights are copied to the CPU; dtypes kept (see from_torch)


class Mapping(NamedTuple):
    """How one PyTorch class becomes ours: ``settings(t)`` gives our constructor's
    arguments; every PyTorch constructor setting is in ``mapped`` (carried over),
    ``fixed`` (a Rule: any other value is refused, naming it) or ``no_effect``."""
    ours: type
    settings: Callable
    mapped: tuple
    fixed: dict
    no_effect: tuple = NO_EFFECT


def _torch_padding(t) -> tuple:
    """A conv's padding as numbers: 'valid' is 0; 'same' is (k - 1) / 2 per side (the
    padding rule refuses an even kernel, which PyTorch pads unevenly)."""
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
    odd_if_same = lambda t: t.padding != "same" or all(k % 2 for k in t.kernel_size)  # noqa: E731
    return Mapping(ours, settings, ("in_channels", "out_channels", "kernel_size", "stride",
                                    "padding", "bias"),
                   {"dilation": _only("dilation", (1,) if one_d else (1, 1)),
                    "groups": _only("groups", 1),
                    "padding_mode": _only("padding_mode", "zeros"),
                    "padding": Rule(lambda t: t.padding, odd_if_same, "numbers, 'valid', or "
                                    "'same' with an odd kernel (an even one pads unevenly)")})


def _pair_or_int(v):
    return v if isinstance(v, int) else tuple(v)


def _pool(ours, average: bool) -> Mapping:
    def settings(t):
        return dict(kernel_size=_pair_or_int(t.kernel_size), stride=_pair_or_int(t.stride),
                    padding=_pair_or_int(t.padding))
    fixed = {"ceil_mode": _only("ceil_mode", False)}
    if average:
        counts_pad = lambda t: t.count_include_pad or t.padding in (0, (0, 0))  # noqa: E731
        fixed.update(count_include_pad=Rule(lambda t: t.count_include_pad, counts_pad,
                                            "True (padding counted as zeros) unless padding is 0"),
                     divisor_override=_only("divisor_override", None))
    else:
        fixed.update(dilation=_only("dilation", 1, (1, 1), expected="1"),
                     return_indices=_only("return_indices", False))
    return Mapping(ours, settings, ("kernel_size", "stride", "padding"), fixed, ())


def _norm(ours) -> Mapping:
    has_momentum = lambda t: t.momentum is not None  # noqa: E731
    return Mapping(ours, lambda t: dict(num_features=t.num_features, eps=t.eps,
                                        momentum=t.momentum, affine=t.affine),
                   ("num_features", "eps", "momentum", "affine"),
                   {"momentum": Rule(lambda t: t.momentum, has_momentum, "a number (None, a "
                                     "cumulative average, has no counterpart)"),
                    "track_running_stats": _only("track_running_stats", True),
                    "bias": _bias_with("affine")})


def _torch_rnn(t) -> dict:
    return dict(input_size=t.input_size, hidden_size=t.hidden_size, num_layers=t.num_layers,
                batch_first=t.batch_first)


def _cell(t) -> dict:
    return dict(input_size=t.input_size, hidden_size=t.hidden_size)


RNN_MAPPED = ("input_size", "hidden_size", "num_layers", "batch_first")
RNN_FIXED = {"bias": _only("bias", True),
             "dropout": Rule(lambda t: t.dropout, lambda t: t.dropout == 0 or t.num_layers == 1,
                             "0 (dropout between layers has no counterpart)"),
             "bidirectional": _only("bidirectional", False)}
CELL_FIXED = {"bias": _only("bias", True)}
SAME_EMBED = "embed_dim (separate key/value sizes have no counterpart)"

# PyTorch class name -> how to build ours
FROM_TORCH = {
    "Linear": Mapping(nn.Linear, lambda t: dict(in_features=t.in_features,
                                                out_features=t.out_features, bias=t.bias is not None),
                      ("in_features", "out_features", "bias"), {}),
    "ReLU": Mapping(nn.ReLU, lambda t: {}, (), {}, ("inplace",)),
    "Tanh": Mapping(nn.Tanh, lambda t: {}, (), {}, ()),
    "GELU": Mapping(nn.GELU, lambda t: dict(approximate=t.approximate), ("approximate",), {}, ()),
    "SiLU": Mapping(nn.SiLU, lambda t: {}, (), {}, ("inplace",)),
    "Identity": Mapping(nn.Identity, lambda t: {}, (), {}, ()),
    "Sigmoid": Mapping(nn.Sigmoid, lambda t: {}, (), {}, ()),
    "LeakyReLU": Mapping(nn.LeakyReLU, lambda t: dict(negative_slope=t.negative_slope),
                         ("negative_slope",), {}, ("inplace",)),
    "Softmax": Mapping(nn.Softmax, lambda t: dict(axis=t.dim), ("dim",),
                       {"dim": Rule(lambda t: t.dim, lambda t: t.dim is not None, "a number "
                                    "(None picks the dimension from the input's rank)")}, ()),
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
        ("normalized_shape", "eps", "elementwise_affine"), {"bias": _bias_with("elementwise_affine")}),
    "Embedding": Mapping(nn.Embedding, lambda t: dict(num_embeddings=t.num_embeddings,
                                                      embedding_dim=t.embedding_dim),
                         ("num_embeddings", "embedding_dim"),
                         {"padding_idx": _only("padding_idx", None),
                          "max_norm": _only("max_norm", None),
                          "scale_grad_by_freq": _only("scale_grad_by_freq", False),
                          "_freeze": Rule(lambda t: not t.weight.requires_grad,
                                          lambda t: t.weight.requires_grad, "False")},
                         # norm_type acts only with max_norm; sparse gives the same gradient
                         # values (stored densely here); _weight is copied as the weight
                         ("norm_type", "sparse", "_weight") + NO_EFFECT),
    "RNN": Mapping(nn.RNN, lambda t: dict(_torch_rnn(t), nonlinearity=t.nonlinearity),
                   RNN_MAPPED + ("nonlinearity",), RNN_FIXED),
    "LSTM": Mapping(nn.LSTM, _torch_rnn, RNN_MAPPED, dict(RNN_FIXED, proj_size=_only("proj_size", 0))),
    "GRU": Mapping(nn.GRU, _torch_rnn, RNN_MAPPED, RNN_FIXED),
    "RNNCell": Mapping(nn.RNNCell, lambda t: dict(_cell(t), nonlinearity=t.nonlinearity),
                       ("input_size", "hidden_size", "nonlinearity"), CELL_FIXED),
    "LSTMCell": Mapping(nn.LSTMCell, _cell, ("input_size", "hidden_size"), CELL_FIXED),
    "GRUCell": Mapping(nn.GRUCell, _cell, ("input_size", "hidden_size"), CELL_FIXED),
    "MultiheadAttention": Mapping(nn.MultiheadAttention, lambda t: dict(
        embed_dim=t.embed_dim, num_heads=t.num_heads, bias=t.in_proj_bias is not None,
        batch_first=t.batch_first),
        ("embed_dim", "num_heads", "bias", "batch_first"),
        {"dropout": _only("dropout", 0.0),
         "add_bias_kv": Rule(lambda t: t.bias_k is not None, lambda t: t.bias_k is None, "False"),
         "add_zero_attn": _only("add_zero_attn", False),
         "kdim": Rule(lambda t: t.kdim, lambda t: t.kdim == t.embed_dim, SAME_EMBED),
         "vdim": Rule(lambda t: t.vdim, lambda t: t.vdim == t.embed_dim, SAME_EMBED)}),
}


def refused_setting(t, mapping: Mapping) -> str | None:
    """The first constructor setting of ``t`` that tinygrad_edu cannot compute with, as
    ``name=value; expected ...`` (None when every setting maps)."""
    for name, rule in mapping.fixed.items():
        if not rule.accepts(t):
            return f"{name}={rule.value(t)!r}; expected {rule.expected}"
    return None
