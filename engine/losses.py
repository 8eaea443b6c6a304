"""Loss functions of one sample, batched: ``a`` (network output) and ``y`` (target) are (B, n).

``value(a, y)`` returns (B,) and ``grad(a, y)`` returns dLoss/da with shape (B, n).
Definitions follow the contract (n = number of outputs):

- half_sse = ½ Σ (a − y)²                      grad: a − y
- mse      = Σ (a − y)² / n                     grad: 2(a − y)/n
- mae      = Σ |a − y| / n                      grad: sign(a − y)/n   (0 where a = y)
- huber    = mean of ½r² (|r| ≤ 1), |r| − ½     grad: clip(r, −1, 1)/n, r = a − y, δ = 1
- bce      = −Σ [y ln a + (1 − y) ln(1 − a)]    grad: (a − y) / (a(1 − a))
- cce      = −Σ y ln a                          grad: −y / a
- hinge    = Σ max(0, 1 − y·a)                  grad: −y where 1 − y·a > 0, else 0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

HUBER_DELTA = 1.0
# ln(0) would give −inf: probabilities are kept this far inside (0, 1) when taking logs.
_PROB_EPS = 1e-15


def _clip_prob(a: np.ndarray) -> np.ndarray:
    return np.clip(a, _PROB_EPS, 1.0 - _PROB_EPS)


def half_sse(a, y):
    d = a - y
    return 0.5 * np.sum(d * d, axis=-1)


def half_sse_grad(a, y):
    return a - y


def mse(a, y):
    d = a - y
    return np.sum(d * d, axis=-1) / a.shape[-1]


def mse_grad(a, y):
    return 2.0 * (a - y) / a.shape[-1]


def mae(a, y):
    return np.sum(np.abs(a - y), axis=-1) / a.shape[-1]


def mae_grad(a, y):
    return np.sign(a - y) / a.shape[-1]


def huber(a, y):
    r = np.abs(a - y)
    per_output = np.where(r <= HUBER_DELTA, 0.5 * r * r, HUBER_DELTA * (r - 0.5 * HUBER_DELTA))
    return np.mean(per_output, axis=-1)


def huber_grad(a, y):
    return np.clip(a - y, -HUBER_DELTA, HUBER_DELTA) / a.shape[-1]


def bce(a, y):
    p = _clip_prob(a)
    return -np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p), axis=-1)


def bce_grad(a, y):
    p = _clip_prob(a)
    return (p - y) / (p * (1.0 - p))


def cce(a, y):
    return -np.sum(y * np.log(_clip_prob(a)), axis=-1)


def cce_grad(a, y):
    return -y / _clip_prob(a)


def hinge(a, y):
    return np.sum(np.maximum(0.0, 1.0 - y * a), axis=-1)


def hinge_grad(a, y):
    return np.where(1.0 - y * a > 0, -y, 0.0)


@dataclass(frozen=True)
class Loss:
    name: str
    value: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    targets: str  # "real" (regression), "binary" {0,1}, "sign" {−1,+1}, "onehot"
    reduction: str = "sum"  # how the per-output terms combine: "sum", or "mean" over the n outputs


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("half_sse", half_sse, half_sse_grad, "real"),
        Loss("mse", mse, mse_grad, "real", "mean"),
        Loss("mae", mae, mae_grad, "real", "mean"),
        Loss("huber", huber, huber_grad, "real", "mean"),
        Loss("bce", bce, bce_grad, "binary"),
        Loss("cce", cce, cce_grad, "onehot"),
        Loss("hinge", hinge, hinge_grad, "sign"),
    )
}


def get(name: str) -> Loss:
    """The loss called ``name``; ValueError naming the allowed ones otherwise."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r} (allowed: {', '.join(LOSSES)})") from None
