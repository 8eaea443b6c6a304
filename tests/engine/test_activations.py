"""Activations: derivatives against central finite differences, stability at |z| = 1000."""

import numpy as np
import pytest

from engine import activations as act

ELEMENTWISE = [name for name, a in act.ACTIVATIONS.items() if a.elementwise]
KINKED = {"relu", "leaky_relu", "elu"}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name):
    rng = np.random.default_rng(0)
    z = rng.uniform(-6, 6, size=(200, 3))
    if name in KINKED:
        z = z[np.all(np.abs(z) > 1e-3, axis=1)]
    a = act.ACTIVATIONS[name]
    h = 1e-6
    numeric = (a.value(z + h) - a.value(z - h)) / (2 * h)
    np.testing.assert_allclose(a.derivative(z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
def test_no_overflow_or_warning_for_large_inputs(name):
    z = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]])
    a = act.ACTIVATIONS[name]
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        value = a.value(z)
        deriv = a.jacobian(z) if not a.elementwise else a.derivative(z)
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(deriv))


def test_known_values():
    z = np.array([0.0, 1000.0, -1000.0])
    np.testing.assert_allclose(act.sigmoid(z), [0.5, 1.0, 0.0])
    np.testing.assert_allclose(act.softplus(np.array([1000.0])), [1000.0])
    assert act.relu_derivative(np.array([0.0]))[0] == 0.0
    assert act.leaky_relu_derivative(np.array([0.0]))[0] == act.LEAKY_SLOPE
    np.testing.assert_allclose(act.tanh_derivative(np.array([0.5])), 1 - np.tanh(0.5) ** 2)
    # the notes' wrong form 1 − σ² must not be what we compute
    assert not np.isclose(act.tanh_derivative(np.array([0.5]))[0], 1 - act.sigmoid(0.5) ** 2)


def test_softmax_jacobian_matches_finite_differences():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(5, 4))
    J = act.softmax_jacobian(z)
    h = 1e-6
    for j in range(4):
        e = np.zeros(4)
        e[j] = h
        col = (act.softmax(z + e) - act.softmax(z - e)) / (2 * h)
        np.testing.assert_allclose(J[:, :, j], col, atol=1e-9)
    np.testing.assert_allclose(act.softmax(z).sum(axis=1), 1.0)


def test_unknown_activation_names_the_allowed_ones():
    with pytest.raises(ValueError, match="allowed: sigmoid"):
        act.get("sigmoidd")
