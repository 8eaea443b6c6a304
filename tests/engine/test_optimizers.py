"""Optimizer steps against a scalar re-derivation of each rule in the contract's table."""

import math

import numpy as np
import pytest

from engine import optimizers as opt


def scalar_step(name, p, g, s, h, t):
    """The contract table, one parameter at a time, in plain Python floats."""
    if name == "sgd":
        return p - h["lr"] * g, {}
    if name in ("momentum", "nesterov"):
        v = h["gamma"] * s["velocity"] - h["lr"] * g
        return p + v, {"velocity": v}
    if name == "adagrad":
        G = s["G"] + g * g
        return p - h["lr"] * g / math.sqrt(G + h["eps"]), {"G": G}
    if name == "adadelta":
        Eg2 = h["rho"] * s["Eg2"] + (1 - h["rho"]) * g * g
        d = -math.sqrt(s["Edx2"] + h["eps"]) / math.sqrt(Eg2 + h["eps"]) * g
        return p + d, {"Eg2": Eg2, "Edx2": h["rho"] * s["Edx2"] + (1 - h["rho"]) * d * d}
    if name == "rmsprop":
        Eg2 = h["rho"] * s["Eg2"] + (1 - h["rho"]) * g * g
        return p - h["lr"] * g / math.sqrt(Eg2 + h["eps"]), {"Eg2": Eg2}
    m = h["beta1"] * s["m"] + (1 - h["beta1"]) * g
    v = h["beta2"] * s["v"] + (1 - h["beta2"]) * g * g
    mh, vh = m / (1 - h["beta1"] ** t), v / (1 - h["beta2"] ** t)
    step = mh / (math.sqrt(vh) + h["eps"])
    if name == "adamw":
        step += h["weight_decay"] * p
    return p - h["lr"] * step, {"m": m, "v": v}


@pytest.mark.parametrize("name", list(opt.OPTIMIZERS))
def test_step_matches_scalar_rule(name):
    rng = np.random.default_rng(4)
    o = opt.OPTIMIZERS[name]
    p, g = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    state = {k: rng.uniform(0.01, 1, size=(5, 3)) for k in o.state_keys}
    t = 4
    new_p, new_s, _ = opt.step(name, p, g, state, None, t)
    for i, j in np.ndindex(p.shape):
        ref_p, ref_s = scalar_step(
            name, p[i, j], g[i, j], {k: v[i, j] for k, v in state.items()}, o.defaults, t
        )
        assert new_p[i, j] == pytest.approx(ref_p, rel=1e-12)
        for k, v in ref_s.items():
            assert new_s[k][i, j] == pytest.approx(v, rel=1e-12)


def test_adam_first_step_is_lr_times_sign_and_later_steps_are_not():
    p, g = np.array([0.5, -0.2]), np.array([0.3, -4.0])
    new, state, _ = opt.step("adam", p, g, t=1)
    np.testing.assert_allclose(p - new, 0.01 * np.sign(g), rtol=1e-6)
    new2, _, _ = opt.step("adam", new, g * 0.1, state, t=2)
    assert not np.allclose(new - new2, 0.01 * np.sign(g), rtol=1e-3)


def test_step_does_not_mutate_and_rejects_bad_input():
    p = np.array([1.0])
    s = {"m": np.array([0.1]), "v": np.array([0.2])}
    opt.step("adam", p, np.array([0.5]), s, t=3)
    assert p[0] == 1.0 and s["m"][0] == 0.1
    with pytest.raises(ValueError, match="t must be"):
        opt.step("sgd", p, p, t=0)
    with pytest.raises(ValueError, match="allowed"):
        opt.step("adamax", p, p)
