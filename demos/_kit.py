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

from tinygrad_edu.tensor.blas import program_settings
from tinygrad_edu.teach.terminal_art import heatmap, image_art, side_by_side  # noqa: F401 (re-exported for demos)


def _seed(text: str) -> int:
    """--seed's type: a whole number in [0, 2**32), as numpy's generators (and the demos'
    data sets) take, with room for the few seeds a demo counts up from it."""
    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if not 0 <= seed < 2 ** 32:
        raise argparse.ArgumentTypeError(f"expected a whole number in [0, 2**32), got {text!r}")
    return seed


def parse_args(description: str, extra=None):
    """--quick (a fast smoke run), --out DIR (pictures), --seed N; ``extra(parser)`` adds more."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (CI)")
    parser.add_argument("--out", default="demo_out", help="folder for the pictures it writes")
    parser.add_argument("--seed", type=_seed, default=0, help="a whole number in [0, 2**32)")
    if extra is not None:
        extra(parser)
    args = parser.parse_args()
    program_settings()   # a demo owns its process: one BLAS thread, freed memory kept
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        parser.error(f"argument --out: cannot use {args.out!r} as a folder ({error.strerror})")
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


COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def svg_chart(series: dict, path: str, title: str, x_label: str = "", log: bool = False,
              points: bool = False, width: int = 560, height: int = 300) -> str:
    """Write named series (each a list of y values, or of (x, y) pairs) as an SVG line
    chart (``points=True``: dots) with axes' ranges and a legend; ``log``: log10 y."""
    def pairs(values):
        values = list(values)
        if values and np.ndim(values[0]) == 0:
            return [(float(i), float(v)) for i, v in enumerate(values)]
        return [(float(x), float(y)) for x, y in values]
    data = {name: [(x, np.log10(max(y, 1e-30)) if log else y) for x, y in pairs(v)]
            for name, v in series.items()}
    xs = [x for v in data.values() for x, _ in v]
    ys = [y for v in data.values() for _, y in v if np.isfinite(y)]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    x1, y1 = (x1 if x1 > x0 else x0 + 1), (y1 if y1 > y0 else y0 + 1)
    left, top, plot_w, plot_h = 60, 30, width - 180, height - 70

    def at(x, y):
        return left + (x - x0) / (x1 - x0) * plot_w, top + (1 - (y - y0) / (y1 - y0)) * plot_h
    parts = [f'<text x="{left}" y="18" font-weight="bold">{html.escape(title)}</text>',
             f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>']
    for y, anchor in ((y0, top + plot_h), (y1, top + 10)):
        label = f"1e{y:.0f}" if log else f"{y:.3g}"
        parts.append(f'<text x="{left - 6}" y="{anchor}" text-anchor="end">{label}</text>')
    parts.append(f'<text x="{left}" y="{top + plot_h + 16}">{x0:.3g}</text>'
                 f'<text x="{left + plot_w}" y="{top + plot_h + 16}" text-anchor="end">{x1:.3g}</text>'
                 f'<text x="{left + plot_w / 2}" y="{top + plot_h + 32}" text-anchor="middle">'
                 f'{html.escape(x_label)}</text>')
    for k, (name, values) in enumerate(data.items()):
        colour = COLOURS[k % len(COLOURS)]
        coords = [at(x, y) for x, y in values if np.isfinite(y)]
        if points:
            parts += [f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2" fill="{colour}"/>' for cx, cy in coords]
        else:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                         + " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords) + '"/>')
        parts.append(f'<rect x="{left + plot_w + 12}" y="{top + 14 * k}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{left + plot_w + 26}" y="{top + 9 + 14 * k}">'
                     f'{html.escape(name)}</text>')
    return _write_svg(path, width, height, parts)


def svg_boundary(grid, extent, points, labels, path: str, title: str, size: int = 320) -> str:
    """A classifier's decision regions (``grid`` of scores > 0 or not, rows from the top)
    with the labelled points over them."""
    (xa, xb), (ya, yb) = extent
    rows, cols = grid.shape
    cw, ch = size / cols, size / rows
    parts = [f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>']
    for i in range(rows):
        for j in range(cols):
            fill = "#fbd3d3" if grid[i, j] > 0 else "#d3e4fb"
            parts.append(f'<rect x="{j * cw:.1f}" y="{24 + i * ch:.1f}" width="{cw + 0.5:.1f}" '
                         f'height="{ch + 0.5:.1f}" fill="{fill}"/>')
    for (x, y), label in zip(points, labels):
        px, py = (x - xa) / (xb - xa) * size, 24 + (yb - y) / (yb - ya) * size
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" stroke="white" '
                     f'fill="{"#d62728" if label > 0 else "#1f77b4"}"/>')
    return _write_svg(path, size, size + 28, parts)


def _write_svg(path, width, height, parts) -> str:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="Helvetica" font-size="11">' + "".join(parts) + "</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg)
    print(f"wrote {path}")
    return path


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
            parts.append(f'<text x="{x0}" y="14">'
                         f'{html.escape(str(titles[k]))}</text>')
        x0 += cell + 10
    return _write_svg(path, x0, cell + 24, parts)
