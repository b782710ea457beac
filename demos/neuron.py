"""One neuron: weights, bias and activation; forward, step-through backward, its picture.

A neuron multiplies each input by a weight, adds a bias, and squashes the sum with an
activation: out = tanh(x1*w1 + x2*w2 + b). Backward sends d(out)/d(everything) back
through that little graph with the chain rule, one node at a time.
"""
from _kit import headline, parse_args
from tinygrad_edu.gradcheck import gradcheck
from tinygrad_edu.stepper import Stepper
from tinygrad_edu.teach.tour import build_neuron
from tinygrad_edu.viz import RendererNotFound, draw_graph, render


def main():
    args = parse_args(__doc__.splitlines()[0])
    out, leaves = build_neuron()
    print("Inputs x1, x2; weights w1, w2; bias b:",
          ", ".join(f"{k} = {v.data:.4g}" for k, v in leaves.items()))
    print(f"Forward: out = tanh(x1*w1 + x2*w2 + b) = {out.data:.4f}\n")

    Stepper(out).run()           # in a terminal: Enter/n, b, a, q; piped: prints every frame

    out.backward()
    print("\nWhat each gradient says: nudge the leaf up a little, and out changes by "
          "(gradient x nudge).")
    for name, leaf in leaves.items():
        print(f"  d(out)/d{name} = {leaf.grad:+.4f}")
    print("w2's gradient is 0: its input x2 is 0, so changing w2 changes nothing.")

    try:
        path = render(draw_graph(out, title="one neuron after backward"), f"{args.out}/neuron.svg")
        print(f"\nwrote {path}: the graph with its gradient flow")
    except RendererNotFound as e:
        print(e)

    # Are the chain-rule numbers right? Compare with finite differences.
    def neuron(x1, x2, w1, w2, b):
        return (x1 * w1 + x2 * w2 + b).tanh()
    report = gradcheck(neuron, list(leaves.values()))
    headline("neuron gradcheck max abs error", report.max_abs_error,
             "analytic vs numeric gradient; tiny means backprop is right")


if __name__ == "__main__":
    main()
