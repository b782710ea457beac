"""Colours shared by the pictures (pure functions, no graphviz); numbers are written by
``core.text.format_number``, as everywhere.

>>> colour_for(1e-3, 1e-6, 1.0)
'#fd8d3c'
"""
from __future__ import annotations

import math

import numpy as np

from ..core.text import format_number

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


def num(x) -> str:
    """A number as the pictures write it: the shared formatter at 4 digits (little room)."""
    return format_number(x, digits=4)


def short(array) -> str:
    """An array as the pictures write it: up to 6 elements in full, else a summary."""
    return format_number(np.asarray(array), digits=4, limit=6)
