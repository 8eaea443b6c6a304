"""Activation functions with their derivatives, vectorized and numerically stable.

Every function takes ``z`` of any shape (usually ``(B, N)``: B exercises, N units) and returns a new
array of the same shape. No function overflows or warns for ``|z|`` up to 1000 (and far beyond):
exponentials are only ever taken of non-positive numbers.

``softmax`` is not element-wise: its derivative is the Jacobian ``da_i/dz_j = a_i (δ_ij − a_j)``,
given by :func:`softmax_jacobian` with shape ``(B, N, N)``; it is allowed only on the output layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01  # leaky_relu's slope for z < 0 (and its derivative at z = 0, per the contract)
ELU_ALPHA = 1.0


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed from e^(−|z|) so that it never overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """σ′(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """tanh′(z) = 1 − tanh²(z) (the notes write 1 − σ², which is wrong; see errata)."""
    t = np.tanh(np.asarray(z, dtype=float))
    return 1.0 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 for z > 0, else 0 (0 at the kink z = 0, by convention)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


def leaky_relu(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 for z > 0, else the slope (also at z = 0)."""
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, LEAKY_SLOPE)


def elu(z: np.ndarray) -> np.ndarray:
    """z for z > 0, α(e^z − 1) otherwise (α = 1)."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def elu_derivative(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(z, 0.0)))


def softplus(z: np.ndarray) -> np.ndarray:
    """ln(1 + e^z), as logaddexp(0, z) so that large z gives z instead of inf."""
    return np.logaddexp(0.0, np.asarray(z, dtype=float))


def swish(z: np.ndarray) -> np.ndarray:
    """z·σ(z)."""
    z = np.asarray(z, dtype=float)
    return z * sigmoid(z)


def swish_derivative(z: np.ndarray) -> np.ndarray:
    """σ(z) + z·σ(z)(1 − σ(z))."""
    z = np.asarray(z, dtype=float)
    s = sigmoid(z)
    return s + z * s * (1.0 - s)


def linear(z: np.ndarray) -> np.ndarray:
    return np.array(z, dtype=float, copy=True)


def linear_derivative(z: np.ndarray) -> np.ndarray:
    return np.ones_like(np.asarray(z, dtype=float))


def softmax(z: np.ndarray) -> np.ndarray:
    """softmax over the last axis; the max is subtracted first so e^(·) never overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_jacobian(z: np.ndarray) -> np.ndarray:
    """J[..., i, j] = ∂a_i/∂z_j = a_i (δ_ij − a_j).  z: (B, N) → J: (B, N, N) (symmetric)."""
    a = softmax(z)
    return a[..., :, None] * (np.eye(a.shape[-1]) - a[..., None, :])


@dataclass(frozen=True)
class Activation:
    """An activation: ``value(z)`` and, when element-wise, ``derivative(z)`` (= da/dz, same shape).

    For softmax, ``elementwise`` is False and ``jacobian(z)`` gives (B, N, N).
    """

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray] | None
    elementwise: bool = True
    jacobian: Callable[[np.ndarray], np.ndarray] | None = None
    output_only: bool = False

    def elementwise_derivative(self, z: np.ndarray) -> np.ndarray:
        """f′(z) = da/dz, same shape as z; ValueError for softmax, whose derivative is
        ``jacobian(z)``."""
        if self.derivative is None:
            raise ValueError(f"{self.name} is not element-wise: its derivative is a Jacobian")
        return self.derivative(z)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", sigmoid, sigmoid_derivative),
        Activation("tanh", tanh, tanh_derivative),
        Activation("relu", relu, relu_derivative),
        Activation("leaky_relu", leaky_relu, leaky_relu_derivative),
        Activation("elu", elu, elu_derivative),
        Activation("softplus", softplus, sigmoid),
        Activation("swish", swish, swish_derivative),
        Activation("linear", linear, linear_derivative),
        Activation(
            "softmax", softmax, None, elementwise=False, jacobian=softmax_jacobian, output_only=True
        ),
    )
}

HIDDEN_ACTIVATIONS = tuple(name for name, a in ACTIVATIONS.items() if not a.output_only)
OUTPUT_ACTIVATIONS = tuple(ACTIVATIONS)

# The range of each activation's output, used to draw regression targets the output can reach.
OUTPUT_RANGE: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0),
    "softmax": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "relu": (0.0, 1.0),
    "softplus": (0.0, 1.0),
    "leaky_relu": (-1.0, 1.0),
    "elu": (-1.0, 1.0),
    "swish": (-0.25, 1.0),
    "linear": (-1.0, 1.0),
}


def get(name: str) -> Activation:
    """The activation called ``name``; ValueError naming the allowed ones otherwise."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r} (allowed: {', '.join(ACTIVATIONS)})"
        ) from None
