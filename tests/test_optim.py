"""One optimiser step equals the update written out by hand in numpy."""
import numpy as np
import pytest

from tinygrad_edu import Tensor, optim

W0 = np.array([[0.5, -1.0], [2.0, 0.25]])
G1 = np.array([[0.1, -0.2], [0.3, 0.4]])
G2 = np.array([[-0.5, 0.1], [0.2, -0.3]])


def run(opt_cls, grads, **kwargs):
    w = Tensor(W0.copy(), dtype=np.float64, requires_grad=True)
    opt = opt_cls([w], **kwargs)
    for g in grads:
        opt.zero_grad()
        (w * Tensor(g)).sum().backward()   # d/dw sum(w * g) = g
        opt.step()
    return w.numpy()


def test_sgd_with_momentum_and_weight_decay_matches_hand_update():
    lr, mu, wd = 0.1, 0.9, 0.01
    w = W0.copy()
    g = G1 + wd * w
    v = g
    w = w - lr * v
    g = G2 + wd * w
    v = mu * v + g
    w = w - lr * v
    np.testing.assert_allclose(run(optim.SGD, [G1, G2], lr=lr, momentum=mu, weight_decay=wd), w)


def test_sgd_nesterov_matches_hand_update():
    lr, mu = 0.1, 0.9
    w = W0.copy()
    v = G1
    w = w - lr * (G1 + mu * v)
    v = mu * v + G2
    w = w - lr * (G2 + mu * v)
    np.testing.assert_allclose(run(optim.SGD, [G1, G2], lr=lr, momentum=mu, nesterov=True), w)


def adam_by_hand(grads, lr, b1, b2, eps, wd=0.0, decoupled=False):
    w, m, v = W0.copy(), np.zeros_like(W0), np.zeros_like(W0)
    for t, g in enumerate(grads, start=1):
        if decoupled:
            w = w * (1 - lr * wd)
        else:
            g = g + wd * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return w


def test_adam_matches_hand_update():
    got = run(optim.Adam, [G1, G2], lr=0.01, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.1)
    np.testing.assert_allclose(got, adam_by_hand([G1, G2], 0.01, 0.8, 0.99, 1e-8, wd=0.1))


def test_adamw_decouples_weight_decay():
    got = run(optim.AdamW, [G1, G2], lr=0.01, weight_decay=0.1)
    np.testing.assert_allclose(got, adam_by_hand([G1, G2], 0.01, 0.9, 0.999, 1e-8, 0.1, True))
    assert not np.allclose(got, run(optim.Adam, [G1, G2], lr=0.01, weight_decay=0.1))


def test_parameters_without_grad_are_left_alone_and_bad_setups_refused():
    a = Tensor([1.0], requires_grad=True)
    b = Tensor([2.0], requires_grad=True)
    opt = optim.SGD([a, b], lr=0.5)
    (a * 3).sum().backward()
    opt.step()
    assert a.numpy().tolist() == [-0.5] and b.numpy().tolist() == [2.0]
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match=r"parameter 0 \(shape \(1,\)\) does not require grad"):
        optim.Adam([Tensor([1.0])])
    with pytest.raises(ValueError, match="nesterov=True needs momentum"):
        optim.SGD([a], lr=0.1, nesterov=True)
