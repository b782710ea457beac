"""A small CNN reads digits: convolution, activation, pooling, then a fully connected layer.

Conv2d(1, 8, 3) slides eight 3x3 kernels over the image (each kernel a learned
pattern detector), ReLU keeps positive responses, MaxPool2d(2) keeps the strongest
response in each 2x2 block, a second conv/ReLU/pool stage combines patterns, and a
Linear layer turns the feature maps into ten scores.
"""

import tinygrad_edu as tg
from tinygrad_edu import Tensor, nn, no_grad
from tinygrad_edu.data import load_digits
from _kit import headline, heatmap, image_art, parse_args, side_by_side, svg_image_grid
from tinygrad_edu.nn.train import accuracy, fit, steps_per_epoch
from tinygrad_edu.teach.training_report import TrainingReport


def main():
    args = parse_args(__doc__.splitlines()[0])
    data = load_digits(seed=args.seed)
    tg.manual_seed(args.seed)
    conv1 = nn.Conv2d(1, 8, 3, padding=1)
    model = nn.Sequential(conv1, nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(16 * 2 * 2, 10))
    print(model)
    print(f"{model.num_parameters():,} parameters (the MLP 64-16-16-10 has 1,482).")
    epochs = 3 if args.quick else 15
    x_train, x_test = data.train_images[:, None], data.test_images[:, None]
    with TrainingReport(epochs * steps_per_epoch(len(x_train), 32), model, description="training CNN") as r:
        fit(model, x_train, data.train_labels, epochs=epochs, lr=0.05, report=r)

    kernels = conv1.weight.numpy()[:, 0]
    print("\nThe eight learned 3x3 kernels of the first layer (dark = large):")
    print(side_by_side([heatmap(k) for k in kernels], gap="  "))
    image = x_test[:1]
    with no_grad():
        maps = model[1](conv1(Tensor(image))).numpy()[0]
    print("\nOne test image and its eight feature maps after conv1 + ReLU:")
    print(side_by_side([image_art(image[0, 0])] + [heatmap(m) for m in maps], gap="  "))
    k_path = svg_image_grid(kernels, f"{args.out}/cnn_kernels.svg", [f"kernel {i}" for i in range(8)])
    m_path = svg_image_grid([image[0, 0]] + list(maps), f"{args.out}/cnn_feature_maps.svg",
                            ["image"] + [f"map {i}" for i in range(8)])
    print(f"Pictures: {k_path}, {m_path}")
    headline("CNN test accuracy", accuracy(model, x_test, data.test_labels),
             "fraction of unseen test digits read correctly")


if __name__ == "__main__":
    main()
