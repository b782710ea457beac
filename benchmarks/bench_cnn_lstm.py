"""CNN and LSTM training steps (forward + loss + backward + SGD), through tinygrad_edu
and a hand-written numpy version of the same work, in one process; PyTorch too when
importable (at its default threads and on one; see timing.py).

CNN:  Conv2d(1,8,3)-ReLU-MaxPool(2)-Conv2d(8,16,3)-ReLU-MaxPool(2)-Flatten-Linear(400,10)
      on 1x28x28, batch 64, cross-entropy.            Target: <= 1.3x numpy, <= 1.2x PyTorch.
LSTM: input 10, hidden 64, 50 steps, batch 32, last hidden -> Linear(64,1), MSE.
                                                      Target: <= 1.5x numpy, <= 1.3x PyTorch.
Run: python benchmarks/bench_cnn_lstm.py
"""
from __future__ import annotations

import functools
import importlib.util
import os

# One BLAS thread for both contenders: steadier timings on a shared 2-core machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import as_strided

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, optim
from timing import run, seeded_torch, training_step

LR = 0.01


# -- CNN ----------------------------------------------------------------------------

def cnn_data():
    rng = np.random.default_rng(0)
    return rng.random((64, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 64)


def cnn_ours(x, y):
    tg.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3),
                          nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 10))
    opt = optim.SGD(model.parameters(), lr=LR)
    xt, yt = Tensor(x), Tensor(y)

    return training_step(lambda: F.cross_entropy(model(xt), yt), opt)


def _windows(x, k):
    n, c, h, w = x.shape
    s = x.strides
    return as_strided(x, (n, c, h - k + 1, w - k + 1, k, k), (s[0], s[1], s[2], s[3], s[2], s[3]))


def _conv(x, w, b):
    """Convolution as one matmul over a channels-first im2col (C*k*k, N*OH*OW)."""
    o, c, k, _ = w.shape
    win = _windows(x, k)
    n, _, oh, ow = win.shape[:4]
    cols = win.transpose(1, 4, 5, 0, 2, 3).reshape(c * k * k, n * oh * ow)
    z = (w.reshape(o, -1) @ cols + b[:, None]).reshape(o, n, oh, ow).transpose(1, 0, 2, 3)
    return z, cols


def _conv_backward(gz, w, cols, x_shape, need_input=True):
    o, c, k, _ = w.shape
    n, _, oh, ow = gz.shape
    g2 = gz.transpose(1, 0, 2, 3).reshape(o, -1)
    gw, gb = (g2 @ cols.T).reshape(w.shape), g2.sum(axis=1)
    if not need_input:
        return None, gw, gb
    g_cols = (w.reshape(o, -1).T @ g2).reshape(c, k, k, n, oh, ow)
    gx = np.zeros((c, n) + x_shape[2:], dtype=gz.dtype)
    for i in range(k):
        for j in range(k):
            gx[:, :, i:i + oh, j:j + ow] += g_cols[:, i, j]
    return gx.transpose(1, 0, 2, 3), gw, gb


OFFSETS = ((0, 0), (0, 1), (1, 0), (1, 1))


