"""Each tinygrad_edu module beside its PyTorch counterpart: how to build one from the
other with the same settings. Weights then move through ``state_dict`` unchanged,
since both use PyTorch's names, shapes, layouts and dtypes.

Only ``to_torch``/``from_torch`` (``interop/__init__.py``) import this module, and only
they import torch.
"""
from __future__ import annotations

from .. import nn


def _rnn_kwargs(m) -> dict:
    return dict(input_size=m.input_size, hidden_size=m.hidden_size, num_layers=m.num_layers,
                batch_first=m.batch_first)


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
    nn.Conv2d: ("Conv2d", lambda m: dict(in_channels=m.in_channels, out_channels=m.out_channels,
                                         kernel_size=m.kernel_size, stride=m.stride,
                                         padding=m.padding, bias=m.bias is not None)),
    nn.Conv1d: ("Conv1d", lambda m: dict(in_channels=m.in_channels, out_channels=m.out_channels,
                                         kernel_size=m.kernel_size, stride=m.stride,
                                         padding=m.padding, bias=m.bias is not None)),
    nn.MaxPool2d: ("MaxPool2d", lambda m: dict(kernel_size=m.kernel_size, stride=m.stride,
                                               padding=m.padding)),
    nn.AvgPool2d: ("AvgPool2d", lambda m: dict(kernel_size=m.kernel_size, stride=m.stride,
                                               padding=m.padding)),
    nn.BatchNorm1d: ("BatchNorm1d", lambda m: dict(num_features=m.num_features, eps=m.eps,
                                                   momentum=m.momentum, affine=m.weight is not None)),
    nn.BatchNorm2d: ("BatchNorm2d", lambda m: dict(num_features=m.num_features, eps=m.eps,
                                                   momentum=m.momentum, affine=m.weight is not None)),
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


def _torch_rnn(t) -> dict:
    if not t.batch_first or not t.bias or t.bidirectional or getattr(t, "proj_size", 0):
        raise ValueError(f"from_torch: {type(t).__name__} with batch_first={t.batch_first}, "
                         f"bias={t.bias}, bidirectional={t.bidirectional} has no counterpart; "
                         "expected batch_first=True, bias=True, one direction")
    return dict(input_size=t.input_size, hidden_size=t.hidden_size, num_layers=t.num_layers)


def _pair_or_int(v):
    return v if isinstance(v, int) else tuple(v)


# PyTorch class name -> (our class, our settings read from the PyTorch module)
FROM_TORCH = {
    "Linear": (nn.Linear, lambda t: dict(in_features=t.in_features, out_features=t.out_features,
                                         bias=t.bias is not None)),
    "ReLU": (nn.ReLU, lambda t: {}),
    "Tanh": (nn.Tanh, lambda t: {}),
    "Sigmoid": (nn.Sigmoid, lambda t: {}),
    "LeakyReLU": (nn.LeakyReLU, lambda t: dict(negative_slope=t.negative_slope)),
    "Softmax": (nn.Softmax, lambda t: dict(axis=-1 if t.dim is None else t.dim)),
    "Flatten": (nn.Flatten, lambda t: dict(start_dim=t.start_dim, end_dim=t.end_dim)),
    "Dropout": (nn.Dropout, lambda t: dict(p=t.p)),
    "Conv2d": (nn.Conv2d, lambda t: dict(in_channels=t.in_channels, out_channels=t.out_channels,
                                         kernel_size=tuple(t.kernel_size), stride=tuple(t.stride),
                                         padding=tuple(t.padding), bias=t.bias is not None)),
    "Conv1d": (nn.Conv1d, lambda t: dict(in_channels=t.in_channels, out_channels=t.out_channels,
                                         kernel_size=t.kernel_size[0], stride=t.stride[0],
                                         padding=t.padding[0], bias=t.bias is not None)),
    "MaxPool2d": (nn.MaxPool2d, lambda t: dict(kernel_size=_pair_or_int(t.kernel_size),
                                               stride=_pair_or_int(t.stride),
                                               padding=_pair_or_int(t.padding))),
    "AvgPool2d": (nn.AvgPool2d, lambda t: dict(kernel_size=_pair_or_int(t.kernel_size),
                                               stride=_pair_or_int(t.stride),
                                               padding=_pair_or_int(t.padding))),
    "BatchNorm1d": (nn.BatchNorm1d, lambda t: dict(num_features=t.num_features, eps=t.eps,
                                                   momentum=t.momentum, affine=t.affine)),
    "BatchNorm2d": (nn.BatchNorm2d, lambda t: dict(num_features=t.num_features, eps=t.eps,
                                                   momentum=t.momentum, affine=t.affine)),
    "LayerNorm": (nn.LayerNorm, lambda t: dict(normalized_shape=tuple(t.normalized_shape), eps=t.eps,
                                               elementwise_affine=t.elementwise_affine)),
    "Embedding": (nn.Embedding, lambda t: dict(num_embeddings=t.num_embeddings,
                                               embedding_dim=t.embedding_dim)),
    "RNN": (nn.RNN, lambda t: dict(_torch_rnn(t), nonlinearity=t.nonlinearity)),
    "LSTM": (nn.LSTM, _torch_rnn),
    "GRU": (nn.GRU, _torch_rnn),
    "RNNCell": (nn.RNNCell, lambda t: dict(input_size=t.input_size, hidden_size=t.hidden_size,
                                           nonlinearity=t.nonlinearity)),
    "LSTMCell": (nn.LSTMCell, lambda t: dict(input_size=t.input_size, hidden_size=t.hidden_size)),
    "GRUCell": (nn.GRUCell, lambda t: dict(input_size=t.input_size, hidden_size=t.hidden_size)),
    "MultiheadAttention": (nn.MultiheadAttention, lambda t: dict(
        embed_dim=t.embed_dim, num_heads=t.num_heads, bias=t.in_proj_bias is not None)),
}
