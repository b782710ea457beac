"""An autoencoder squeezes each 64-pixel digit through an 8-number code and rebuilds it.

encoder 64 -> 32 -> 8 (the code), decoder 8 -> 32 -> 64 (sigmoid pixels), trained to
reproduce its own input (mean squared error). Nothing tells it what a digit is; to
rebuild digits from 8 numbers it has to find what digits have in common.
"""
import numpy as np

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn, no_grad, optim
from tinygrad_edu.data import batches, load_digits
from _kit import headline, image_art, parse_args, side_by_side, svg_image_grid
from tinygrad_edu.teach.training_report import sparkline

CODE = 8


def main():
    args = parse_args(__doc__.splitlines()[0])
    data = load_digits(seed=args.seed)
    train, test = data.train_images.reshape(-1, 64), data.test_images.reshape(-1, 64)
    tg.manual_seed(args.seed)
    encoder = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, CODE))
    decoder = nn.Sequential(nn.Linear(CODE, 32), nn.ReLU(), nn.Linear(32, 64), nn.Sigmoid())
    opt = optim.Adam(encoder.parameters() + decoder.parameters(), lr=3e-3)
    epochs = 10 if args.quick else 60
    losses = []
    for epoch in range(epochs):
        for xb, _ in batches(train, data.train_labels, 32, seed=epoch):
            loss = F.mse_loss(decoder(encoder(xb)), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    print(f"training loss {sparkline(losses, 50)}  {losses[0]:.4f} -> {losses[-1]:.4f}")

    with no_grad():
        rebuilt = decoder(encoder(Tensor(test))).numpy()
    error = float(np.mean((rebuilt - test) ** 2))
    baseline = float(np.mean((train.mean(axis=0) - test) ** 2))  # always guess the average digit
    print(f"\nTest reconstruction error {error:.4f}; guessing the average digit gives {baseline:.4f}.")
    print("\nOriginals (top) and their reconstructions from 8 numbers (bottom):")
    picks = range(6)
    print(side_by_side([image_art(test[i].reshape(8, 8)) for i in picks]))
    print()
    print(side_by_side([image_art(rebuilt[i].reshape(8, 8)) for i in picks]))
    path = svg_image_grid([test[i].reshape(8, 8) for i in picks] + [rebuilt[i].reshape(8, 8) for i in picks],
                          f"{args.out}/autoencoder.svg",
                          [f"original {i}" for i in picks] + [f"rebuilt {i}" for i in picks])
    print(f"Picture: {path}")
    headline("reconstruction error / average-digit error", error / baseline,
             "below 1 means the 8-number code carries real information")


if __name__ == "__main__":
    main()
