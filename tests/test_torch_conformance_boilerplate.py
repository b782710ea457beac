"""PyTorch tutorial boilerplate around a model: ``model.to(device)``, buffers read as
attributes, ``Sequential(OrderedDict(...))``, and ``requires_grad_(False)`` refused on a
non-leaf (it would silently cut the graph)."""
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import nn


def test_to_cpu_keeps_the_model_and_another_device_is_refused_by_name():
    model = nn.Linear(2, 3)
    weight = model.weight
    assert model.to("cpu") is model and model.weight is weight and weight.dtype == np.float32
    assert model.to("float64").weight.dtype == np.float64    # a dtype string is a dtype
    with pytest.raises(ValueError, match=r"Linear.to: device 'cuda' is not available.*CPU only"):
        model.to("cuda")
    assert tg.ones(2).to("float64").dtype == np.float64 and tg.ones(2).to("cpu").dtype == np.float32


def test_buffers_read_as_attributes_share_the_module_state():
    bn = nn.BatchNorm1d(3)
    bn(tg.tensor(np.arange(12.0).reshape(4, 3), dtype=np.float32))   # train mode: updates
    mean = bn.running_mean
    assert isinstance(mean, tg.Tensor)
    np.testing.assert_allclose(mean.numpy(), bn.state_dict()["running_mean"])
    assert mean.numpy()[0] > 0                                   # moved from its zeros

    class Scaled(nn.Module):
        def __init__(self):
            self.register_buffer("scale", np.array([2.0, 3.0], np.float32))

        def forward(self, x):
            return x * self.scale
    assert Scaled()(tg.ones(2)).tolist() == [2.0, 3.0]
    with pytest.raises(AttributeError, match="'BatchNorm1d' object has no attribute 'nosuch'"):
        _ = bn.nosuch


def test_sequential_of_an_ordered_dict_names_its_children_as_pytorch():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU()),
                                      ("out", nn.Linear(3, 1))]))
    theirs = torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(2, 3)),
                                              ("act", torch.nn.ReLU()),
                                              ("out", torch.nn.Linear(3, 1))]))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours.fc is ours[0] and len(ours) == 3 and ours(tg.ones(4, 2)).shape == (4, 1)
    with pytest.raises(TypeError, match="Sequential: expected modules.*argument 1 is a str"):
        nn.Sequential(nn.Linear(2, 2), "relu")


def test_requires_grad_false_on_a_non_leaf_is_refused_before_it_cuts_the_graph():
    x = tg.ones(2, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match=r"made by mul, not a leaf.*\.detach\(\)"):
        y.requires_grad_(False)
    assert y.requires_grad
    (y * x).sum().backward()
    assert x.grad.tolist() == [4.0, 4.0]                       # the graph is whole
    assert x.requires_grad_(False) is x and not x.requires_grad   # a leaf may change
