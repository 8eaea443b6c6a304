"""Backprop against finite differences for every valid activation × loss, and against the notes'
worked example derived by hand."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import activations as act
from engine import losses as los
from engine import network as net
from engine.exercises import OptionError, draw_backprop, validate_backprop_options


def _valid(hidden, output, loss, layers):
    try:
        validate_backprop_options(layers, hidden, output, loss, 2, 0.1)
    except OptionError:
        return False
    return True


def _near_kink(batch, res, hidden, output, loss) -> bool:
    """True when some value sits so close to a kink that a finite difference straddles it."""
    kinked = {"relu", "leaky_relu", "elu"}
    zs = [z for m, z in enumerate(res.z) if (output if m == len(res.z) - 1 else hidden) in kinked]
    if any(np.any(np.abs(z) < 1e-4) for z in zs):
        return True
    a, y = res.a[-1], batch.target
    if loss == "mae" and np.any(np.abs(a - y) < 1e-4):
        return True
    if loss == "huber" and np.any(np.abs(np.abs(a - y) - 1) < 1e-4):
        return True
    return loss == "hinge" and bool(np.any(np.abs(1 - y * a) < 1e-4))


COMBOS = [
    (h, o, loss)
    for h in act.HIDDEN_ACTIVATIONS
    for o in act.OUTPUT_ACTIVATIONS
    for loss in los.LOSSES
    if _valid(h, o, loss, [2, 3, 2])
]


def test_every_valid_combination_is_covered():
    assert len(COMBOS) >= 8 * 7  # all hidden × (most outputs) × losses
    assert ("tanh", "softmax", "cce") in COMBOS and ("sigmoid", "sigmoid", "bce") in COMBOS


@pytest.mark.parametrize("hidden,output,loss", COMBOS)
@settings(max_examples=4, deadline=None)
@given(layers=st.lists(st.integers(1, 4), min_size=2, max_size=4), seed=st.integers(0, 2**31))
def test_gradients_match_finite_differences(hidden, output, loss, layers, seed):
    if output == "softmax" and layers[-1] < 2:
        layers = [*layers[:-1], 2]
    batch = draw_backprop(seed, 6, layers, loss, output, decimals=6)
    res = net.backprop(batch.weights, batch.biases, batch.x, batch.target, hidden, output, loss)
    if _near_kink(batch, res, hidden, output, loss):
        return
    h = 1e-6

    def loss_with(weights, biases):
        return net.loss_of_params(weights, biases, batch.x, batch.target, hidden, output, loss)

    for m, W in enumerate(batch.weights):
        for j, k in np.ndindex(W.shape[1:]):
            plus = [w.copy() for w in batch.weights]
            minus = [w.copy() for w in batch.weights]
            plus[m][:, j, k] += h
            minus[m][:, j, k] -= h
            numeric = (loss_with(plus, batch.biases) - loss_with(minus, batch.biases)) / (2 * h)
            np.testing.assert_allclose(res.grad_weights[m][:, j, k], numeric, rtol=1e-4, atol=1e-6)
    for m, b in enumerate(batch.biases):
        for j in range(b.shape[1]):
            plus = [v.copy() for v in batch.biases]
            minus = [v.copy() for v in batch.biases]
            plus[m][:, j] += h
            minus[m][:, j] -= h
            numeric = (loss_with(batch.weights, plus) - loss_with(batch.weights, minus)) / (2 * h)
            np.testing.assert_allclose(res.grad_biases[m][:, j], numeric, rtol=1e-4, atol=1e-6)


def test_notes_worked_example_by_hand():
    """x = (0.5, 0.8), y = 1, W¹ = [[0.2, 0.4], [0.3, 0.7]], b¹ = (0.1, 0.2), W² = [0.5, 0.6],
    b² = 0.3, sigmoid everywhere, J = ½(a − y)², derived with scalar arithmetic only."""
    s = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    z1 = [0.2 * 0.5 + 0.4 * 0.8 + 0.1, 0.3 * 0.5 + 0.7 * 0.8 + 0.2]  # 0.52, 0.91
    a1 = [s(z1[0]), s(z1[1])]
    z2 = 0.5 * a1[0] + 0.6 * a1[1] + 0.3
    a2 = s(z2)
    J = 0.5 * (a2 - 1) ** 2
    d2 = (a2 - 1) * a2 * (1 - a2)
    d1 = [a1[0] * (1 - a1[0]) * 0.5 * d2, a1[1] * (1 - a1[1]) * 0.6 * d2]
    x = [0.5, 0.8]

    res = net.backprop(
        [np.array([[[0.2, 0.4], [0.3, 0.7]]]), np.array([[[0.5, 0.6]]])],
        [np.array([[0.1, 0.2]]), np.array([[0.3]])],
        np.array([[0.5, 0.8]]),
        np.array([[1.0]]),
    )
    np.testing.assert_allclose(res.z[0][0], z1)
    np.testing.assert_allclose(res.z[0][0], [0.52, 0.91])
    np.testing.assert_allclose(res.a[1][0, 0], a2)
    assert round(a2, 3) == 0.739 and round(J, 4) == 0.0340 and round(d2, 4) == -0.0503
    np.testing.assert_allclose(res.loss[0], J)
    np.testing.assert_allclose(res.delta[1][0], [d2])
    np.testing.assert_allclose(res.grad_weights[1][0], [[d2 * a1[0], d2 * a1[1]]])
    np.testing.assert_allclose(np.round(res.grad_weights[1][0], 4), [[-0.0315, -0.0359]])
    np.testing.assert_allclose(
        res.grad_weights[0][0], [[d1[j] * x[k] for k in range(2)] for j in range(2)]
    )
    np.testing.assert_allclose(res.updated_biases[1][0], [0.3 - 0.1 * d2])


def test_backprop_does_not_mutate_inputs():
    batch = draw_backprop(3, 4, [3, 2, 2])
    before = [w.copy() for w in batch.weights] + [b.copy() for b in batch.biases]
    net.backprop(batch.weights, batch.biases, batch.x, batch.target)
    for old, new in zip(before, batch.weights + batch.biases, strict=True):
        np.testing.assert_array_equal(old, new)


def test_softmax_delta_with_any_loss_uses_the_jacobian():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(3, 4))
    a = act.softmax(z)
    y = rng.uniform(size=(3, 4))
    delta = net.output_delta(z, a, y, "softmax", "half_sse")
    expected = np.einsum("bij,bi->bj", act.softmax_jacobian(z), a - y)
    np.testing.assert_allclose(delta, expected)
