"""Overfitting, and two cures: L2 weight decay and dropout.

A net much too large for its data (64-256-256-10, ~85,000 parameters) trains on just
120 digits. It learns them by heart: training loss falls to ~0 while the loss on
digits it has not seen climbs. Weight decay (keep weights small) and dropout (never
rely on one unit) make memorising harder and the net generalises better.
"""
import os

import numpy as np

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, no_grad, optim
from tinygrad_edu.data import load_digits
from _kit import headline, parse_args, svg_chart
from tinygrad_edu.teach.training_report import sparkline


def run(data, steps, weight_decay=0.0, dropout=0.0, seed=0, train_size=120):
    x = Tensor(data.train_images[:train_size].reshape(-1, 64))
    y = data.train_labels[:train_size]
    x_val = Tensor(data.test_images.reshape(-1, 64))
    tg.manual_seed(seed)
    model = nn.MLP(64, [256, 256, 10], dropout=dropout)
    opt = optim.Adam(model.parameters(), lr=1e-3, weight_decay=weight_decay)  # L2: wd * w added to the gradient
    train_curve, val_curve = [], []
    for _ in range(steps):
        model.train()
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        model.eval()
        with no_grad():
            train_curve.append(F.cross_entropy(model(x), y).item())
            val_curve.append(F.cross_entropy(model(x_val), data.test_labels).item())
    with no_grad():
        val_acc = float(np.mean(model(x_val).numpy().argmax(axis=1) == data.test_labels))
    return train_curve, val_curve, val_acc


def main():
    args = parse_args(__doc__.splitlines()[0])
    data = load_digits(seed=args.seed)
    steps = 250 if args.quick else 600
    results = {}
    for name, kwargs in [("plain", {}), ("L2 weight decay 3e-3", {"weight_decay": 3e-3}),
                         ("dropout 0.5", {"dropout": 0.5})]:
        train, val, acc = run(data, steps, seed=args.seed, **kwargs)
        results[name] = (train, val, acc)
        print(f"\n{name}:")
        print(f"  train loss {sparkline(train, 50)}  {train[0]:.3f} -> {train[-1]:.4f}")
        print(f"  valid loss {sparkline(val, 50)}  {val[0]:.3f} -> min {min(val):.3f} -> {val[-1]:.3f}")
        print(f"  validation accuracy {acc:.1%}")
    svg_chart({f"{name} (validation)": r[1] for name, r in results.items()} |
              {"plain (training)": results["plain"][0]},
              os.path.join(args.out, "overfitting_losses.svg"),
              "loss on unseen digits: plain vs regularised", "training step")
    plain_val = results["plain"][1][-1]
    best = min((r[1][-1], name) for name, r in results.items() if name != "plain")
    print(f"\nAfter {steps} steps the plain net's validation loss is {plain_val:.3f}; "
          f"with {best[1]} it is {best[0]:.3f}. The regularised net generalises better: its "
          "training loss is higher, its validation loss lower.")
    headline("validation loss saved by regularisation", plain_val - best[0],
             "plain minus best regularised validation loss; > 0 means it generalises better")


if __name__ == "__main__":
    main()
