"""Arrays as the page's detail panel draws them: a heat map (pooled to at most 16 x 16
cells) with its real minimum and maximum, or, for arrays that hold images, the images.

>>> h = heat(np.arange(6.0).reshape(2, 3))
>>> h["grid"], h["min"], h["max"]
([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], '0', '5')
>>> pictures(np.zeros((32, 64)), is_data=True)["side"]
[8, 8]
"""
from __future__ import annotations

import math

import numpy as np

from ..core.text import format_number

HEAT_SIDE = 16     # heat maps show at most 16 x 16 cells (larger arrays are pooled)
MAX_PICTURES = 32  # images shown of a batch


def _finite(v):
    """JSON has no nan or inf: those travel as None (the page writes them as text)."""
    v = float(v)
    return v if np.isfinite(v) else None


def heat(x) -> dict | None:
    """{"grid": rows of cell means, "min", "max" (as written)}, or None for one number."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.size < 2:
        return None
    grid = arr.reshape(arr.shape[0], -1) if arr.ndim > 1 else arr.reshape(1, -1)
    rows = -(-grid.shape[0] // HEAT_SIDE)
    cols = -(-grid.shape[1] // HEAT_SIDE)
    pooled = [[float(grid[r:r + rows, c:c + cols].mean()) for c in range(0, grid.shape[1], cols)]
              for r in range(0, grid.shape[0], rows)]
    finite = arr[np.isfinite(arr)]
    low, high = (finite.min(), finite.max()) if finite.size else (math.nan, math.nan)
    return {"grid": [[_finite(round(v, 6)) for v in row] for row in pooled],
            "min": format_number(low, digits=4), "max": format_number(high, digits=4)}


def image_side(shape: tuple, is_data: bool) -> tuple | None:
    """(height, width) when an array's trailing dims look like images: (N, [C,] H, W)
    with H, W >= 4, or a batch of flattened square images fed in as data ((N, 64) is
    8 x 8 digits)."""
    if len(shape) >= 3 and shape[-1] >= 4 and shape[-2] >= 4:
        return shape[-2], shape[-1]
    if is_data and len(shape) == 2 and shape[1] >= 16 and math.isqrt(shape[1]) ** 2 == shape[1]:
        return math.isqrt(shape[1]), math.isqrt(shape[1])
    return None


def pictures(x, is_data: bool) -> dict | None:
    """{"side": [h, w], "images": up to 32 flat lists of pixels, "min", "max"} or None."""
    arr = np.asarray(x, dtype=np.float64)
    side = image_side(arr.shape, is_data)
    if side is None:
        return None
    flat = arr.reshape(-1, side[0] * side[1])[:MAX_PICTURES]
    return {"side": list(side), "count": int(arr.size // (side[0] * side[1])),
            "images": [[_finite(round(float(v), 3)) for v in image] for image in flat],
            "min": format_number(np.nanmin(flat), digits=4), "max": format_number(np.nanmax(flat), digits=4)}
