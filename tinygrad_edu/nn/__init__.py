"""Neural-network building blocks with PyTorch's names."""
from . import functional, init
from .layers import (MLP, Dropout, Flatten, LeakyReLU, Linear, ReLU, Sequential, Sigmoid,
                     Softmax, Tanh)
from .conv import AvgPool2d, BatchNorm1d, BatchNorm2d, Conv1d, Conv2d, MaxPool2d
from .module import Module, Parameter
from .cells import GRUCell, LSTMCell, RNNCell
from .recurrent import GRU, LSTM, RNN
from .time_steps import time_step_grad_norms
from .sequence import Embedding, LayerNorm, MultiheadAttention
from .containers import GELU, Identity, ModuleList, SiLU
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from . import utils

__all__ = ["Module", "Parameter", "Linear", "Sequential", "MLP", "ReLU", "LeakyReLU", "Tanh",
           "Sigmoid", "Softmax", "Flatten", "Dropout", "functional", "init",
           "Conv1d", "Conv2d", "MaxPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d",
           "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "time_step_grad_norms",
           "Embedding", "LayerNorm", "MultiheadAttention", "GELU", "SiLU", "Identity",
           "ModuleList", "CrossEntropyLoss", "NLLLoss", "MSELoss", "L1Loss", "BCELoss",
           "BCEWithLogitsLoss", "utils"]
