"""Training reports for any loop: a progress bar with ETA while it runs, then the loss
curve as a sparkline and the per-layer gradient table.

>>> sparkline([4.0, 3.0, 2.0, 1.5, 1.0])
'█▆▃▂▁'
"""
from __future__ import annotations

import numpy as np

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values, width: int = 60) -> str:
    """Values as one line of block characters (resampled to at most ``width``)."""
    vals = np.asarray([v for v in values if np.isfinite(v)], dtype=np.float64)
    if vals.size == 0:
        return ""
    if vals.size > width:  # average over equal chunks
        vals = np.array([chunk.mean() for chunk in np.array_split(vals, width)])
    low, high = vals.min(), vals.max()
    if high == low:
        return BLOCKS[0] * len(vals)
    idx = np.round((vals - low) / (high - low) * (len(BLOCKS) - 1)).astype(int)
    return "".join(BLOCKS[i] for i in idx)


class TrainingReport:
    """``with TrainingReport(steps, model) as report: ... report.step(loss)``.

    Shows a rich progress bar (with ETA) while training; on exit prints the loss
    sparkline and the per-layer gradient table of the last step.
    """

    def __init__(self, total_steps: int, model=None, console=None, description: str = "training",
                 show_gradients: bool = True):
        from rich.console import Console
        self.total, self.model = total_steps, model
        self.console = console or Console()
        self.description, self.show_gradients = description, show_gradients
        self.losses = []
        self.metrics = {}
        self._progress = None

    def __enter__(self):
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TextColumn("loss {task.fields[loss]}"),
                                  TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                  console=self.console, transient=False)
        self._progress.__enter__()
        self._task = self._progress.add_task(self.description, total=self.total, loss="-")
        return self

    def step(self, loss: float, **metrics) -> None:
        self.losses.append(float(loss))
        for k, v in metrics.items():
            self.metrics.setdefault(k, []).append(v)
        self._progress.update(self._task, advance=1, loss=f"{float(loss):.4f}")

    def __exit__(self, *exc):
        self._progress.__exit__(*exc)
        if exc[0] is None and self.losses:
            self.console.print(f"loss  {sparkline(self.losses)}  {self.losses[0]:.4f} -> "
                               f"{self.losses[-1]:.4f}")
            for k, values in self.metrics.items():
                self.console.print(f"{k:5s} {sparkline(values)}  {values[0]:.4g} -> {values[-1]:.4g}")
            if self.model is not None and self.show_gradients:
                from ..viz.report import gradient_table
                self.console.print(gradient_table(self.model, "Gradients per layer (last step)"))
        return False
