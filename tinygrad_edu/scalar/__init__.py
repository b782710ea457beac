"""The scalar engine: ``Value`` and micrograd-style ``Neuron``, ``Layer``, ``MLP``."""
from .autograd import grad
from .nn import MLP, Layer, Module, Neuron
from .ops import SCALAR_OPS
from .value import Value

__all__ = ["Value", "Module", "Neuron", "Layer", "MLP", "SCALAR_OPS", "grad"]
