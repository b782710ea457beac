"""Convolution, pooling and batch normalisation modules (NCHW), with PyTorch's names.

>>> import numpy as np
>>> from tinygrad_edu import Tensor, manual_seed
>>> manual_seed(0)
>>> conv = Conv2d(1, 8, 3, padding=1)
>>> conv(Tensor(np.zeros((2, 1, 8, 8)))).shape
(2, 8, 8, 8)
>>> MaxPool2d(2)(conv(Tensor(np.zeros((2, 1, 8, 8))))).shape
(2, 8, 4, 4)
"""
from __future__ import annotations

import math

import numpy as np

from . import functional as F
from . import init
from .module import Module, Parameter


def _check_sizes(name, in_channels, out_channels, kernel, stride, padding) -> None:
    """Refuse, before any weight is made, sizes no convolution has (PyTorch's bounds)."""
    if min(in_channels, out_channels, *kernel, *stride) < 1 or min(padding) < 0:
        raise ValueError(f"{name}: expected channels, kernel_size and stride >= 1 and padding "
                         f">= 0; got in_channels={in_channels}, out_channels={out_channels}, "
                         f"kernel_size={kernel}, stride={stride}, padding={padding}")


class Conv2d(Module):
    """weight (out_channels, in_channels, kh, kw), bias (out_channels,); PyTorch's init."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 bias: bool = True):
        kh, kw = F._pair(kernel_size, "kernel_size", "Conv2d")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = (kh, kw)
        self.stride = F._pair(stride, "stride", "Conv2d")
        self.padding = F._pair(padding, "padding", "Conv2d")
        _check_sizes("Conv2d", in_channels, out_channels, self.kernel_size, self.stride, self.padding)
        self.weight = Parameter(np.zeros((out_channels, in_channels, kh, kw)), dtype=np.float32)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        self.bias = None
        if bias:
            bound = 1.0 / math.sqrt(in_channels * kh * kw)
            self.bias = init.uniform_(Parameter(np.zeros(out_channels), dtype=np.float32), -bound, bound)

    def forward(self, x):
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"Conv2d({self.in_channels}, {self.out_channels}): got input of shape "
                             f"{x.shape}; expected (N, {self.in_channels}, H, W)")
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}")


class Conv1d(Module):
    """1-D convolution over (N, C, L), computed as a Conv2d with height 1."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0, bias: bool = True):
        sizes = [F._single(v, what, "Conv1d") for v, what in
                 ((kernel_size, "kernel_size"), (stride, "stride"), (padding, "padding"))]
        _check_sizes("Conv1d", in_channels, out_channels, *((n,) for n in sizes))
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = sizes
        self.weight = Parameter(np.zeros((out_channels, in_channels, kernel_size)), dtype=np.float32)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        self.bias = None
        if bias:
            bound = 1.0 / math.sqrt(in_channels * kernel_size)
            self.bias = init.uniform_(Parameter(np.zeros(out_channels), dtype=np.float32), -bound, bound)

    def forward(self, x):
        if x.ndim != 3 or x.shape[1] != self.in_channels:
            raise ValueError(f"Conv1d({self.in_channels}, {self.out_channels}): got input of shape "
                             f"{x.shape}; expected (N, {self.in_channels}, L)")
        w = self.weight.unsqueeze(2)
        out = F.conv2d(x.unsqueeze(2), w, self.bias, (1, self.stride), (0, self.padding))
        return out.squeeze(2)


class _Pool2d(Module):
    function = None

    def __init__(self, kernel_size, stride=None, padding=0):
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def forward(self, x):
        if x.ndim != 4:
            raise ValueError(f"{type(self).__name__}: got input of shape {x.shape}; "
                             "expected (N, C, H, W)")
        return type(self).function(x, self.kernel_size, self.stride, self.padding)


class MaxPool2d(_Pool2d):
    function = staticmethod(F.max_pool2d)


class AvgPool2d(_Pool2d):
    function = staticmethod(F.avg_pool2d)


class _BatchNorm(Module):
    """Normalise each channel over the batch (and positions). Train: batch statistics,
    and running averages updated with ``momentum``; eval: the running averages."""

    expected_dims: tuple = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True):
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = Parameter(np.ones(num_features), dtype=np.float32) if affine else None
        self.bias = Parameter(np.zeros(num_features), dtype=np.float32) if affine else None
        self.register_buffer("running_mean", np.zeros(num_features, dtype=np.float32))
        self.register_buffer("running_var", np.ones(num_features, dtype=np.float32))
        self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))  # as PyTorch

    def forward(self, x):
        name = type(self).__name__
        if x.ndim not in self.expected_dims or x.shape[1] != self.num_features:
            raise ValueError(f"{name}({self.num_features}): got input of shape {x.shape}; expected "
                             f"{' or '.join(self._shape_text(d) for d in self.expected_dims)}")
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, self.num_features) + (1,) * (x.ndim - 2)
        if self.training:
            count = x.numel() // self.num_features
            if count < 2:
                raise ValueError(f"{name}: training needs more than one value per channel, got "
                                 f"input of shape {x.shape}")
            mean = x.mean(axis=axes, keepdims=True)
            var = x.var(axis=axes, keepdims=True, correction=0)
            m = self.momentum
            buffers = self._buffers
            buffers["running_mean"] = ((1 - m) * buffers["running_mean"] +
                                       m * mean.numpy().reshape(-1)).astype(np.float32)
            unbiased = var.numpy().reshape(-1) * count / (count - 1)
            buffers["running_var"] = ((1 - m) * buffers["running_var"] + m * unbiased).astype(np.float32)
            buffers["num_batches_tracked"] = buffers["num_batches_tracked"] + 1
        else:
            mean = x._lift(self._buffers["running_mean"].reshape(shape))
            var = x._lift(self._buffers["running_var"].reshape(shape))
        out = (x - mean) / (var + self.eps).sqrt()
        out.label = "normalised"
        if self.weight is not None:
            out = out * self.weight.reshape(shape) + self.bias.reshape(shape)
        return out

    def _shape_text(self, ndim):
        return {2: f"(N, {self.num_features})", 3: f"(N, {self.num_features}, L)",
                4: f"(N, {self.num_features}, H, W)"}[ndim]


class BatchNorm1d(_BatchNorm):
    expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    expected_dims = (4,)
