"""PyTorch conformance where numpy's habits or old defaults used to differ silently:
dtypes of cat/stack/where across int and float, the norm's subgradient at 0, softmax's
dim, and the recurrent and attention layers' sequence-first default."""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                            "the conformance suite compares against it")

from torch_conformance import Case, check, ids  # noqa: E402

import tinygrad_edu as tg  # noqa: E402
from tinygrad_edu import nn  # noqa: E402
import tinygrad_edu.nn.functional as F  # noqa: E402

INTS, FLOATS = np.array([1, 2]), np.array([0.5, 1.5], dtype=np.float32)
CASES = [
    Case("cat int64 float32 is float32", lambda t, a, b: t.T.cat([a, b]), (INTS, FLOATS)),
    Case("cat float32 int64 dim 0", lambda t, a, b: t.T.cat([b, a], dim=0), (INTS, FLOATS)),
    Case("stack int64 float32 is float32", lambda t, a, b: t.T.stack([a, b]), (INTS, FLOATS)),
    Case("stack int32 int64 is int64", lambda t, a, b: t.T.stack([a, b]),
         (np.array([1, 2], dtype=np.int32), INTS)),
    Case("where int64 float32 is float32", lambda t, a, b: t.T.where(a > 1, a, b), (INTS, FLOATS)),
    Case("cat float64 with int64 keeps the gradient", lambda t, x, a: t.T.cat([x, a]) * 2,
         ((2,), INTS)),
    Case("norm of zeros has gradient 0", lambda t, x: (x * 0).norm(), ((3,),)),
    Case("norm dim with a zero row", lambda t, x: (x * t.T.tensor([[0.0], [1.0]], dtype=t.T.float64))
         .norm(dim=1), ((2, 3),)),
    Case("norm p=3 of zeros", lambda t, x: (x * 0).norm(p=3), ((2,),)),
    Case("nn.Softmax(dim=1)", lambda t, x: t.T.nn.Softmax(dim=1)(x), ((2, 3, 2),)),
    Case("nn.Softmax(0)", lambda t, x: t.T.nn.Softmax(0)(x), ((2, 3),)),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_matches_pytorch(case):
    check(case)


def test_norm_of_zeros_backward_gives_zero_without_a_warning():
    x = tg.zeros(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x.norm().backward()
    assert x.grad.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("call", [lambda x: F.softmax(x), lambda x: F.log_softmax(x),
                                  lambda x: nn.Softmax()(x)])
def test_softmax_without_dim_is_refused_asking_for_it(call):
    # PyTorch guesses (dim 0 for a 3-D input, with a deprecation warning): refused here
    with pytest.raises(TypeError, match="give dim="):
        call(tg.ones(2, 3, 4))


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_recurrent_layers_are_sequence_first_by_default_as_pytorch(name):
    ours, theirs = getattr(nn, name)(3, 4), getattr(torch.nn, name)(3, 4)
    assert ours.batch_first is theirs.batch_first is False
    out, _ = ours(tg.zeros(5, 2, 3))          # (T, B, features)
    assert out.shape == (5, 2, 4) == tuple(theirs(torch.zeros(5, 2, 3))[0].shape)
    with pytest.raises(ValueError, match=r"expected a sequence of shape \(T, B, 3\)"):
        ours(tg.zeros(5, 2))


@pytest.mark.parametrize("batch_first", [False, True])
def test_attention_layout_follows_batch_first_as_pytorch(batch_first):
    torch.manual_seed(0)
    theirs = torch.nn.MultiheadAttention(4, 2, batch_first=batch_first).double()
    ours = nn.MultiheadAttention(4, 2, batch_first=batch_first).double()
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((3, 2, 4))
    out, weights = ours(*[tg.tensor(x)] * 3)
    t_out, t_weights = theirs(*[torch.tensor(x)] * 3)
    np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(weights.numpy(), t_weights.detach().numpy(), atol=1e-12)
    assert nn.MultiheadAttention(4, 2).batch_first is torch.nn.MultiheadAttention(4, 2).batch_first
