"""Pictures made of characters: digit images and heat maps for the terminal.

>>> print(image_art(np.array([[0.0, 1.0], [0.5, 0.0]])))
  ██
▒▒  
"""
from __future__ import annotations

import numpy as np

SHADES = " ░▒▓█"


def image_art(image, shades: str = SHADES) -> str:
    """A 2-D array in [0, 1] as text, two characters per pixel (square-ish pixels)."""
    img = np.clip(np.asarray(image, dtype=np.float64), 0.0, 1.0)
    idx = np.round(img * (len(shades) - 1)).astype(int)
    return "\n".join("".join(shades[i] * 2 for i in row) for row in idx)


def side_by_side(blocks, gap: str = "   ") -> str:
    """Join multi-line strings horizontally."""
    split = [b.split("\n") for b in blocks]
    height = max(len(s) for s in split)
    widths = [max((len(line) for line in s), default=0) for s in split]
    lines = []
    for r in range(height):
        lines.append(gap.join((s[r] if r < len(s) else "").ljust(w) for s, w in zip(split, widths)))
    return "\n".join(line.rstrip() for line in lines)


def heatmap(values, row_labels=None, col_labels=None, shades: str = SHADES,
            low: float | None = None, high: float | None = None) -> str:
    """A matrix as shaded cells, scaled to [low, high] (default: its own min..max),
    with optional labels."""
    v = np.asarray(values, dtype=np.float64)
    low = float(v.min()) if low is None else low
    high = float(v.max()) if high is None else high
    scaled = np.clip((v - low) / (high - low), 0, 1) if high > low else np.zeros_like(v)
    rows = image_art(scaled, shades).split("\n")
    if row_labels is not None:
        width = max(len(str(r)) for r in row_labels)
        rows = [f"{str(label):>{width}} {row}" for label, row in zip(row_labels, rows)]
    if col_labels is not None:
        pad = " " * (max(len(str(r)) for r in row_labels) + 1 if row_labels is not None else 0)
        rows.insert(0, pad + "".join(str(c)[:2].ljust(2) for c in col_labels))
    return "\n".join(rows)
