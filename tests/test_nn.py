"""nn modules and losses: gradients against central differences, PyTorch's conventions."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn
from tinygrad_edu.gradcheck import gradcheck
from tinygrad_edu.testing.strategies import float64_arrays


def check_module(module, x):
    params = module.parameters()
    gradcheck(lambda x, *ps: module(x), [x] + params)


@given(x=float64_arrays((3, 4)))
def test_linear_gradients(x):
    tg.manual_seed(1)
    layer = nn.Linear(4, 2).double()
    check_module(layer, Tensor(x, dtype=np.float64, requires_grad=True))


@given(x=float64_arrays((2, 5)))
def test_mlp_gradients(x):
    tg.manual_seed(2)
    model = nn.MLP(5, [4, 3, 2], activation="tanh").double()
    check_module(model, Tensor(x, dtype=np.float64, requires_grad=True))


def test_dropout_in_eval_mode_is_the_identity_and_checks():
    drop = nn.Dropout(0.5).eval()
    x = Tensor(np.linspace(-1, 1, 6), dtype=np.float64, requires_grad=True)
    assert np.array_equal(drop(x).numpy(), x.numpy())
    gradcheck(lambda x: drop(x).tanh(), [x])


def test_dropout_in_training_zeros_and_rescales():
    tg.manual_seed(0)
    out = nn.Dropout(0.25)(Tensor(np.ones(10000))).numpy()
    kept = out[out != 0]
    assert np.allclose(kept, 1 / 0.75) and abs(len(kept) / 10000 - 0.75) < 0.02


@given(logits=float64_arrays((4, 3)), targets=st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_classification_losses(logits, targets):
    t = np.array(targets)
    z = Tensor(logits, dtype=np.float64, requires_grad=True)
    gradcheck(lambda z: F.cross_entropy(z, t), [z])
    gradcheck(lambda z: F.nll_loss(z.log_softmax(axis=1), t), [z])
    # cross-entropy = mean(-log softmax[target]), written out in numpy
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected = -np.log(e / e.sum(axis=1, keepdims=True))[np.arange(4), t].mean()
    assert np.isclose(F.cross_entropy(z, t).item(), expected)
    # logits that are a transposed view (not C-ordered) and per-sample losses
    zt = Tensor(np.asfortranarray(logits), dtype=np.float64, requires_grad=True)
    gradcheck(lambda z: F.cross_entropy(z, t), [zt])
    gradcheck(lambda z: (F.cross_entropy(z, t, reduction="none") * Tensor([1.0, 2.0, 3.0, 4.0],
                                                                   dtype=np.float64)).sum(), [z])


@given(pred=float64_arrays((3, 2)), target=float64_arrays((3, 2)))
def test_regression_and_binary_losses(pred, target):
    p = Tensor(pred, dtype=np.float64, requires_grad=True)
    probs_target = (target > 0).astype(np.float64)
    gradcheck(lambda p: F.mse_loss(p, target), [p])
    gradcheck(lambda p: F.binary_cross_entropy(p.sigmoid(), probs_target), [p])
    gradcheck(lambda p: F.binary_cross_entropy_with_logits(p, probs_target), [p])
    assert np.isclose(F.mse_loss(p, target).item(), np.mean((pred - target) ** 2))
    a = F.binary_cross_entropy(p.sigmoid(), probs_target).item()
    b = F.binary_cross_entropy_with_logits(p, probs_target).item()
    assert np.isclose(a, b)


# Row offsets that take cross_entropy's unshifted path (near 0) and its shifted one
# (exp would overflow or underflow to zero), and a batch that mixes them.
@pytest.mark.parametrize("offsets", [[0.0] * 4, [25.0] * 4, [-60.0] * 4, [500.0] * 4,
                                     [-500.0] * 4, [0.0, 500.0, -500.0, 3.0]])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_is_accurate_far_from_zero(offsets, dtype):
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal((4, 5)) * 3 + np.array(offsets)[:, None]).astype(dtype)
    t = rng.integers(0, 5, 4)
    z = Tensor(logits, requires_grad=True, dtype=dtype)
    loss = F.cross_entropy(z, t)
    loss.backward()
    exact = logits.astype(np.float64)  # the reference: float64 and always shifted
    e = np.exp(exact - exact.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    expected = -np.log(probs[np.arange(4), t]).mean()
    onehot = np.eye(5)[t]
    tolerance = 4e-6 if dtype == np.float32 else 1e-13
    assert abs(loss.item() - expected) <= tolerance * max(1.0, expected)
    assert np.allclose(z.grad, (probs - onehot) / 4, rtol=0, atol=tolerance)
    if dtype == np.float64:
        gradcheck(lambda z: F.cross_entropy(z, t, reduction="none").sum(), [z])


def test_cross_entropy_of_an_empty_batch_is_nan_for_the_mean_and_zero_for_the_sum():
    logits = Tensor(np.zeros((0, 3)), requires_grad=True)
    assert np.isnan(F.cross_entropy(logits, np.zeros(0, dtype=int)).item())
    total = F.cross_entropy(logits, np.zeros(0, dtype=int), reduction="sum")
    total.backward()
    assert total.item() == 0.0 and logits.grad.shape == (0, 3)


@pytest.mark.parametrize("make, pattern", [
    (lambda: F.cross_entropy(Tensor(np.zeros((4, 3))), np.array([0, 1])), r"targets have shape \(2,\); expected \(4,\)"),
    (lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 3])), r"target 3 is out of range"),
    (lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([-1, 0])), r"target -1 is out of range"),
    (lambda: F.nll_loss(Tensor(np.zeros((2, 3))), np.array([0, 2], dtype=np.int8) - 3), r"target -3 is out"),
    (lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 7], dtype=np.uint8)), r"target 7 is out"),
    (lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0.0, 1.0])), r"integer class indices"),
    (lambda: F.cross_entropy(Tensor(np.zeros(3)), np.array([0])), r"logits have shape \(3,\)"),
    (lambda: F.mse_loss(Tensor(np.zeros(3)), np.zeros(4)), r"mse_loss: input has shape \(3,\) but target has \(4,\)"),
    (lambda: nn.Linear(3, 2)(Tensor(np.zeros((5, 4)))), r"Linear\(3, 2\): got input of shape \(5, 4\)"),
    (lambda: nn.Conv2d(0, 3, 3), r"Conv2d: expected channels, kernel_size and stride >= 1 .*in_channels=0"),
    (lambda: nn.Conv2d(1, 3, 3, stride=0), r"Conv2d: .*stride=\(0, 0\)"),
    (lambda: nn.Conv2d(1, 3, float("inf")), r"Conv2d: kernel_size must be an int or a pair of ints, got inf"),
    (lambda: nn.Conv1d(1, 3, 3, padding=-1), r"Conv1d: .*padding=\(-1,\)"),
    (lambda: nn.Conv1d(1, 3, (2, 3)), r"Conv1d: kernel_size must be an int, got \(2, 3\)"),
])
def test_loss_and_layer_errors(make, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        make()


def test_module_names_modes_and_state_dict_round_trip():
    tg.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.1), nn.Linear(4, 2))
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias", "3.weight", "3.bias"]
    assert model[0].weight.shape == (4, 3)   # PyTorch's (out, in) layout
    assert model.num_parameters() == 3 * 4 + 4 + 4 * 2 + 2
    model.eval()
    assert not any(m.training for m in model.modules())
    state = model.state_dict()
    tg.manual_seed(1)
    other = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.1), nn.Linear(4, 2))
    other.load_state_dict(state)
    x = Tensor(np.ones((1, 3)))
    assert np.array_equal(other.eval()(x).numpy(), model(x).numpy())


def test_load_state_dict_reports_every_mismatch_before_changing_anything():
    model = nn.MLP(3, [4, 2])
    before = model.state_dict()
    bad = dict(before)
    bad["0.weight"] = np.zeros((5, 3), dtype=np.float32)
    bad["2.bias"] = bad["2.bias"].astype(np.float64)
    del bad["0.bias"]
    bad["extra"] = np.zeros(1)
    with pytest.raises(ValueError) as info:
        model.load_state_dict(bad)
    message = str(info.value)
    for part in ["missing: 0.bias", "unexpected: extra", "0.weight: shape (5, 3)", "2.bias: dtype float64"]:
        assert part in message
    assert all(np.array_equal(before[k], v) for k, v in model.state_dict().items())


def test_linear_default_init_matches_pytorch_bounds():
    tg.manual_seed(0)
    layer = nn.Linear(100, 50)
    bound = 1 / np.sqrt(100)
    assert np.abs(layer.weight.numpy()).max() <= bound
    assert np.abs(layer.weight.numpy()).max() > 0.9 * bound
    assert np.abs(layer.bias.numpy()).max() <= bound


def test_initialisers_have_the_stated_spread():
    from tinygrad_edu.nn import init
    w = nn.Parameter(np.zeros((400, 300)))
    init.xavier_uniform_(w)
    assert np.isclose(w.numpy().std(), np.sqrt(2 / 700), rtol=0.05)
    init.kaiming_normal_(w, nonlinearity="relu")
    assert np.isclose(w.numpy().std(), np.sqrt(2 / 300), rtol=0.05)


def test_binary_cross_entropy_of_a_saturated_sigmoid_is_finite_as_pytorch():
    """sigmoid(20) is exactly 1 in float32: log(1 - p) = -inf and 0 * -inf = nan, unless
    the logs are clamped at -100 as PyTorch's are; sigmoid(-20) must keep its 2e-9."""
    torch = pytest.importorskip("torch")
    for z, t in [(20.0, 1.0), (20.0, 0.0), (-20.0, 1.0), (-200.0, 1.0), (0.3, 0.0)]:
        ours, theirs = Tensor([z], requires_grad=True), torch.tensor([z], requires_grad=True)
        loss = F.binary_cross_entropy(ours.sigmoid(), Tensor([t]))
        expected = torch.nn.functional.binary_cross_entropy(theirs.sigmoid(), torch.tensor([t]))
        loss.backward()
        expected.backward()
        assert np.isclose(loss.item(), expected.item(), rtol=1e-5), (z, t)
        assert np.allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-5), (z, t)


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan")])
def test_binary_cross_entropy_refuses_what_is_not_a_probability(bad):
    p = Tensor([0.2, bad], requires_grad=True)
    with pytest.raises(ValueError, match=r"binary_cross_entropy: expected probabilities in \[0, 1\], "
                                         r"got (1.5|-0.1|nan).*sigmoid"):
        F.binary_cross_entropy(p, Tensor([1.0, 0.0]))
