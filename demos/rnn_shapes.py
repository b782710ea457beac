"""Three shapes of recurrent problems: one-to-many, many-to-one, many-to-many.

Same recurrent layer, different wiring of inputs and outputs:
  one-to-many   one input, a sequence out   (given a digit d, count d, d+1, d+2, ...)
  many-to-one   a sequence in, one output   (is the sum of a sequence of +-1 positive?)
  many-to-many  a sequence in, one output per step (tag each step with the previous input)
"""
import os

import numpy as np

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, no_grad, optim
from _kit import headline, parse_args, svg_chart

K, T, H = 5, 8, 32


class Tagger(nn.Module):
    """A recurrent layer and a Linear head applied at every step: (B, T, in) -> (B, T, out)."""

    def __init__(self, n_in, n_out):
        self.rnn = nn.RNN(n_in, H, batch_first=True)
        self.head = nn.Linear(H, n_out)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out)


def one_to_many(rng, n):
    start = rng.integers(0, K, n)
    x = np.zeros((n, T, K), np.float32)
    x[np.arange(n), 0, start] = 1.0                    # the input is only at t = 0
    y = (start[:, None] + np.arange(T)) % K            # then count upwards
    return x, y


def many_to_one(rng, n):
    signs = rng.choice([-1.0, 1.0], size=(n, T + 1))   # odd length: no ties
    return signs[..., None].astype(np.float32), (signs.sum(axis=1) > 0).astype(np.int64)


def many_to_many(rng, n):
    s = rng.integers(0, K, (n, T))
    y = np.concatenate([np.zeros((n, 1), np.int64), s[:, :-1]], axis=1)   # the previous symbol
    return np.eye(K, dtype=np.float32)[s], y


def train(name, make, n_in, n_out, every_step, steps, seed):
    rng = np.random.default_rng(seed)
    tg.manual_seed(seed)
    model = Tagger(n_in, n_out)
    opt = optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for _ in range(steps):
        x, y = make(rng, 64)
        scores = model(Tensor(x))
        if every_step:
            loss = F.cross_entropy(scores.reshape(-1, n_out), y.reshape(-1))
        else:
            loss = F.cross_entropy(scores[:, -1], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    x, y = make(np.random.default_rng(seed + 1), 500)
    with no_grad():
        scores = model(Tensor(x)).numpy()
    guess = scores.argmax(axis=-1) if every_step else scores[:, -1].argmax(axis=-1)
    accuracy = float(np.mean(guess == y))
    print(f"{name:13s} input {x.shape} -> output {'(B, T)' if every_step else '(B,)'} classes: "
          f"accuracy {accuracy:.1%}")
    if every_step:   # '-' marks a step with no input (all zeros)
        shown = ["-" if not row.any() else int(row.argmax()) for row in x[0]]
        print(f"  example  in: {shown}\n          out: {guess[0].tolist()}")
    return accuracy, losses


def main():
    args = parse_args(__doc__.splitlines()[0])
    steps = 150 if args.quick else 600
    runs = {"one-to-many": train("one-to-many", one_to_many, K, K, True, steps, args.seed),
            "many-to-one": train("many-to-one", many_to_one, 1, 2, False, steps, args.seed),
            "many-to-many": train("many-to-many", many_to_many, K, K, True, steps, args.seed)}
    accuracies = [accuracy for accuracy, _ in runs.values()]
    svg_chart({name: losses for name, (_, losses) in runs.items()},
              os.path.join(args.out, "rnn_shapes_losses.svg"), "training loss of the three shapes",
              "training step")
    headline("worst of the three accuracies", min(accuracies), "each shape learned its task")


if __name__ == "__main__":
    main()
