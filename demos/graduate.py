"""Graduate to PyTorch: train the digits MLP here, save it as .safetensors, load it into
the same model in PyTorch, and check both read the test digits alike.

The file uses PyTorch's names, shapes and dtypes ("0.weight", (16, 64), float32), so
`torch_model.load_state_dict(safetensors.torch.load_file(path))` just works. Needs
PyTorch (pip install torch; the CPU build is enough).
"""
import os
import sys

import numpy as np

import tinygrad_edu as tg
from _kit import headline, parse_args, svg_chart
from tinygrad_edu import Tensor, nn, no_grad
from tinygrad_edu.data import load_digits
from tinygrad_edu.nn.train import accuracy, fit


def main():
    args = parse_args(__doc__.splitlines()[0])
    try:
        import torch
        from safetensors.torch import load_file
    except ImportError:
        print("This demo needs PyTorch: pip install torch (the CPU build is enough).")
        sys.exit(1)
    from tinygrad_edu.interop import to_torch

    data = load_digits(seed=args.seed)
    train_x, test_x = data.train_images.reshape(-1, 64), data.test_images.reshape(-1, 64)
    tg.manual_seed(args.seed)
    model = nn.MLP(64, [16, 16, 10])
    fit(model, train_x, data.train_labels, epochs=5 if args.quick else 20, lr=0.05, momentum=0.9)
    ours = accuracy(model, test_x, data.test_labels)

    path = os.path.join(args.out, "digits_mlp.safetensors")
    tg.save(model, path)
    print(f"saved {path}: " + ", ".join(f"{k} {tuple(v.shape)}" for k, v in model.state_dict().items()))

    # In PyTorch: the same architecture, its weights from the file.
    torch_model = torch.nn.Sequential(torch.nn.Linear(64, 16), torch.nn.ReLU(),
                                      torch.nn.Linear(16, 16), torch.nn.ReLU(),
                                      torch.nn.Linear(16, 10))
    torch_model.load_state_dict(load_file(path))
    torch_model.eval()
    model.eval()
    with torch.no_grad():
        theirs = torch_model(torch.from_numpy(test_x.astype(np.float32))).numpy()
    with no_grad():
        logits = model(Tensor(test_x)).numpy()
    torch_acc = float(np.mean(theirs.argmax(axis=1) == data.test_labels))
    print(f"test accuracy here: {ours:.4f}   in PyTorch: {torch_acc:.4f}")
    print(f"to_torch(model) builds the same thing: {type(to_torch(model)).__name__}")
    gap = float(np.max(np.abs(logits - theirs)))
    svg_chart({"test digit logits": list(zip(logits.reshape(-1)[:2000], theirs.reshape(-1)[:2000]))},
              os.path.join(args.out, "logits_here_vs_pytorch.svg"),
              "each logit: here (x) vs PyTorch (y), on the diagonal", "here", points=True)
    headline("largest logit difference, PyTorch vs here", gap,
             f"same predictions on all {len(test_x)} test digits: {torch_acc == ours}")


if __name__ == "__main__":
    main()
