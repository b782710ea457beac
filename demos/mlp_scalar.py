"""A scalar MLP (every number its own Value) learns to separate two moons.

The model is MLP(2, [16, 16, 1]) built from Neurons, trained with plain gradient
descent on a hinge loss. Every few steps the decision boundary is drawn in the
terminal: '+' where the net says the top moon, '-' for the bottom one, and the
training points as 'o' (top) and 'x' (bottom).
"""
import os
import random

import numpy as np

from tinygrad_edu.data import make_moons
from _kit import headline, parse_args, svg_boundary
from tinygrad_edu.scalar import MLP


def boundary(model, X, y, width=48, height=16):
    xs = np.linspace(-1.5, 2.5, width)
    ys = np.linspace(1.5, -1.0, height)
    grid = [["+" if model([float(a), float(b)]).data > 0 else "-" for a in xs] for b in ys]
    for (a, b), label in zip(X, y):
        col = int(round((a + 1.5) / 4.0 * (width - 1)))
        row = int(round((1.5 - b) / 2.5 * (height - 1)))
        if 0 <= row < height and 0 <= col < width:
            grid[row][col] = "o" if label == 0 else "x"
    return "\n".join("".join(r) for r in grid)


def main():
    args = parse_args(__doc__.splitlines()[0])
    n, steps, sizes = (48, 160, [8, 8, 1]) if args.quick else (100, 100, [16, 16, 1])
    X, y = make_moons(n, noise=0.1, seed=args.seed)
    signs = np.where(y == 0, 1.0, -1.0)    # top moon +1, bottom moon -1
    model = MLP(2, sizes, rng=random.Random(args.seed))
    print(f"MLP(2, {sizes}): {len(model.parameters())} parameters, each a Value; "
          f"{n} points; {steps} steps of gradient descent.")
    for step in range(steps):
        scores = [model(list(map(float, x))) for x in X]
        losses = [(1.0 - s * score).relu() for s, score in zip(signs, scores)]
        loss = sum(losses) * (1.0 / n)
        model.zero_grad()
        loss.backward()
        lr = 0.3 - 0.25 * step / steps    # start bold, end careful
        for p in model.parameters():
            p.data -= lr * p.grad
        accuracy = np.mean([(score.data > 0) == (s > 0) for s, score in zip(signs, scores)])
        if step % (steps // 4) == 0 or step == steps - 1:
            print(f"\nstep {step:3d}  loss {loss.data:.4f}  training accuracy {accuracy:.1%}")
            print(boundary(model, X, y))
    final = np.mean([(model(list(map(float, x))).data > 0) == (s > 0) for x, s in zip(X, signs)])
    extent = ((-1.5, 2.5), (-1.0, 1.5))
    grid = np.array([[model([float(a), float(b)]).data for a in np.linspace(-1.5, 2.5, 60)]
                     for b in np.linspace(1.5, -1.0, 40)])
    svg_boundary(grid, extent, X, signs, os.path.join(args.out, "decision_boundary.svg"),
                 f"decision boundary after {steps} steps (red: top moon)")
    headline("two-moons training accuracy", float(final), "fraction of points on the right side")


if __name__ == "__main__":
    main()
