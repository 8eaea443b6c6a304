"""A contour picture of a test surface with optimizer paths drawn on it (shown with
:class:`HalfBlockImage`).

The surface is drawn as filled bands of grey, darker where f is lower, each band holding the same
share of the picture (levels at quantiles of f): that works for every surface, whatever its range
(the saddle goes below zero, Rosenbrock spans six decades). Paths are drawn over it as coloured
lines of pixels, one colour per optimizer, clipped to the picture.
"""

from __future__ import annotations

import numpy as np

from studyapp.ui.widgets.heatmap import pixel_coordinates

#: A colour per optimizer (bright, to stand out on the grey bands).
OPTIMIZER_RGB: dict[str, tuple[int, int, int]] = {
    "sgd": (255, 85, 85),
    "momentum": (255, 170, 40),
    "nesterov": (240, 230, 60),
    "adagrad": (80, 220, 100),
    "adadelta": (60, 220, 220),
    "rmsprop": (90, 160, 255),
    "adam": (210, 120, 255),
    "adamw": (255, 120, 200),
}
#: The darkest band (lowest f) and the lightest.
LOW_RGB = np.array([24, 26, 34], dtype=float)
HIGH_RGB = np.array([122, 124, 136], dtype=float)
BANDS = 12


def contour_image(values: np.ndarray, bands: int = BANDS) -> np.ndarray:
    """An RGB image (ny, nx, 3) uint8 of f on a grid ``values`` (ny, nx) with ys ascending (as
    ``surfaces.grid`` gives it): ``bands`` grey bands from dark (low f) to light; row 0 is the top.
    Non-finite values are drawn as the lightest band."""
    f = np.asarray(values, dtype=float)[::-1]
    finite = np.isfinite(f)
    if not finite.any():
        return np.broadcast_to(HIGH_RGB.astype(np.uint8), (*f.shape, 3)).copy()
    levels = np.quantile(f[finite], np.linspace(0.0, 1.0, bands + 1)[1:-1])
    band = np.where(finite, np.searchsorted(levels, np.where(finite, f, 0.0)), bands - 1)
    t = (band / max(1, bands - 1))[..., None]
    return (LOW_RGB + t * (HIGH_RGB - LOW_RGB)).astype(np.uint8)


def _clip_segments(p0: np.ndarray, p1: np.ndarray, width: int, height: int):
    """Liang–Barsky: the parts of segments p0 → p1 (S, 2) inside the box [−0.5, width − 0.5] ×
    [−0.5, height − 0.5]; returns (q0, q1) of the segments that cross it."""
    lo = np.array([-0.5, -0.5])
    hi = np.array([width - 0.5, height - 0.5])
    d = p1 - p0
    t0 = np.zeros(len(p0))
    t1 = np.ones(len(p0))
    keep = np.ones(len(p0), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis in (0, 1):
            for edge, sign in ((lo[axis], -1.0), (hi[axis], 1.0)):
                p = sign * d[:, axis]
                q = sign * (edge - p0[:, axis])
                parallel = p == 0
                keep &= ~(parallel & (q < 0))
                t = q / np.where(parallel, 1.0, p)
                t0 = np.where(~parallel & (p < 0), np.maximum(t0, t), t0)
                t1 = np.where(~parallel & (p > 0), np.minimum(t1, t), t1)
    keep &= t0 <= t1
    return (p0 + t0[:, None] * d)[keep], (p0 + t1[:, None] * d)[keep]


def path_pixels(path, extent, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the pixels a polyline ``path`` ((n, 2) points in surface coordinates)
    covers in a ``width`` × ``height`` image of ``extent``, one pixel per unit of length along
    each segment; parts outside the image are left out."""
    points = np.asarray(path, dtype=float).reshape(-1, 2)
    if len(points) == 0:
        return np.empty(0, int), np.empty(0, int)
    at = pixel_coordinates(points, extent, width, height)
    if len(at) == 1:
        q0 = q1 = at
    else:
        q0, q1 = _clip_segments(at[:-1], at[1:], width, height)
    counts = np.maximum(1, np.ceil(np.abs(q1 - q0).max(axis=1, initial=0.0)).astype(int)) + 1
    segment = np.repeat(np.arange(len(q0)), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    t = (offset / np.maximum(1, counts - 1)[segment])[:, None]
    samples = np.rint(q0[segment] + t * (q1 - q0)[segment]).astype(int)
    inside = (
        (samples[:, 0] >= 0)
        & (samples[:, 0] < width)
        & (samples[:, 1] >= 0)
        & (samples[:, 1] < height)
    )
    return samples[inside, 1], samples[inside, 0]


def draw_paths(image: np.ndarray, paths: dict[str, list], extent) -> np.ndarray:
    """A copy of ``image`` (h, w, 3) with each optimizer's path drawn in its colour, in the
    order given (later ones on top)."""
    out = image.copy()
    height, width = out.shape[:2]
    for name, path in paths.items():
        rows, cols = path_pixels(path, extent, width, height)
        out[rows, cols] = OPTIMIZER_RGB.get(name, (255, 255, 255))
    return out
