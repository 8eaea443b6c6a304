"""Test surfaces for the optimizer race: f(x, y), its analytic gradient and a default start.

``f`` and ``grad`` take x and y as floats or as arrays of one shape (element-wise), so the same
functions give a path's values and a contour grid. ``extent`` (x_min, x_max, y_min, y_max) is a box
that shows the start and the minimum, for drawing; ``minimum`` is the global minimiser (None for the
saddle, which has none).

    quadratic   f = ½(x² + 20y²)            a ravine: 20× steeper across than along
    rosenbrock  f = (1 − x)² + 100(y − x²)²  a curved valley, minimum (1, 1)
    saddle      f = x² − y²                  a saddle point at 0, unbounded below along y
    beale       f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum (3, 0.5)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.exercises import OptionError


def _quadratic(x, y):
    return 0.5 * (x * x + 20.0 * y * y)


def _quadratic_grad(x, y):
    return x, 20.0 * y


def _rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(x, y):
    return -2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)


def _saddle(x, y):
    return x * x - y * y


def _saddle_grad(x, y):
    return 2.0 * x, -2.0 * y


def _beale_terms(x, y):
    return 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y**3


def _beale(x, y):
    a, b, c = _beale_terms(x, y)
    return a * a + b * b + c * c


def _beale_grad(x, y):
    a, b, c = _beale_terms(x, y)
    dx = 2.0 * (a * (y - 1.0) + b * (y * y - 1.0) + c * (y**3 - 1.0))
    dy = 2.0 * x * (a + 2.0 * b * y + 3.0 * c * y * y)
    return dx, dy


@dataclass(frozen=True)
class Surface:
    name: str
    f: Callable
    grad: Callable  # (x, y) -> (∂f/∂x, ∂f/∂y)
    start: tuple[float, float]
    extent: tuple[float, float, float, float]
    minimum: tuple[float, float] | None
    formula: str


SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface(
            "quadratic",
            _quadratic,
            _quadratic_grad,
            (-4.0, 2.0),
            (-5.0, 5.0, -2.5, 2.5),
            (0.0, 0.0),
            "f = ½(x² + 20y²)",
        ),
        Surface(
            "rosenbrock",
            _rosenbrock,
            _rosenbrock_grad,
            (-1.5, 2.0),
            (-2.0, 2.0, -1.0, 3.0),
            (1.0, 1.0),
            "f = (1 − x)² + 100(y − x²)²",
        ),
        Surface(
            "saddle",
            _saddle,
            _saddle_grad,
            (-2.0, 0.001),
            (-2.5, 2.5, -2.5, 2.5),
            None,
            "f = x² − y²",
        ),
        Surface(
            "beale",
            _beale,
            _beale_grad,
            (1.0, 1.5),
            (-4.5, 4.5, -4.5, 4.5),
            (3.0, 0.5),
            "f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        ),
    )
}


def get(name: str) -> Surface:
    """The surface called ``name``; OptionError (a ValueError) naming the allowed ones otherwise."""
    try:
        return SURFACES[name]
    except KeyError:
        raise OptionError(
            "--surface", f"unknown surface {name!r} (allowed: {', '.join(SURFACES)})"
        ) from None


def grid(surface: Surface, nx: int, ny: int, extent=None):
    """f on an ny × nx grid over ``extent`` (default the surface's): (xs (nx,), ys (ny,), F (ny, nx))
    with F[i, j] = f(xs[j], ys[i]) and ys ascending, for a contour plot."""
    x0, x1, y0, y1 = extent or surface.extent
    xs, ys = np.linspace(x0, x1, nx), np.linspace(y0, y1, ny)
    return xs, ys, surface.f(xs[None, :], ys[:, None])
