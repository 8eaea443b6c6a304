"""The optimizer race against a hand-written path of the contract's update rules (plain floats)."""

import math

import pytest

from engine.optimizers import OPTIMIZERS
from engine.playground import race, surfaces


def reference_path(name, surface, start, steps, hp):
    """The contract's optimizer table, written out for two coordinates in Python floats: t = 1,
    2, …, zero initial state, nesterov's gradient at θ + γ·v; a path stops before the first point
    with |x| or |y| > 1e6 or a non-finite value. Returns (points, diverged)."""
    theta = list(start)
    zero = [0.0, 0.0]
    v, G, Eg2, Edx2, m, s = (list(zero) for _ in range(6))
    path = [tuple(theta)]
    for t in range(1, steps + 1):
        at = theta
        if name == "nesterov":
            at = [theta[i] + hp["gamma"] * v[i] for i in range(2)]
        g = [float(c) for c in surface.grad(*at)]
        new = list(theta)
        for i in range(2):
            if name == "sgd":
                new[i] = theta[i] - hp["lr"] * g[i]
            elif name in ("momentum", "nesterov"):
                v[i] = hp["gamma"] * v[i] - hp["lr"] * g[i]
                new[i] = theta[i] + v[i]
            elif name == "adagrad":
                G[i] += g[i] * g[i]
                new[i] = theta[i] - hp["lr"] * g[i] / math.sqrt(G[i] + hp["eps"])
            elif name == "adadelta":
                Eg2[i] = hp["rho"] * Eg2[i] + (1 - hp["rho"]) * g[i] * g[i]
                dx = -math.sqrt(Edx2[i] + hp["eps"]) / math.sqrt(Eg2[i] + hp["eps"]) * g[i]
                Edx2[i] = hp["rho"] * Edx2[i] + (1 - hp["rho"]) * dx * dx
                new[i] = theta[i] + dx
            elif name == "rmsprop":
                Eg2[i] = hp["rho"] * Eg2[i] + (1 - hp["rho"]) * g[i] * g[i]
                new[i] = theta[i] - hp["lr"] * g[i] / math.sqrt(Eg2[i] + hp["eps"])
            else:  # adam, adamw
                m[i] = hp["beta1"] * m[i] + (1 - hp["beta1"]) * g[i]
                s[i] = hp["beta2"] * s[i] + (1 - hp["beta2"]) * g[i] * g[i]
                m_hat = m[i] / (1 - hp["beta1"] ** t)
                v_hat = s[i] / (1 - hp["beta2"] ** t)
                update = m_hat / (math.sqrt(v_hat) + hp["eps"])
                update += hp.get("weight_decay", 0.0) * theta[i]
                new[i] = theta[i] - hp["lr"] * update
        if not all(math.isfinite(c) and abs(c) <= 1e6 for c in new):
            return path, True
        theta = new
        path.append(tuple(theta))
    return path, False


# The contract, read again: "lr 0.001 (sgd, momentum, nesterov), 0.01 (adagrad, rmsprop, adam),
# gamma 0.9, rho 0.9 (adadelta 0.95), beta1 0.9, beta2 0.999, eps 1e-8".
CONTRACT_LR = dict.fromkeys(("sgd", "momentum", "nesterov"), 0.001) | dict.fromkeys(
    ("adagrad", "rmsprop", "adam"), 0.01
)


def contract_value(name: str, key: str) -> float:
    common = {"gamma": 0.9, "rho": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    if key == "lr":
        return CONTRACT_LR[name]
    return 0.95 if (name, key) == ("adadelta", "rho") else common[key]


def test_defaults_are_the_contracts_and_lr_overrides_only_where_there_is_one():
    seven = ("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam")
    assert race.DEFAULT_OPTIMIZERS == seven
    for name in race.DEFAULT_OPTIMIZERS:
        hp = race.hyperparameters(name)
        assert set(hp) == set(OPTIMIZERS[name].defaults)  # every input of the rule, nothing else
        assert hp == {key: contract_value(name, key) for key in hp}
        assert race.hyperparameters(name, 0.5) == ({**hp, "lr": 0.5} if "lr" in hp else hp)


@pytest.mark.parametrize("surface", list(surfaces.SURFACES))
@pytest.mark.parametrize("lr", [None, 0.05])
def test_paths_follow_the_update_rules(surface, lr):
    result = race.run_race(surface, list(OPTIMIZERS), 200, None, lr)
    surf = surfaces.get(surface)
    assert result["start"] == list(surf.start)
    for name, path in result["paths"].items():
        expected, diverged = reference_path(
            name, surf, surf.start, 200, race.hyperparameters(name, lr)
        )
        assert len(path) == len(expected), name
        assert result["final"][name]["diverged"] is diverged
        for got, want in zip(path, expected, strict=True):
            assert got == pytest.approx(list(want), rel=1e-9, abs=1e-9), (name, len(path))
        x, y = expected[-1]
        assert result["final"][name]["f"] == pytest.approx(surf.f(x, y), rel=1e-9, abs=1e-12)


def test_a_diverging_path_stops_before_the_first_point_out_of_bounds():
    result = race.run_race("rosenbrock", ["sgd", "adam"], 200, None, 0.01)
    sgd = result["paths"]["sgd"]
    assert result["final"]["sgd"]["diverged"] is True and 1 < len(sgd) < 201
    assert all(abs(c) <= 1e6 for point in sgd for c in point)
    assert result["final"]["sgd"] == {
        "x": sgd[-1][0],
        "y": sgd[-1][1],
        "f": surfaces.get("rosenbrock").f(*sgd[-1]),
        "diverged": True,
    }
    assert len(result["paths"]["adam"]) == 201 and not result["final"]["adam"]["diverged"]


def test_surface_gradients_match_central_differences():
    h = 1e-6
    for surf in surfaces.SURFACES.values():
        for x, y in [surf.start, (0.3, -0.7), (1.1, 0.4)]:
            gx, gy = surf.grad(x, y)
            assert gx == pytest.approx((surf.f(x + h, y) - surf.f(x - h, y)) / (2 * h), rel=1e-6)
            assert gy == pytest.approx((surf.f(x, y + h) - surf.f(x, y - h)) / (2 * h), rel=1e-6)


def test_a_race_advances_step_by_step_like_a_whole_run():
    stepped = race.Race("beale", ["nesterov", "adam"], start=(2.0, -1.0), lr=0.01)
    for _ in range(30):
        stepped.advance()
    assert stepped.to_dict() == race.run_race("beale", ["nesterov", "adam"], 30, (2.0, -1.0), 0.01)
