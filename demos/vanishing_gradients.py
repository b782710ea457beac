"""Vanishing gradients: how much of the loss's gradient reaches each of 50 time steps,
in a plain RNN and in an LSTM, first untrained and then trained the same way.

Backprop through time multiplies by the recurrent Jacobian once per step. In a tanh
RNN those factors are mostly < 1, so |dLoss/dh_t| shrinks geometrically as t moves
away from the loss: the first steps barely learn. The LSTM's cell state is a sum
with a forget gate near 1, so the gradient travels back far less damped.

The headline is measured at initialisation, over several seeds: there the picture is a
property of the two architectures. After training it depends on what each model
learned (an RNN that learns to carry the first symbol back also carries its gradient),
so the trained curves are shown, not summed up in one figure.
"""
import os

import numpy as np

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, optim
from tinygrad_edu.data import first_symbol_task
from _kit import headline, line_plot, parse_args, svg_chart

STEPS_IN_TIME, SYMBOLS, HIDDEN = 50, 8, 32


class Reader(nn.Module):
    def __init__(self, cell):
        self.rnn = cell(SYMBOLS, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, SYMBOLS)

    def forward(self, x, return_states=False):
        out, _, *states = self.rnn(x, return_states=return_states)
        return (self.head(out[:, -1]),) + tuple(states)


def untrained(cell, seed):
    """A freshly initialised Reader around ``cell`` (nn.RNN or nn.LSTM)."""
    tg.manual_seed(seed)
    model = Reader(cell)
    if cell is nn.LSTM:
        bias = model.rnn.bias_ih_l0.numpy().copy()
        bias[HIDDEN:2 * HIDDEN] = 1.0          # forget gate starts open (a standard trick)
        model.rnn.bias_ih_l0.data = bias
    return model


def trained(cell, train_steps, seed):
    """The model after ``train_steps`` steps of Adam on the first-symbol task."""
    model = untrained(cell, seed)
    x, y = first_symbol_task(1024, STEPS_IN_TIME, SYMBOLS, seed=seed)
    opt = optim.Adam(model.parameters(), lr=3e-3)
    for step in range(train_steps):
        idx = np.random.default_rng(step).integers(0, len(y), 64)
        loss = F.cross_entropy(model(Tensor(x[idx]))[0], y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def gradient_per_step(model, seed):
    x, y = first_symbol_task(256, STEPS_IN_TIME, SYMBOLS, seed=seed + 1)
    scores, states = model(Tensor(x), return_states=True)
    F.cross_entropy(scores, y).backward()
    return nn.time_step_grad_norms(states)


def per_step_factor(norms) -> float:
    """The factor one step back in time multiplies the gradient by, on (geometric) average."""
    return float((norms[0] / norms[-1]) ** (1.0 / (len(norms) - 1)))


def main():
    args = parse_args(__doc__.splitlines()[0])
    train_steps = 30 if args.quick else 300
    seeds = range(args.seed, args.seed + 5)
    print(f"Untrained, seeds {seeds[0]}-{seeds[-1]}: gradient reaching step 1 / at step "
          f"{STEPS_IN_TIME}, and the factor per step back")
    ratios, curves = [], {}
    for seed in seeds:
        row = {}
        for name, cell in (("RNN", nn.RNN), ("LSTM", nn.LSTM)):
            norms = gradient_per_step(untrained(cell, seed), seed)
            row[name] = norms[0] / norms[-1]
            print(f"  seed {seed} {name:4s}: {row[name]:9.3g}  (x{per_step_factor(norms):.2f} per step)")
            if seed == args.seed:
                curves[f"{name}, untrained"] = [(t + 1, n) for t, n in enumerate(norms)]
        ratios.append(row["LSTM"] / row["RNN"])
    median = float(np.median(ratios))
    print(f"Median over the seeds: the LSTM carries {median:.3g}x the RNN's share of gradient "
          f"back {STEPS_IN_TIME - 1} steps.")

    for name, cell in (("RNN", nn.RNN), ("LSTM", nn.LSTM)):
        norms = gradient_per_step(trained(cell, train_steps, args.seed), args.seed)
        curves[f"{name}, trained"] = [(t + 1, n) for t, n in enumerate(norms)]
        print(f"\n{name} after {train_steps} training steps (seed {args.seed}): |dLoss/dh_t| "
              f"for t = 1 .. {STEPS_IN_TIME} (log scale, loss at the right)")
        print(line_plot(np.log10(norms + 1e-30), height=8, width=STEPS_IN_TIME))
        print(f"  first step {norms[0]:.3g}, last step {norms[-1]:.3g}: "
              f"first/last = {norms[0] / norms[-1]:.3g}")
    print("Trained, the picture depends on what each model learned: an RNN that learns to "
          "carry the first symbol back carries its gradient too (try --seed 3).")
    svg_chart(curves, os.path.join(args.out, "gradient_per_time_step.svg"),
              "|dLoss/dh_t| per time step (log scale; the loss is at the last step)",
              "time step t", log=True)
    headline(f"LSTM/RNN ratio of first-step gradient, untrained (median of {len(seeds)} seeds)",
             median, "how many times more gradient the LSTM carries back 49 steps")


if __name__ == "__main__":
    main()
