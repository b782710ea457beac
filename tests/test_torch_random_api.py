"""torch-style random factories, from_numpy, and ``tg.tensor`` being both PyTorch's
function and the ``tinygrad_edu.tensor`` subpackage."""
import numpy as np
import pytest

import tinygrad_edu as tg


def test_tensor_is_the_function_and_the_subpackage():
    from tinygrad_edu.tensor import Tensor
    import tinygrad_edu.tensor.ops as ops
    assert tg.tensor([1.0, 2.0]).dtype == np.float32 and tg.tensor([1, 2]).dtype == np.int64
    assert tg.tensor.Tensor is Tensor and ops.__name__ == "tinygrad_edu.tensor.ops"


def test_tensor_copies_its_data():
    source = np.ones(3)
    t = tg.tensor(source)
    source[0] = 5.0
    assert t.tolist() == [1.0, 1.0, 1.0] and t.dtype == np.float64


def test_from_numpy_shares_memory_and_dtype():
    source = np.zeros(3)
    t = tg.from_numpy(source)
    source[1] = 2.0
    assert t.dtype == np.float64 and t.tolist() == [0.0, 2.0, 0.0]
    with pytest.raises(TypeError, match="from_numpy: expected a numpy array"):
        tg.from_numpy([1.0])


def test_a_generator_repeats_its_draws_and_leaves_the_shared_one_alone():
    tg.manual_seed(0)
    expected = tg.randn(3).tolist()
    first = tg.randn(4, generator=tg.Generator().manual_seed(7)).tolist()
    tg.manual_seed(0)
    tg.rand(2, generator=tg.Generator().manual_seed(7))
    assert tg.randn(3).tolist() == expected
    assert tg.randn(4, generator=tg.Generator().manual_seed(7)).tolist() == first


def test_rand_and_like_factories():
    r = tg.rand(1000, generator=tg.Generator().manual_seed(1))
    assert r.dtype == np.float32 and r.shape == (1000,) and 0 <= r.min().item() and r.max().item() < 1
    assert abs(r.mean().item() - 0.5) < 0.05
    like = tg.randn_like(tg.zeros(2, 3, dtype=np.float64))
    assert like.shape == (2, 3) and like.dtype == np.float64 and tg.rand_like(r).shape == (1000,)
    with pytest.raises(TypeError, match="rand_like: expected a floating-point dtype"):
        tg.rand_like(tg.tensor([1, 2]))


def test_randint_forms_range_and_errors():
    a = tg.randint(10, (500,), generator=tg.Generator().manual_seed(3))
    b = tg.randint(-2, 2, size=(4, 5))
    assert a.dtype == np.int64 and set(a.tolist()) == set(range(10)) and b.shape == (4, 5)
    assert -2 <= b.min().item() and b.max().item() <= 1
    with pytest.raises(ValueError, match="randint: expected low < high"):
        tg.randint(3, 3, (2,))
    with pytest.raises(TypeError, match="randint: expected randint"):
        tg.randint(1, 2, 3, (2,))


def test_multinomial_follows_the_weights():
    g = tg.Generator().manual_seed(0)
    drawn = tg.multinomial(tg.tensor([1.0, 3.0, 0.0]), 4000, replacement=True, generator=g)
    counts = np.bincount(drawn.numpy(), minlength=3)
    assert drawn.dtype == np.int64 and counts[2] == 0 and 0.72 < counts[1] / 4000 < 0.78
    rows = tg.multinomial(tg.tensor([[1.0, 1.0, 1.0], [0.0, 2.0, 1.0]]), 2)
    assert rows.shape == (2, 2) and all(len(set(r)) == 2 for r in rows.tolist())
    assert 0 not in rows.tolist()[1]


@pytest.mark.parametrize("weights, n, message", [
    ([1.0, 0.0], 2, "without replacement from a row with only 1"),
    ([-1.0, 2.0], 1, "weights must be finite, >= 0"),
    ([1.0, 1.0], 0, "num_samples must be > 0"),
])
def test_multinomial_refuses_bad_input(weights, n, message):
    with pytest.raises(ValueError, match=message):
        tg.multinomial(tg.tensor(weights), n)


def test_index_and_retain_graph():
    assert [10, 20, 30][tg.tensor(2)] == 30 and list(range(tg.tensor([3]))) == [0, 1, 2]
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_star_import_leaves_python_builtins_alone():
    namespace = {}
    exec("from tinygrad_edu import *\nresult = sum([1, 2]), max(1, 3), float('2'), abs(-1)", namespace)
    assert namespace["result"] == (3, 3, 2.0, 1) and "tanh" in namespace


def test_normal_as_d2l_calls_it():
    w = tg.normal(0, 0.01, size=(2, 1), requires_grad=True)
    x = tg.normal(3.0, 2.0, (4000,), generator=tg.Generator().manual_seed(5))
    assert w.shape == (2, 1) and w.requires_grad and w.dtype == np.float32
    assert abs(x.mean().item() - 3.0) < 0.15 and abs(x.std().item() - 2.0) < 0.15
    with pytest.raises(TypeError, match="normal: expected numbers mean and std and a size"):
        tg.normal(tg.zeros(2), 1.0)
