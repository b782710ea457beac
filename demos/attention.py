"""Attention: a tiny transformer block learns to reverse a sequence of digits.

Each position asks "which other positions should I read?" (queries against keys);
the answers are the attention weights, a softmax over positions. To reverse a
sequence, position t must read position T-1-t, so a trained block's attention map is
the anti-diagonal. Model: token + position embeddings, one multi-head self-attention
layer with a residual connection and LayerNorm, a small MLP, and a per-position
classifier.
"""
import numpy as np

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import nn, no_grad, optim
from _kit import headline, heatmap, parse_args, svg_image_grid

VOCAB, LENGTH, DIM, HEADS = 10, 6, 32, 2


class TinyTransformer(nn.Module):
    def __init__(self):
        self.tokens = nn.Embedding(VOCAB, DIM)
        self.positions = nn.Embedding(LENGTH, DIM)
        self.attention = nn.MultiheadAttention(DIM, HEADS, batch_first=True)
        self.norm1 = nn.LayerNorm(DIM)
        self.mlp = nn.Sequential(nn.Linear(DIM, 2 * DIM), nn.ReLU(), nn.Linear(2 * DIM, DIM))
        self.norm2 = nn.LayerNorm(DIM)
        self.out = nn.Linear(DIM, VOCAB)

    def forward(self, digits):
        x = self.tokens(digits) + self.positions(np.arange(digits.shape[1]))
        attended, weights = self.attention(x, x, x)
        x = self.norm1(x + attended)
        x = self.norm2(x + self.mlp(x))
        return self.out(x), weights


def batch(rng, n):
    digits = rng.integers(0, VOCAB, (n, LENGTH))
    return digits, digits[:, ::-1].copy()


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = np.random.default_rng(args.seed)
    tg.manual_seed(args.seed)
    model = TinyTransformer()
    opt = optim.Adam(model.parameters(), lr=3e-3)
    steps = 300 if args.quick else 1500
    for step in range(steps):
        x, y = batch(rng, 64)
        scores, _ = model(x)
        loss = F.cross_entropy(scores.reshape(-1, VOCAB), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % (steps // 5) == 0:
            print(f"step {step:4d}  loss {loss.item():.4f}")
    x, y = batch(np.random.default_rng(args.seed + 1), 500)
    with no_grad():
        scores, weights = model(x)
    guess = scores.numpy().argmax(axis=-1)
    token_acc = float(np.mean(guess == y))
    seq_acc = float(np.mean(np.all(guess == y, axis=1)))
    print(f"\ninput    {x[0].tolist()}\nreversed {guess[0].tolist()}")
    print(f"token accuracy {token_acc:.1%}, whole sequences right {seq_acc:.1%}")
    w = weights.numpy()[0]
    print("\nAttention weights for that input (row: output position, column: position read;"
          " dark = strong). Reversal reads the anti-diagonal:")
    print(heatmap(w, row_labels=[f"out {t}" for t in range(LENGTH)],
                  col_labels=[str(t) for t in range(LENGTH)], low=0.0, high=1.0))
    path = svg_image_grid([w], f"{args.out}/attention.svg", ["attention weights"], cell=180)
    print(f"Picture: {path}")
    headline("reversal token accuracy", token_acc, "fraction of output digits in the right place")


if __name__ == "__main__":
    main()
