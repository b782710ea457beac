"""The guided tour: one neuron stepped through, its picture, then the digits MLP.

>>> out, leaves = build_neuron()
>>> round(out.data, 4), sorted(leaves)
(0.7071, ['b', 'w1', 'w2', 'x1', 'x2'])
"""
from __future__ import annotations

import os

import numpy as np

from .demo_models import build_neuron, demo_model


def plain_console(console):
    """A console for a pipe or a log, writing to the same file: tables without their box
    lines, panels as their text (a title as a line of its own).

    >>> import io; from rich.console import Console; from rich.panel import Panel
    >>> from rich.table import Table
    >>> out = io.StringIO(); plain = plain_console(Console(file=out, width=40))
    >>> table = Table("a", "b"); table.add_row("1", "2")
    >>> plain.print(Panel("title")); plain.print(table)
    >>> [line.strip() for line in out.getvalue().splitlines()]
    ['title', 'a  b', '1  2']
    """
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    class PlainConsole(Console):
        def print(self, *objects, **kwargs):
            plain = []
            for item in objects:
                if hasattr(item, "__rich__"):  # a wrapper (the gradient table) shows this
                    item = item.__rich__()
                if isinstance(item, Panel):
                    item = item.renderable
                elif isinstance(item, Table):
                    item.box, item.show_edge = None, False
                plain.append(item)
            super().print(*plain, **kwargs)

    return PlainConsole(file=console.file, width=console.width, color_system=None,
                        force_terminal=False, highlight=False)


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
             epochs: int | None = None, interactive: bool | None = None) -> dict:
    """The main job. Returns the headline figures (for tests and scripts)."""
    from rich.panel import Panel
    from rich.table import Table

    from ..data import load_digits
    from ..stepper import Stepper
    from .terminal_art import image_art, side_by_side
    from ..nn.train import confusion_matrix, predict
    from .digits_recipe import EPOCHS, new_digits_mlp, steps_for, train_digits_mlp
    from .training_report import TrainingReport
    from ..viz import draw_graph, render
    from ..viz.renderer import RenderFailed, RendererNotFound
    epochs = EPOCHS if epochs is None else epochs

    title = "tinygrad_edu: how a neural network learns, one gradient at a time"
    intro = ("[bold]1. One neuron[/bold]: out = tanh(x1*w1 + x2*w2 + b). We compute it "
             "forward, then send the gradient back node by node (the chain rule).")
    if not console.is_terminal:  # piped or logged: plain text, no boxes
        console = plain_console(console)
    console.print(Panel(title, style="bold"))
    console.print(intro)
    out, leaves = build_neuron()
    if interactive is None:
        interactive = not auto and console.is_terminal
    # Stepping keys clear the screen, so the title comes back above each frame; printed
    # through, it is already above.
    stepped = Stepper(out, console=console, interactive=interactive,
                      header=f"[bold]{title}[/bold]\n{intro}" if interactive else "").run()
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

    # 3. The digits MLP, trained as the digits_mlp demo trains it (same recipe, same figure).
    console.print("[bold]3. A real network[/bold]: an MLP reads 8x8 handwritten digits: 64 "
                  "pixels in, two hidden layers of 16, 10 scores out (64-16-16-10). It is the "
                  "course's 784-16-16-10 net, sized for these small images instead of MNIST's "
                  "28x28. SGD with momentum; the learning rate falls from 0.05 to 0.")
    data = load_digits()
    train_x = data.train_images.reshape(-1, 64)
    test_x = data.test_images.reshape(-1, 64)
    model = new_digits_mlp(64, seed=0)
    before = predict(model, test_x)
    with TrainingReport(steps_for(len(train_x), epochs), model, console,
                        "training 64-16-16-10") as report:
        train_digits_mlp(model, train_x, data.train_labels, seed=0, epochs=epochs, report=report)
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
