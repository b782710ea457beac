"""Per-layer gradient reports, training reports and Jupyter display."""
import io
import random
import xml.etree.ElementTree as ET

import numpy as np
from rich.console import Console

import tinygrad_edu as tg
from tinygrad_edu import Tensor, nn
from tinygrad_edu.scalar import MLP
from tinygrad_edu.teach.training_report import TrainingReport, sparkline
from tinygrad_edu.viz import draw_graph, gradient_chart_svg, gradient_report, gradient_table


def trained_step_model():
    tg.manual_seed(0)
    model = nn.MLP(4, [3, 2])
    out = model(Tensor(np.ones((5, 4))))
    tg.nn.functional.cross_entropy(out, np.array([0, 1, 0, 1, 1])).backward()
    return model


def test_gradient_report_numbers_match_the_gradients():
    model = trained_step_model()
    rows = {r.name: r for r in gradient_report(model)}
    g = model[0].weight.grad.numpy()
    assert np.isclose(rows["0.weight"].mean_abs_grad, np.abs(g).mean())
    assert np.isclose(rows["0.weight"].max_abs_grad, np.abs(g).max())
    assert np.isclose(rows["0.weight"].grad_to_weight,
                      np.linalg.norm(g) / np.linalg.norm(model[0].weight.numpy()))
    fresh = gradient_report(nn.MLP(4, [3, 2]))
    assert all(r.mean_abs_grad is None for r in fresh)   # no gradient yet, not 0


def test_gradient_table_and_chart():
    model = trained_step_model()
    out = io.StringIO()
    Console(file=out, width=100).print(gradient_table(model))
    assert "0.weight" in out.getvalue() and "|grad|/|weight|" in out.getvalue()
    svg = ET.fromstring(gradient_chart_svg(model))
    bars = [e for e in svg.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]
    assert len(bars) == 4
    widths = [float(b.get("width")) for b in bars]
    means = [r.mean_abs_grad for r in gradient_report(model)]
    assert np.argmax(widths) == np.argmax(means)   # the longest bar is the largest gradient


def test_scalar_model_report_groups_by_layer():
    model = MLP(2, [3, 1], rng=random.Random(0))
    model([1.0, 2.0]).backward()
    assert [r.name for r in gradient_report(model)] == ["layers.0", "layers.1"]


def test_training_report_prints_sparkline_and_gradients():
    model = trained_step_model()
    out = io.StringIO()
    console = Console(file=out, width=100)
    with TrainingReport(4, model, console, description="demo") as report:
        for loss in (2.0, 1.5, 1.0, 0.5):
            report.step(loss)
    text = out.getvalue()
    assert "loss  " + sparkline([2.0, 1.5, 1.0, 0.5]) in text and "2.0000 -> 0.5000" in text
    assert "Gradients per layer" in text and "ETA" in text


def test_graph_displays_inline_in_jupyter():
    x = Tensor([1.0, -2.0], requires_grad=True, label="x")
    (x * x).sum().backward()
    bundle = draw_graph((x * x).sum())._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]
