"""Seeded 2-D toy data sets for the playground, and their labels as network targets.

A data set is P points (P, 2) with a class 0 or 1 each. Class 1 is: xor — x·y > 0; circles —
r < 0.5; moons — the inner (lower) half circle; spiral — the second arm; gauss — the Gaussian around
(1, 1). ``noise`` is the standard deviation of a Gaussian jitter added to every coordinate after the
class is decided, so with noise some points sit on the wrong side of the true boundary.

Targets follow the contract: 0/1 for a sigmoid (or any single-unit) output, ±1 for the hinge loss,
one-hot over 2 units for a softmax output. Accuracy counts output > 0.5, sign, or argmax accordingly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DATASETS: tuple[str, ...] = ("xor", "circles", "moons", "spiral", "gauss")
CIRCLE_RADIUS = 0.5
SPIRAL_TURNS = 1.75  # turns of each arm (TensorFlow Playground's spiral)
GAUSS_CENTRE = 1.0  # the Gaussians sit at ±(1, 1)
GAUSS_STD = 0.4

# The box each data set fills without noise: (x_min, x_max, y_min, y_max).
_NOMINAL_EXTENT: dict[str, tuple[float, float, float, float]] = {
    "xor": (-1.0, 1.0, -1.0, 1.0),
    "circles": (-1.0, 1.0, -1.0, 1.0),
    "moons": (-1.5, 1.5, -1.0, 1.0),
    "spiral": (-1.0, 1.0, -1.0, 1.0),
    "gauss": (-2.0, 2.0, -2.0, 2.0),
}

#: How targets encode a class: "binary" 0/1 (one unit), "sign" ±1 (one unit), "onehot" (two units).
TARGET_KINDS: tuple[str, ...] = ("binary", "sign", "onehot")


@dataclass(frozen=True)
class Dataset:
    """points (P, 2) float64; classes (P,) int64 in {0, 1}; extent (x_min, x_max, y_min, y_max):
    a box around every point with a margin, for drawing a decision grid."""

    name: str
    points: np.ndarray
    classes: np.ndarray
    extent: tuple[float, float, float, float]


def make(name: str, points: int, noise: float, rng: np.random.Generator) -> Dataset:
    """Draw ``points`` points of data set ``name`` from ``rng`` (same rng state, same data)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r} (allowed: {', '.join(DATASETS)})")
    if name in ("xor", "circles"):
        xy = rng.uniform(-1.0, 1.0, size=(points, 2))
        if name == "xor":
            classes = (xy[:, 0] * xy[:, 1] > 0).astype(np.int64)
        else:
            classes = (np.hypot(xy[:, 0], xy[:, 1]) < CIRCLE_RADIUS).astype(np.int64)
    else:
        # Balanced classes in random order, so a mini-batch sees both.
        classes = rng.permutation(np.arange(points, dtype=np.int64) % 2)
        xy = _CLASS_POINTS[name](classes, rng)
    if noise > 0:
        xy = xy + rng.normal(0.0, noise, size=xy.shape)
    return Dataset(name, xy, classes, _extent(_NOMINAL_EXTENT[name], xy))


def _moons(classes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Upper half circle (class 0) and the lower one shifted into it (class 1), centred on 0."""
    t = rng.uniform(0.0, np.pi, size=classes.shape)
    x = np.where(classes == 0, np.cos(t), 1.0 - np.cos(t)) - 0.5
    y = np.where(classes == 0, np.sin(t), 0.5 - np.sin(t)) - 0.25
    return np.column_stack([x, y])


def _spiral(classes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two arms r ∈ [0, 1), angle 2π·turns·r, the second arm turned by π."""
    r = rng.uniform(0.0, 1.0, size=classes.shape)
    angle = 2.0 * np.pi * SPIRAL_TURNS * r + np.pi * classes
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)])


def _gauss(classes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    centre = np.where(classes == 1, GAUSS_CENTRE, -GAUSS_CENTRE)[:, None]
    return centre + rng.normal(0.0, GAUSS_STD, size=(classes.size, 2))


_CLASS_POINTS = {"moons": _moons, "spiral": _spiral, "gauss": _gauss}


def _extent(nominal, xy: np.ndarray, margin: float = 0.1) -> tuple[float, float, float, float]:
    """The nominal box grown to hold every point, plus ``margin`` of its span on each side."""
    lo = np.minimum([nominal[0], nominal[2]], xy.min(axis=0, initial=np.inf))
    hi = np.maximum([nominal[1], nominal[3]], xy.max(axis=0, initial=-np.inf))
    pad = margin * (hi - lo)
    lo, hi = lo - pad, hi + pad
    return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))


def target_kind(output_activation: str, loss: str) -> str:
    """How classes become targets: "onehot" for a softmax output, "sign" for hinge, else "binary"."""
    if output_activation == "softmax":
        return "onehot"
    return "sign" if loss == "hinge" else "binary"


def output_units(kind: str) -> int:
    """The number of output units a target kind needs (2 for one-hot, else 1)."""
    return 2 if kind == "onehot" else 1


def encode(classes: np.ndarray, kind: str) -> np.ndarray:
    """Targets (P, 1) for "binary" (0/1) and "sign" (−1/+1), (P, 2) one-hot for "onehot"."""
    c = np.asarray(classes)
    if kind == "onehot":
        return np.eye(2)[c]
    if kind == "sign":
        return (2.0 * c - 1.0)[:, None]
    return c.astype(float)[:, None]


def predicted_classes(output: np.ndarray, kind: str) -> np.ndarray:
    """Classes (P,) from network outputs (P, n): argmax, sign (> 0) or output > 0.5; −1 (never
    right) where an output is not finite, so a diverged network scores 0, not a coin toss."""
    if kind == "onehot":
        predicted = np.argmax(output, axis=-1)
    else:
        predicted = (output[:, 0] > (0.0 if kind == "sign" else 0.5)).astype(np.int64)
    return np.where(np.all(np.isfinite(output), axis=-1), predicted, -1)


def class_score(output: np.ndarray, kind: str) -> np.ndarray:
    """One number per point (P,) that is above ``threshold(kind)`` exactly where class 1 is
    predicted: the output itself, or the class-1 probability of a softmax output."""
    return output[:, 1] if kind == "onehot" else output[:, 0]


def threshold(kind: str) -> float:
    """The value of ``class_score`` at the decision boundary."""
    return 0.0 if kind == "sign" else 0.5
