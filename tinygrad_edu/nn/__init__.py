"""Neural-network building blocks with PyTorch's names."""
from . import functional, init
from .layers import (MLP, Dropout, Flatten, LeakyReLU, Linear, ReLU, Sequential, Sigmoid,
                     Softmax, Tanh)
from .module import Module, Parameter

__all__ = ["Module", "Parameter", "Linear", "Sequential", "MLP", "ReLU", "LeakyReLU", "Tanh",
           "Sigmoid", "Softmax", "Flatten", "Dropout", "functional", "init"]