def _pool(a):
    """2x2 max pool (floor), as the max of the four offsets of each window."""
    n, c, h, w = a.shape
    parts = [a[:, :, i:h // 2 * 2:2, j:w // 2 * 2:2] for i, j in OFFSETS]
    out = np.maximum(np.maximum(parts[0], parts[1]), np.maximum(parts[2], parts[3]))
    return out, [p == out for p in parts], a.shape


def _unpool(g, hits, shape):
    n, c, h, w = shape
    share = g / (hits[0].astype(g.dtype) + hits[1] + hits[2] + hits[3])  # ties split evenly
    full = np.zeros(shape, dtype=g.dtype)
    for (i, j), hit in zip(OFFSETS, hits):
        full[:, :, i:h // 2 * 2:2, j:w // 2 * 2:2] = hit * share
    return full


def cnn_numpy(x, y):
    rng = np.random.default_rng(0)
    w1 = (rng.uniform(-1, 1, (8, 1, 3, 3)) / 3).astype(np.float32)
    b1 = np.zeros(8, np.float32)
    w2 = (rng.uniform(-1, 1, (16, 8, 3, 3)) / np.sqrt(72)).astype(np.float32)
    b2 = np.zeros(16, np.float32)
    w3 = (rng.uniform(-1, 1, (10, 400)) / 20).astype(np.float32)
    b3 = np.zeros(10, np.float32)
    rows = np.arange(len(y))

    def step():
        z1, cols1 = _conv(x, w1, b1)
        a1 = np.maximum(z1, 0)
        p1, m1, s1 = _pool(a1)
        z2, cols2 = _conv(p1, w2, b2)
        a2 = np.maximum(z2, 0)
        p2, m2, s2 = _pool(a2)
        flat = p2.reshape(len(y), -1)
        logits = flat @ w3.T + b3
        z = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(z)
        total = e.sum(axis=1, keepdims=True)
        loss = (np.log(total[:, 0]) - z[rows, y]).mean()
        g = e / total
        g[rows, y] -= 1
        g /= len(y)
        gw3, gb3 = g.T @ flat, g.sum(axis=0)
        gp2 = (g @ w3).reshape(p2.shape)
        gz2 = _unpool(gp2, m2, s2) * (z2 > 0)
        gp1, gw2, gb2 = _conv_backward(gz2, w2, cols2, p1.shape)
        gz1 = _unpool(gp1, m1, s1) * (z1 > 0)
        _, gw1, gb1 = _conv_backward(gz1, w1, cols1, x.shape, need_input=False)
        for p, gp in ((w1, gw1), (b1, gb1), (w2, gw2), (b2, gb2), (w3, gw3), (b3, gb3)):
            p -= LR * gp
        return loss
    return step


def cnn_torch(x, y):
    torch = seeded_torch()
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Conv2d(8, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(400, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    return training_step(lambda: torch.nn.functional.cross_entropy(model(xt), yt), opt)


# -- LSTM ---------------------------------------------------------------------------

def lstm_data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((32, 50, 10)).astype(np.float32), \
        rng.standard_normal((32, 1)).astype(np.float32)


def lstm_ours(x, y):
    tg.manual_seed(0)
    lstm, head = nn.LSTM(10, 64, batch_first=True), nn.Linear(64, 1)
    opt = optim.SGD(lstm.parameters() + head.parameters(), lr=LR)
    xt, yt = Tensor(x), Tensor(y)

    return training_step(lambda: F.mse_loss(head(lstm(xt)[0][:, -1]), yt), opt)


def _per_gate(i, f, g, o, H):
    return np.repeat(np.array([i, f, g, o], np.float32), H)


def lstm_numpy(x, y, chunk=10):
    """The same tricks as the engine's op: all four gates from one tanh (sigmoid(z) =
    0.5 + 0.5 tanh(z/2)), time-major arrays, weight gradients one product per chunk."""
    rng = np.random.default_rng(0)
    B, T, I = x.shape
    H = 64
    w_ih = (rng.uniform(-1, 1, (4 * H, I)) / 8).astype(np.float32)
    w_hh = (rng.uniform(-1, 1, (4 * H, H)) / 8).astype(np.float32)
    b = np.zeros(4 * H, np.float32)
    w_o = (rng.uniform(-1, 1, (1, H)) / 8).astype(np.float32)
    b_o = np.zeros(1, np.float32)
    scale, offset = _per_gate(0.5, 0.5, 1, 0.5, H), _per_gate(0.5, 0.5, 0, 0.5, H)
    k = scale * scale    # d(activation)/dz = k - (activation - offset)²
    xs = np.ascontiguousarray(x.transpose(1, 0, 2))   # (T, B, I)

    def step():
        acts = (xs.reshape(T * B, I) @ (w_ih.T * scale) + b * scale).reshape(T, B, 4 * H)
        w_scaled = np.ascontiguousarray(w_hh.T * scale)
        hs, cs = np.zeros((T + 1, B, H), np.float32), np.zeros((T + 1, B, H), np.float32)
        tcs = np.empty((T, B, H), np.float32)
        for t in range(T):
            a = acts[t]
            a += hs[t] @ w_scaled
            np.tanh(a, out=a)
            a *= scale
            a += offset
            np.multiply(a[:, H:2 * H], cs[t], out=cs[t + 1])
            cs[t + 1] += a[:, :H] * a[:, 2 * H:3 * H]
            np.tanh(cs[t + 1], out=tcs[t])
            np.multiply(a[:, 3 * H:], tcs[t], out=hs[t + 1])
        pred = hs[T] @ w_o.T + b_o
        diff = pred - y
        loss = np.mean(diff * diff)
        gpred = 2 * diff / diff.size
        gw_o, gb_o = gpred.T @ hs[T], gpred.sum(axis=0)
        dh, dc = gpred @ w_o, np.zeros((B, H), np.float32)
        gw_ih, gw_hh, gb = np.zeros_like(w_ih), np.zeros_like(w_hh), np.zeros_like(b)
        d_chunk = np.empty((chunk, B, 4 * H), np.float32)
        for stop in range(T, 0, -chunk):
            start = max(stop - chunk, 0)
            for t in range(stop - 1, start - 1, -1):
                a = acts[t]
                i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
                dc += dh * (o - hs[t + 1] * tcs[t])
                d = d_chunk[t - start]
                np.multiply(dc, g, out=d[:, :H])
                np.multiply(dc, cs[t], out=d[:, H:2 * H])
                np.multiply(dc, i, out=d[:, 2 * H:3 * H])
                np.multiply(dh, tcs[t], out=d[:, 3 * H:])
                d *= k - (a - offset) ** 2
                dh = d @ w_hh
                dc *= f
            flat = d_chunk[:stop - start].reshape(-1, 4 * H)
            gw_hh += flat.T @ hs[start:stop].reshape(-1, H)
            gw_ih += flat.T @ xs[start:stop].reshape(-1, I)
            gb += flat.sum(axis=0)
        for p, gp in ((w_ih, gw_ih), (w_hh, gw_hh), (b, gb), (w_o, gw_o), (b_o, gb_o)):
            p -= LR * gp
        return loss
    return step


def lstm_torch(x, y):
    torch = seeded_torch()
    lstm, head = torch.nn.LSTM(10, 64, batch_first=True), torch.nn.Linear(64, 1)
    opt = torch.optim.SGD(list(lstm.parameters()) + list(head.parameters()), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    return training_step(lambda: torch.nn.functional.mse_loss(head(lstm(xt)[0][:, -1]), yt), opt)


def main():
    cases, targets = {}, {}
    for title, data, ours, ref, torch_fn, target in [
        ("CNN 1x28x28, batch 64", cnn_data, cnn_ours, cnn_numpy, cnn_torch, 1.3),
        ("LSTM 10->64, 50 steps, batch 32", lstm_data, lstm_ours, lstm_numpy, lstm_torch, 1.5),
    ]:
        x, y = data()
        cases[title] = {"tinygrad_edu": functools.partial(ours, x, y),
                        "numpy": functools.partial(ref, x, y)}
        if importlib.util.find_spec("torch"):
            cases[title]["torch"] = functools.partial(torch_fn, x, y)
        targets[title] = target
    run(__file__, cases, targets, unit="ms", blocks=12, block=3, warmup=1)

if __name__ == "__main__":
    main()
