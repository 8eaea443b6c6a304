"""Forward and backward propagation for fully connected networks, batched over exercises.

Notation of the notes: layer m = 1..L has N^m units; a^0 = x is the input.

    z^m = W^m a^(m−1) + b^m            W^m: (N^m, N^(m−1)),  b^m: (N^m,)
    a^m = f^m(z^m)
    δ^L = ∂Loss/∂z^L = f′(z^L) ⊙ ∂Loss/∂a^L       (softmax: Jᵀ ∂Loss/∂a)
    δ^m = f′(z^m) ⊙ (W^(m+1))ᵀ δ^(m+1)
    ∂Loss/∂W^m = δ^m (a^(m−1))ᵀ,   ∂Loss/∂b^m = δ^m
    W^m ← W^m − η ∂Loss/∂W^m,      b^m ← b^m − η ∂Loss/∂b^m

Every array carries a leading batch axis B (one exercise = one sample), so W^m is (B, N^m, N^(m−1))
and z^m, a^m, δ^m, b^m are (B, N^m). Functions return new arrays and never modify their inputs.
The per-step functions (layer_forward, output_delta, hidden_delta, weight_gradient) are public so that
a grader can recompute any single step from a student's own earlier answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import activations as _act
from engine import losses as _loss


def layer_forward(W: np.ndarray, b: np.ndarray, a_prev: np.ndarray, activation: str):
    """One layer: W (B, N^m, N^(m−1)), b (B, N^m), a_prev (B, N^(m−1)) → (z, a), each (B, N^m)."""
    z = np.sum(W * a_prev[:, None, :], axis=-1) + b
    return z, _act.get(activation).value(z)


def output_delta(
    z: np.ndarray, a: np.ndarray, y: np.ndarray, output_activation: str, loss: str
) -> np.ndarray:
    """δ^L = ∂Loss/∂z^L, (B, N^L), from z^L, a^L and the target y (all (B, N^L)).

    Uses the exact shortcuts a − y for sigmoid + bce and a·Σy − y for softmax + cce (= a − y for a
    one-hot target): they are the same numbers as the chain rule but without dividing by a(1 − a).
    """
    if output_activation == "sigmoid" and loss == "bce":
        return a - y
    if output_activation == "softmax" and loss == "cce":
        return a * np.sum(y, axis=-1, keepdims=True) - y
    grad_a = _loss.get(loss).grad(a, y)
    act = _act.get(output_activation)
    if act.elementwise:
        return act.elementwise_derivative(z) * grad_a
    # softmax: δ_j = Σ_i ∂Loss/∂a_i · ∂a_i/∂z_j = Σ_i g_i a_i (δ_ij − a_j) = a_j (g_j − Σ_i g_i a_i)
    return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


def hidden_delta(
    W_next: np.ndarray, delta_next: np.ndarray, z: np.ndarray, activation: str
) -> np.ndarray:
    """δ^m = f′(z^m) ⊙ (W^(m+1))ᵀ δ^(m+1).

    W_next: (B, N^(m+1), N^m), delta_next: (B, N^(m+1)), z: (B, N^m) → (B, N^m).
    """
    back = np.sum(W_next * delta_next[:, :, None], axis=1)
    return _act.get(activation).elementwise_derivative(z) * back


def weight_gradient(delta: np.ndarray, a_prev: np.ndarray):
    """∂Loss/∂W^m = δ^m (a^(m−1))ᵀ: (B, N^m, N^(m−1)); ∂Loss/∂b^m = δ^m: (B, N^m)."""
    return delta[:, :, None] * a_prev[:, None, :], np.array(delta, copy=True)


def forward(weights, biases, x, activation: str, output_activation: str):
    """Forward pass. weights[m−1]: (B, N^m, N^(m−1)), biases[m−1]: (B, N^m), x: (B, N^0).

    Returns (z, a): lists over layers m = 1..L of (B, N^m) arrays (the input is not repeated in a).
    """
    zs, as_ = [], []
    a = np.asarray(x, dtype=float)
    last = len(weights) - 1
    for m, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z, a = layer_forward(W, b, a, output_activation if m == last else activation)
        zs.append(z)
        as_.append(a)
    return zs, as_


@dataclass(frozen=True)
class BackpropResult:
    """Everything a worked example shows; lists are per layer m = 1..L, arrays batched (B, ...)."""

    z: list[np.ndarray]
    a: list[np.ndarray]
    loss: np.ndarray  # (B,)
    delta: list[np.ndarray]  # ∂Loss/∂z^m
    grad_weights: list[np.ndarray]
    grad_biases: list[np.ndarray]
    updated_weights: list[np.ndarray]
    updated_biases: list[np.ndarray]


def backprop(
    weights,
    biases,
    x,
    y,
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    loss: str = "half_sse",
    learning_rate: float = 0.1,
) -> BackpropResult:
    """Forward pass, loss, deltas, gradients and one SGD step for a batch of single-sample exercises.

    weights[m−1]: (B, N^m, N^(m−1)); biases[m−1]: (B, N^m); x: (B, N^0); y: (B, N^L).
    """
    weights = [np.asarray(W, dtype=float) for W in weights]
    biases = [np.asarray(b, dtype=float) for b in biases]
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    zs, as_ = forward(weights, biases, x, activation, output_activation)
    L = len(weights)
    # backwards from the output: δ^L, then δ^m from δ^(m+1); stored in layer order δ^1 .. δ^L
    deltas = [output_delta(zs[-1], as_[-1], y, output_activation, loss)]
    for m in range(L - 2, -1, -1):
        deltas.append(hidden_delta(weights[m + 1], deltas[-1], zs[m], activation))
    deltas.reverse()
    grads_w, grads_b = [], []
    for m in range(L):
        gw, gb = weight_gradient(deltas[m], x if m == 0 else as_[m - 1])
        grads_w.append(gw)
        grads_b.append(gb)
    return BackpropResult(
        z=zs,
        a=as_,
        loss=_loss.get(loss).value(as_[-1], y),
        delta=deltas,
        grad_weights=grads_w,
        grad_biases=grads_b,
        updated_weights=[W - learning_rate * g for W, g in zip(weights, grads_w, strict=True)],
        updated_biases=[b - learning_rate * g for b, g in zip(biases, grads_b, strict=True)],
    )


def loss_of_params(weights, biases, x, y, activation, output_activation, loss) -> np.ndarray:
    """The loss (B,) of the forward pass alone (used to check gradients by finite differences)."""
    _, as_ = forward(weights, biases, x, activation, output_activation)
    return _loss.get(loss).value(as_[-1], np.asarray(y, dtype=float))
