"""Shared pieces for the demos in demos/: arguments, the headline line, and
terminal/SVG pictures. Each demo ends with one ``headline`` line that tests and
teachers can read:  ``HEADLINE <name>: <value> (<what it means>)``.

>>> line_plot([0.0, 1.0, 0.0], height=3, width=3).splitlines()
[' █ ', ' █ ', ' █ ']
"""
from __future__ import annotations

import argparse
import html
import os

import numpy as np

from tinygrad_edu.teach.terminal_art import heatmap, image_art, side_by_side  # noqa: F401 (re-exported for demos)


def parse_args(description: str, extra=None):
    """--quick (a fast smoke run), --out DIR (pictures), --seed N; ``extra(parser)`` adds more."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (CI)")
    parser.add_argument("--out", default="demo_out", help="folder for the pictures it writes")
    parser.add_argument("--seed", type=int, default=0)
    if extra is not None:
        extra(parser)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    return args


def headline(name: str, value: float, meaning: str) -> None:
    print(f"HEADLINE {name}: {value:.4g} ({meaning})")


def line_plot(values, height: int = 8, width: int = 60, low=None, high=None) -> str:
    """A column chart of ``values`` (resampled to ``width``) in block characters."""
    v = np.asarray(values, dtype=np.float64)
    if v.size > width:
        v = np.array([chunk.mean() for chunk in np.array_split(v, width)])
    lo = v.min() if low is None else low
    hi = v.max() if high is None else high
    scaled = np.zeros_like(v) if hi == lo else (v - lo) / (hi - lo)
    levels = np.ceil(np.clip(scaled, 0, 1) * height).astype(int)   # 0 draws nothing
    rows = []
    for r in range(height, 0, -1):
        rows.append("".join("█" if lv >= r else " " for lv in levels))
    return "\n".join(rows)


def histogram(samples, bins: int = 40, lo: float = -4.0, hi: float = 4.0, height: int = 6) -> str:
    counts, _ = np.histogram(samples, bins=bins, range=(lo, hi))
    return line_plot(counts / max(counts.max(), 1), height=height, width=bins, low=0, high=1)


def svg_image_grid(images, path: str, titles=None, cell: int = 64) -> str:
    """Write grey-scale images (each 2-D, any range) side by side as an SVG file."""
    images = [np.asarray(im, dtype=np.float64) for im in images]
    parts = []
    x0 = 0
    for k, im in enumerate(images):
        lo, hi = im.min(), im.max()
        norm = np.zeros_like(im) if hi == lo else (im - lo) / (hi - lo)
        h, w = im.shape
        px = cell / max(h, w)
        for i in range(h):
            for j in range(w):
                g = int(255 * (1 - norm[i, j]))
                parts.append(f'<rect x="{x0 + j * px:.1f}" y="{20 + i * px:.1f}" width="{px:.1f}" '
                             f'height="{px:.1f}" fill="rgb({g},{g},{g})"/>')
        if titles:
            parts.append(f'<text x="{x0}" y="14" font-size="11" font-family="Helvetica">'
                         f'{html.escape(str(titles[k]))}</text>')
        x0 += cell + 10
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{x0}" height="{cell + 24}">'
           + "".join(parts) + "</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg)
    return path
