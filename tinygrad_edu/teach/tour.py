"""The guided tour: one neuron stepped through, its picture, then the digits MLP.

>>> out, leaves = build_neuron()
>>> round(out.data, 4), sorted(leaves)
(0.7071, ['b', 'w1', 'w2', 'x1', 'x2'])
"""
from __future__ import annotations

import os

import numpy as np

from .demo_models import build_neuron, demo_model


def write_tour_pages(folder: str) -> list:
    """The tour as stepper pages: the neuron, the neuron as a quiz, and the digits MLP's
    loss (a batch of 8), each one self-contained HTML file in ``folder``."""
    from ..stepper import Stepper
    out, _ = build_neuron()
    pages = [(out, "neuron.html", False), (out, "neuron_quiz.html", True),
             (demo_model("digits_mlp", batch=8), "digits_mlp.html", False)]
    written = []
    for root, name, predict in pages:
        written.append(Stepper(root, predict=predict).save_html(os.path.join(folder, name)))
    return written


def run_tour(console, out_dir: str = "tinygrad_edu_tour", auto: bool = False,
             epochs: int = 20, interactive: bool | None = None) -> dict:
    """The main job. Returns the headline figures (for tests and scripts)."""
    from rich.panel import Panel
    from rich.table import Table

    import tinygrad_edu as tg
    from .. import nn
    from ..data import load_digits
    from ..stepper import Stepper
    from .terminal_art import image_art, side_by_side
    from ..nn.train import confusion_matrix, fit, predict, steps_per_epoch
    from .training_report import TrainingReport
    from ..viz import draw_graph, render
    from ..viz.renderer import RenderFailed, RendererNotFound

    title = "tinygrad_edu: how a neural network learns, one gradient at a time"
    intro = ("[bold]1. One neuron[/bold]: out = tanh(x1*w1 + x2*w2 + b). We compute it "
             "forward, then send the gradient back node by node (the chain rule).")
    console.print(Panel(title, style="bold"))
    console.print(intro)
    out, leaves = build_neuron()
    if interactive is None:
        interactive = not auto and console.is_terminal
    stepped = Stepper(out, console=console, interactive=interactive,
                      header=f"[bold]{title}[/bold]\n{intro}").run()
    if stepped.quit_early:
        console.print("Tour ended (you pressed q). Run [bold]tinygrad-edu tour[/bold] again any time.")
        return {"quit": True}

    # 2. Its picture with gradient flow.
    out.backward()
    os.makedirs(out_dir, exist_ok=True)
    picture = os.path.join(out_dir, "neuron.svg")
    try:
        render(draw_graph(out, title="one neuron: gradient flow after backward"), picture)
        console.print(f"[bold]2. The picture[/bold]: the neuron's graph with its gradient flow "
                      f"is in {picture} (open it in a browser). Grey means the gradient vanished "
                      "there: w2's gradient is 0 because its input x2 is 0.")
    except (RendererNotFound, RenderFailed) as e:
        console.print(f"[bold]2. The picture[/bold]: {e}")

    # 3. The digits MLP.
    console.print("[bold]3. A real network[/bold]: the 784-16-16-10 teaching net, at the "
                  "shipped digits' 8x8 size: 64-16-16-10, trained with SGD + momentum.")
    data = load_digits()
    train_x = data.train_images.reshape(-1, 64)
    test_x = data.test_images.reshape(-1, 64)
    tg.manual_seed(0)
    model = nn.MLP(64, [16, 16, 10])
    before = predict(model, test_x)
    with TrainingReport(epochs * steps_per_epoch(len(train_x), 32), model, console,
                        "training 64-16-16-10") as report:
        fit(model, train_x, data.train_labels, epochs=epochs, report=report)
    after = predict(model, test_x)
    accuracy = float(np.mean(after == data.test_labels))
    console.print(f"Test accuracy: [bold]{accuracy:.1%}[/bold] on {len(test_x)} digits the "
                  f"net never saw (untrained: {np.mean(before == data.test_labels):.1%}).")

    counts = confusion_matrix(data.test_labels, after, 10)
    table = Table(title="Confusion matrix (rows: true digit, columns: predicted)")
    table.add_column("")
    for c in range(10):
        table.add_column(str(c), justify="right")
    for r in range(10):
        table.add_row(str(r), *[f"[bold green]{v}[/]" if r == c else (str(v) if v else "·")
                                for c, v in enumerate(counts[r])])
    console.print(table)

    fixed = np.flatnonzero((before != data.test_labels) & (after == data.test_labels))
    if fixed.size:
        i = int(fixed[0])
        art = image_art(data.test_images[i])
        console.print(side_by_side([art, f"a {data.test_labels[i]}\n\nuntrained net said: "
                                         f"{before[i]}\ntrained net says:   {after[i]}"]))
    return {"accuracy": accuracy, "picture": picture}
