"""Activation functions and their derivatives, and why saturated sigmoids learn slowly.

The derivative of each activation is computed by backprop (not by a formula typed in
here) and drawn next to the function. Where a curve goes flat, its derivative is ~0,
and so is every gradient that has to pass through it.
"""
import numpy as np

from tinygrad_edu import Tensor
import os

from _kit import headline, line_plot, parse_args, svg_chart

ACTIVATIONS = {
    "sigmoid": lambda x: x.sigmoid(),
    "tanh": lambda x: x.tanh(),
    "relu": lambda x: x.relu(),
    "leaky relu (0.1)": lambda x: x.leaky_relu(0.1),
}


def value_and_derivative(fn, xs):
    x = Tensor(xs, requires_grad=True, dtype=np.float64)
    y = fn(x)
    y.sum().backward()   # d(sum y)/dx_i = f'(x_i): each element only depends on its own x
    return y.numpy(), x.grad.numpy()


def train_one_sigmoid(w0, steps, lr=1.0):
    """Fit sigmoid(w*x) to target 0 at x = 1, from starting weight w0."""
    w = Tensor([w0], requires_grad=True, dtype=np.float64)
    losses = []
    for _ in range(steps):
        loss = ((w * 1.0).sigmoid() ** 2).sum()
        w.grad = None
        loss.backward()
        w.data = w.data - lr * w.grad
        losses.append(loss.item())
    return losses


def main():
    args = parse_args(__doc__.splitlines()[0])
    xs = np.linspace(-6, 6, 61)
    derivatives = {}
    for name, fn in ACTIVATIONS.items():
        y, dy = value_and_derivative(fn, xs)
        derivatives[f"{name}'"] = list(zip(xs, dy))
        print(f"\n{name}(x) for x from -6 to 6:")
        print(line_plot(y, height=5, width=61))
        print(f"its derivative (max {dy.max():.3f}):")
        print(line_plot(dy, height=5, width=61, low=0))

    _, dsig = value_and_derivative(ACTIVATIONS["sigmoid"], xs)
    print("\nsigmoid'(x) = s(1 - s) is at most 0.25 (at x = 0) and ~0 for |x| > 5: "
          "a saturated sigmoid passes almost no gradient back.")
    steps = 20 if args.quick else 100
    fresh, saturated = train_one_sigmoid(0.5, steps), train_one_sigmoid(8.0, steps)
    print(f"\nOne sigmoid neuron learning to output 0, {steps} steps of gradient descent:")
    print(f"  starting unsaturated (w = 0.5): loss {fresh[0]:.4f} -> {fresh[-1]:.4f}")
    print(f"  starting saturated   (w = 8.0): loss {saturated[0]:.4f} -> {saturated[-1]:.4f}")
    print("The saturated one barely moves: its gradient is tiny although its error is large.")
    svg_chart(derivatives, os.path.join(args.out, "activation_derivatives.svg"),
              "derivatives of the activations (backprop computed them)", "x")
    headline("max sigmoid derivative", float(dsig.max()), "backprop finds the textbook 0.25")


if __name__ == "__main__":
    main()
