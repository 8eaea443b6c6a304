"""The decision boundary as a picture: the network's class score on a grid, coloured by class
and confidence, with the data points on top (shown with :class:`HalfBlockImage`).

Colours follow TensorFlow Playground: orange for class 0, blue for class 1; the background is
pale where the network is unsure and deeper where it is confident, the points are saturated.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

#: Saturated colours of the data points of class 0 and 1.
POINT_RGB = np.array([[232, 113, 10], [11, 94, 168]], dtype=np.uint8)
#: Background where the network is sure of class 0 and of class 1, and where it is unsure.
SURE_RGB = np.array([[246, 190, 128], [128, 184, 228]], dtype=float)
UNSURE_RGB = np.array([236, 236, 236], dtype=float)
#: Non-finite scores (a diverged network).
INVALID_RGB = np.array([110, 110, 110], dtype=np.uint8)
#: Confidence is drawn in this many steps per class (fewer colours: faster drawing).
SHADES = 12


def confidence(score: np.ndarray, threshold: float) -> np.ndarray:
    """The score as a confidence in [−1, 1]: −1 sure of class 0, 1 sure of class 1, 0 on the
    boundary. A probability (threshold 0.5) maps linearly; a signed score (threshold 0) through
    tanh. Non-finite scores stay non-finite."""
    score = np.asarray(score, dtype=float)
    with np.errstate(invalid="ignore"):
        if threshold == 0.5:
            return np.clip(2.0 * (score - 0.5), -1.0, 1.0)
        return np.tanh(score - threshold)


def pixel_coordinates(points: ArrayLike, extent, width: int, height: int) -> np.ndarray:
    """Float (col, row) image coordinates (N, 2) of points (N, 2) for an image of ``width`` ×
    ``height`` pixels whose pixel centres span ``extent`` (x0, x1, y0, y1); row 0 is the top."""
    x0, x1, y0, y1 = extent
    xy = np.asarray(points, dtype=float)
    col = (xy[:, 0] - x0) / (x1 - x0) * (width - 1)
    row = (y1 - xy[:, 1]) / (y1 - y0) * (height - 1)
    return np.column_stack([col, row])


def decision_image(
    score: np.ndarray,
    threshold: float,
    points: np.ndarray,
    classes: np.ndarray,
    extent,
) -> np.ndarray:
    """An RGB image (ny, nx, 3) uint8 of a decision grid with the data points drawn on it.

    ``score`` (ny, nx) is the class score at pixel centres with ys ascending (as
    ``Trainer.decision_grid`` gives it); class 1 where score > threshold. ``points`` (P, 2) and
    ``classes`` (P,) are the data; ``extent`` the grid's box. Row 0 of the image is the top (y max).
    """
    c = confidence(score, threshold)[::-1]  # image rows run downwards
    finite = np.isfinite(c)
    level = np.round(np.abs(np.where(finite, c, 0.0)) * SHADES) / SHADES
    sure = np.where((c > 0)[..., None], SURE_RGB[1], SURE_RGB[0])
    image = UNSURE_RGB + level[..., None] * (sure - UNSURE_RGB)
    image = np.where(finite[..., None], image, INVALID_RGB).astype(np.uint8)
    ny, nx = score.shape
    if len(points):
        at = np.rint(pixel_coordinates(points, extent, nx, ny)).astype(int)
        inside = (at[:, 0] >= 0) & (at[:, 0] < nx) & (at[:, 1] >= 0) & (at[:, 1] < ny)
        image[at[inside, 1], at[inside, 0]] = POINT_RGB[np.asarray(classes)[inside]]
    return image
