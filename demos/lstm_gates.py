"""Inside a trained LSTM: input, forget and output gate values over a sequence.

The task: read a sequence of symbols and answer, at the end, which symbol came FIRST.
A trained LSTM has to store that symbol at step 1 (input gate open), keep it through
the distractors (forget gate ~1: keep the cell), and ignore what comes later (input
gate mostly shut). The heat maps show each gate for each hidden unit (rows) and time
step (columns); dark = 1 (open), light = 0 (shut).
"""
import numpy as np

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, no_grad, optim
from tinygrad_edu.data import first_symbol_task
from _kit import headline, heatmap, parse_args, svg_image_grid

LENGTH, SYMBOLS, HIDDEN = 20, 4, 16


def main():
    args = parse_args(__doc__.splitlines()[0])
    tg.manual_seed(args.seed)
    lstm, head = nn.LSTM(SYMBOLS, HIDDEN, batch_first=True), nn.Linear(HIDDEN, SYMBOLS)
    bias = lstm.bias_ih_l0.numpy().copy()
    bias[HIDDEN:2 * HIDDEN] = 2.0   # forget gate starts open: remembering is the default
    lstm.bias_ih_l0.data = bias
    x, y = first_symbol_task(4096, LENGTH, SYMBOLS, seed=args.seed)
    params = lstm.parameters() + head.parameters()
    opt = optim.Adam(params, lr=0.005)
    for step in range(600):
        idx = np.random.default_rng(step).integers(0, len(y), 128)
        out, _ = lstm(Tensor(x[idx]))
        loss = F.cross_entropy(head(out[:, -1]), y[idx])
        opt.zero_grad()
        loss.backward()
        # Clipped: without it an occasional huge gradient threw some seeds back to
        # chance on some CPUs' BLAS kernels (seeds 5 and 8, scripts/measure_spread.py).
        nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()

    x_test, y_test = first_symbol_task(500, LENGTH, SYMBOLS, seed=args.seed + 1)
    with no_grad():
        out, _ = lstm(Tensor(x_test))
        acc = float(np.mean(head(out[:, -1]).numpy().argmax(axis=1) == y_test))
    gates = lstm.gate_activations(Tensor(x_test[:1]))
    print(f"Sequence: {x_test[0].argmax(axis=1).tolist()}  (answer: {y_test[0]})\n")
    for name in ("input", "forget", "output"):
        g = gates[name][0].T                            # (hidden units, time)
        print(f"{name} gate (rows: {HIDDEN} units, columns: {LENGTH} steps), mean {g.mean():.2f}")
        print(heatmap(g, row_labels=[f"u{i}" for i in range(HIDDEN)], low=0.0, high=1.0))
        print()
    mean_input = gates["input"][0].mean(axis=1)
    print(f"Mean input gate at step 1: {mean_input[0]:.2f}; over the later steps: "
          f"{mean_input[1:].mean():.2f}. Mean forget gate: {gates['forget'][0].mean():.2f}.")
    path = svg_image_grid([gates[n][0].T for n in ("input", "forget", "output")],
                          f"{args.out}/lstm_gates.svg", ["input gate", "forget gate", "output gate"],
                          cell=160)
    print(f"Picture: {path}")
    headline("first-symbol recall accuracy", acc, f"the LSTM remembers over {LENGTH} steps")


if __name__ == "__main__":
    main()
