"""Colours and number formats shared by the pictures (pure functions, no graphviz).

>>> colour_for(1e-3, 1e-6, 1.0)
'#fd8d3c'
>>> short(np.array([[1.0, 2.0], [3.0, 4.0]]))
'[[1, 2], [3, 4]]'
"""
from __future__ import annotations

import math

import numpy as np

# Light to dark: small gradients pale, large ones deep red (a sequential scheme).
PALETTE = ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")
VANISHED = "#d9d9d9"
NONFINITE = "#d400d4"
NO_GRAD = "#ffffff"
OP_FILL = "#eef3fb"


def magnitude(x) -> float:
    """Mean absolute value: one number for a scalar or a whole gradient array."""
    arr = np.asarray(x, dtype=np.float64)
    return float(np.mean(np.abs(arr))) if arr.size else 0.0


def finite(x) -> bool:
    return bool(np.all(np.isfinite(np.asarray(x, dtype=np.float64))))


def colour_for(mag: float, low: float, high: float) -> str:
    """Palette colour for ``mag`` on a log scale between ``low`` and ``high``."""
    if high <= low or mag <= low:
        return PALETTE[0] if high > low else PALETTE[len(PALETTE) // 2]
    position = (math.log10(mag) - math.log10(low)) / (math.log10(high) - math.log10(low))
    return PALETTE[min(len(PALETTE) - 1, max(0, int(position * len(PALETTE))))]


def edge_colour_for(mag: float, low: float, high: float) -> str:
    """Like ``colour_for``, but never the palest shades: a line must show on white."""
    colour = colour_for(mag, low, high)
    return PALETTE[max(PALETTE.index(colour), 2)]


def font_for(fill: str) -> str:
    """White text on the darkest fills, black elsewhere."""
    return "white" if fill in PALETTE[-3:] or fill == NONFINITE else "black"


def legend_bins(low: float, high: float) -> list:
    """(colour, lower bound) per palette entry, for the legend."""
    if high <= low:
        return [(PALETTE[len(PALETTE) // 2], low)]
    step = (math.log10(high) - math.log10(low)) / len(PALETTE)
    return [(c, 10 ** (math.log10(low) + i * step)) for i, c in enumerate(PALETTE)]


def num(x: float) -> str:
    """A number in 4 significant digits, stable across runs."""
    x = float(x)
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    return f"{x:.4g}"


def short(array, limit: int = 6) -> str:
    """Small arrays in full, larger ones as mean/std/range."""
    arr = np.asarray(array)
    if arr.ndim == 0:
        return num(arr)
    if arr.size <= limit:
        text = np.array2string(arr, separator=", ", formatter={"all": lambda v: num(v)})
        return " ".join(text.split())  # one line
    if arr.dtype.kind == "b":
        return f"{int(arr.sum())} of {arr.size} true"
    a = arr.astype(np.float64)
    return f"mean {num(a.mean())} ± {num(a.std())}, range [{num(a.min())}, {num(a.max())}]"
