"""Per-layer gradient report for any model: mean and max |grad| and the
grad-to-weight ratio, as rows, a rich table, or an SVG bar chart.

>>> from tinygrad_edu import Tensor, nn, manual_seed
>>> manual_seed(0)
>>> model = nn.MLP(4, [3, 2])
>>> model(Tensor([[1.0, 2.0, 3.0, 4.0]])).sum().backward()
>>> [row.name for row in gradient_report(model)]
['0.weight', '0.bias', '2.weight', '2.bias']
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

from ..core.files import Discard
from .style import num


@dataclass(frozen=True)
class LayerGradient:
    name: str
    size: int
    mean_abs_grad: float | None   # None: no gradient yet
    max_abs_grad: float | None
    grad_to_weight: float | None  # |grad| / |weight| (norms): how big a step the gradient is


def _groups(model) -> list:
    """(name, parameters) per reported row: per tensor for nn.Module, per layer for
    the scalar MLP (or per neuron for a Layer)."""
    if hasattr(model, "named_parameters"):
        return [(name, [p]) for name, p in model.named_parameters()]
    if hasattr(model, "layers"):
        return [(f"layers.{i}", layer.parameters()) for i, layer in enumerate(model.layers)]
    if hasattr(model, "neurons"):
        return [(f"neurons.{i}", n.parameters()) for i, n in enumerate(model.neurons)]
    return [("parameters", model.parameters())]


def gradient_report(model) -> list:
    rows = []
    for name, params in _groups(model):
        weights = np.concatenate([np.ravel(np.asarray(p.data, dtype=np.float64)) for p in params])
        grads = [p.grad for p in params]
        if any(g is None for g in grads):
            rows.append(LayerGradient(name, weights.size, None, None, None))
            continue
        g = np.abs(np.concatenate([np.ravel(np.asarray(x, dtype=np.float64)) for x in grads]))
        w_norm = float(np.linalg.norm(weights))
        ratio = float(np.linalg.norm(g)) / w_norm if w_norm > 0 else None
        rows.append(LayerGradient(name, weights.size, float(g.mean()), float(g.max()), ratio))
    return rows


class PrintableTable:
    """A rich table that shows itself anywhere a learner looks: ``print()`` (plain text),
    a rich console (``__rich__``) and a notebook (``_repr_html_``)."""

    def __init__(self, table):
        self.table = table

    def __rich__(self):
        return self.table

    def _console(self):
        from rich.console import Console
        console = Console(record=True, width=100, color_system=None, file=Discard())
        console.print(self.table)
        return console

    def __str__(self) -> str:
        return self._console().export_text().rstrip("\n")

    def _repr_html_(self) -> str:
        return self._console().export_html(inline_styles=True)


def gradient_table(model, title: str = "Gradients per layer"):
    """The report as a table: ``print(gradient_table(model))``, or show it in a rich
    console or a notebook.

    >>> from tinygrad_edu import nn
    >>> "mean |grad|" in str(gradient_table(nn.Linear(2, 2)))
    True
    """
    from rich.table import Table
    table = Table(title=title)
    for column in ("layer", "size", "mean |grad|", "max |grad|", "|grad|/|weight|"):
        table.add_column(column, justify="left" if column == "layer" else "right")
    for row in gradient_report(model):
        cells = [num(x) if x is not None else "-" for x in
                 (row.mean_abs_grad, row.max_abs_grad, row.grad_to_weight)]
        style = "dim" if row.mean_abs_grad in (None, 0.0) else None
        table.add_row(row.name, f"{row.size:,}", *cells, style=style)
    return PrintableTable(table)


def gradient_chart_svg(model, width: int = 560) -> str:
    """A horizontal bar chart of mean |grad| per layer on a log scale, as SVG text."""
    rows = gradient_report(model)
    values = [r.mean_abs_grad for r in rows if r.mean_abs_grad]
    high = math.log10(max(values)) if values else 0.0
    low = math.log10(min(values)) - 1.0 if values else -1.0
    bar_x, bar_w, row_h = 170, width - 260, 22
    height = 40 + row_h * len(rows)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="Helvetica" font-size="12">',
             f'<text x="{bar_x}" y="16">mean |grad| per layer (log scale)</text>']
    for i, r in enumerate(rows):
        y = 28 + i * row_h
        parts.append(f'<text x="{bar_x - 8}" y="{y + 14}" text-anchor="end">{html.escape(r.name)}</text>')
        if r.mean_abs_grad:
            frac = (math.log10(r.mean_abs_grad) - low) / max(high - low, 1e-12)
            parts.append(f'<rect class="bar" x="{bar_x}" y="{y}" width="{max(frac, 0.01) * bar_w:.1f}" '
                         f'height="{row_h - 6}" fill="#fc4e2a"><title>{html.escape(r.name)}</title></rect>')
            label = num(r.mean_abs_grad)
        else:
            label = "no gradient" if r.mean_abs_grad is None else "0 (vanished)"
        parts.append(f'<text x="{bar_x + bar_w + 8}" y="{y + 14}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
