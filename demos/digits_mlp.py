"""The 784-16-16-10 teaching net: an MLP that reads handwritten digits.

On the shipped 8x8 digits it is 64-16-16-10 (64 pixels in, 10 scores out); with
--mnist DIR (the four standard IDX files) it is exactly 784-16-16-10 on 28x28 MNIST.
Before training the net guesses; after training it reads. We follow one '2'.
"""
import os

import numpy as np

from tinygrad_edu.data import load_digits, load_mnist
from _kit import headline, image_art, parse_args, side_by_side, svg_image_grid
from tinygrad_edu.nn.train import accuracy, predict
from tinygrad_edu.teach.digits_recipe import EPOCHS, new_digits_mlp, steps_for, train_digits_mlp
from tinygrad_edu.teach.training_report import TrainingReport


def main():
    args = parse_args(__doc__.splitlines()[0],
                      lambda p: p.add_argument("--mnist", metavar="DIR", help="folder with MNIST IDX files"))
    try:
        data = load_mnist(args.mnist) if args.mnist else load_digits(seed=args.seed)
    except (ValueError, OSError) as error:  # missing, truncated or foreign files: one line
        raise SystemExit(f"digits_mlp: {error}") from None
    side = data.train_images.shape[1]
    pixels = side * side
    train_x = data.train_images.reshape(-1, pixels)
    test_x = data.test_images.reshape(-1, pixels)
    model = new_digits_mlp(pixels, seed=args.seed)
    print(f"MLP {pixels}-16-16-10: {model.num_parameters():,} parameters, "
          f"{len(train_x):,} training images of {side}x{side} pixels, {len(test_x):,} test images.")

    before = predict(model, test_x)
    twos = np.flatnonzero(data.test_labels == 2)
    wrong_twos = twos[before[twos] != 2]
    pick = int(wrong_twos[0] if wrong_twos.size else twos[0])

    epochs = 10 if args.quick else EPOCHS
    with TrainingReport(steps_for(len(train_x), epochs), model,
                        description=f"training {pixels}-16-16-10 (the learning rate falls from "
                                    "0.05 to 0)") as report:
        train_digits_mlp(model, train_x, data.train_labels, seed=args.seed, epochs=epochs,
                         report=report)
    after = predict(model, test_x)

    print(side_by_side([image_art(data.test_images[pick]),
                        f"a handwritten 2\n\nbefore training the net said: {before[pick]}\n"
                        f"after training it says:       {after[pick]}"]))
    shown = list(range(12))
    svg_image_grid([data.test_images[i] for i in shown],
                   os.path.join(args.out, "digits_predictions.svg"),
                   titles=[f"says {after[i]}" + ("" if after[i] == data.test_labels[i] else " (x)")
                           for i in shown], cell=56)
    acc = accuracy(model, test_x, data.test_labels)
    print(f"\nThe untrained net was right {np.mean(before == data.test_labels):.1%} of the time "
          "(about chance: 10%).")
    headline("digits MLP test accuracy", acc, "fraction of unseen test digits read correctly")


if __name__ == "__main__":
    main()
