"""The playground's trainer: gradients, every optimizer's wiring, learning xor, determinism."""

import numpy as np
import pytest

from engine import activations as act
from engine import network as net
from engine import optimizers as opt
from engine.playground import trainer as tr

# Every hidden activation, each with another output/loss pair (targets per the contract).
COMBOS = [
    ("tanh", "sigmoid", "bce", 1),
    ("sigmoid", "sigmoid", "half_sse", 1),
    ("relu", "softmax", "cce", 2),
    ("leaky_relu", "linear", "hinge", 1),
    ("elu", "tanh", "mse", 1),
    ("softplus", "softmax", "bce", 2),
    ("swish", "linear", "huber", 1),
    ("linear", "sigmoid", "mae", 1),
]


def flat(grad_w, grad_b) -> np.ndarray:
    """Per-layer gradients in the trainer's parameter order: W¹, b¹, W², b², …"""
    return np.concatenate([g.ravel() for pair in zip(grad_w, grad_b, strict=True) for g in pair])


def small(hidden, output, loss, units, **kw) -> tr.Trainer:
    config = tr.TrainConfig(
        dataset="moons",
        layers=(2, 4, 3, units),
        activation=hidden,
        output_activation=output,
        loss=loss,
        points=12,
        seed=5,
        **kw,
    )
    trainer = tr.Trainer(config)
    trainer.params += np.random.default_rng(1).normal(0, 0.3, trainer.params.size)  # biases too
    return trainer


@pytest.mark.parametrize("hidden,output,loss,units", COMBOS)
def test_gradient_matches_finite_differences_and_the_pure_backprop(hidden, output, loss, units):
    trainer = small(hidden, output, loss, units)
    grad_w, grad_b, loss_value = trainer.gradient()
    analytic = flat(grad_w, grad_b)
    h, numeric = 1e-6, np.empty_like(analytic)
    for i in range(analytic.size):
        saved = trainer.params[i]
        trainer.params[i] = saved + h
        up = trainer.gradient()[2]
        trainer.params[i] = saved - h
        numeric[i] = (up - trainer.gradient()[2]) / (2 * h)
        trainer.params[i] = saved
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)

    # engine.network.backprop, one exercise per point with the same weights, averaged over points
    P = len(trainer.data.points)
    pure = net.backprop(
        [np.broadcast_to(W, (P, *W.shape)) for W in trainer.W],
        [np.broadcast_to(b, (P, *b.shape)) for b in trainer.b],
        trainer.data.points,
        trainer.targets,
        hidden,
        output,
        loss,
    )
    assert loss_value == pytest.approx(pure.loss.mean(), rel=1e-12)
    for mine, theirs in zip(grad_w + grad_b, pure.grad_weights + pure.grad_biases, strict=True):
        np.testing.assert_allclose(mine, theirs.mean(axis=0), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("name", list(opt.OPTIMIZERS))
def test_each_step_is_the_optimizer_rule_on_the_full_gradient(name):
    trainer = small("tanh", "sigmoid", "bce", 1, optimizer=name, lr=0.05)
    reference = small("tanh", "sigmoid", "bce", 1, optimizer=name, lr=0.05)
    params, state = reference.params.copy(), opt.initial_state(name, reference.params)
    for t in range(1, 4):
        at = params
        if name == "nesterov":  # the gradient at the look-ahead point θ + γ·v
            at = params + trainer.hyperparameters["gamma"] * state["velocity"]
        reference.params[...] = at
        grad = flat(*reference.gradient()[:2])
        params, state, _ = opt.step(name, params, grad, state, trainer.hyperparameters, t)
    trainer.step(3)
    assert trainer.steps_taken == 3
    np.testing.assert_allclose(trainer.params, params, rtol=1e-12, atol=1e-15)


def test_in_place_activations_equal_the_engines():
    z = np.array([[-1000.0, -30.0, -1.5, 0.0, 0.7, 30.0, 1000.0]])
    for name in tr._IN_PLACE:
        unit, engine = tr._Activation(name), act.get(name)
        with np.errstate(over="ignore"):  # σ's e^(−z) overflows to inf at z = −1000: σ = 0
            a = unit.value(z, np.empty_like(z))
        np.testing.assert_allclose(a, engine.value(z), rtol=1e-15, atol=1e-300)
        delta = np.ones_like(z)
        unit.times_derivative(delta, z, a, np.empty_like(z))
        np.testing.assert_allclose(delta, engine.derivative(z), rtol=1e-12, atol=1e-300)


def xor_run(seed: int) -> tr.TrainLog:
    config = tr.TrainConfig(layers=(2, 8, 1), activation="tanh", lr=0.03, seed=seed)
    return tr.train(config, 2000)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_xor_is_learned_to_95_percent(seed):
    log = xor_run(seed)
    assert log.entries[-1].step == 2000
    assert log.entries[-1].accuracy >= 0.95
    assert log.entries[0].accuracy < 0.9  # it was learned, not given


def test_same_seed_same_run_and_the_log_schedule():
    config = tr.TrainConfig(dataset="spiral", layers=(2, 6, 6, 1), batch=32, seed=9)
    first = tr.train(config, 250, log_every=100).to_dict()
    assert first == tr.train(config, 250, log_every=100).to_dict()
    assert first["steps"] == [0, 100, 200, 250]
    assert len(first["grad_norms"][0]) == 3
    other = tr.train(tr.TrainConfig(**{**config.__dict__, "seed": 10}), 250, log_every=100)
    assert other.to_dict()["loss"] != first["loss"]
    assert tr.train(config, 300).to_dict()["steps"] == list(range(0, 301, 3))


def test_mini_batches_cover_the_data_in_reshuffled_epochs():
    trainer = tr.Trainer(tr.TrainConfig(points=10, batch=4, seed=2))
    seen = []
    for _ in range(4):  # two epochs of two batches; 10 mod 4 = 2 points skipped per epoch
        x, _, _ = trainer._batch()
        seen.append({tuple(p) for p in x})
    assert len(seen[0] | seen[1]) == 8 and len(seen[2] | seen[3]) == 8
    assert seen[:2] != seen[2:]


def test_divergence_is_reported_without_nan_in_the_json():
    config = tr.TrainConfig(
        layers=(2, 16, 16, 1),
        activation="relu",
        output_activation="linear",
        loss="mse",
        optimizer="sgd",
        lr=1e3,
        seed=1,
    )
    log = tr.train(config, 100).to_dict()
    assert log["final"]["diverged"] is True
    assert log["final"]["loss"] is None and log["final"]["accuracy"] == 0.0
    assert None in log["loss"]


def test_decision_grid_is_the_network_output_at_the_grid_points():
    trainer = tr.Trainer(tr.TrainConfig(output_activation="softmax", loss="cce", layers=(2, 5, 2)))
    grid = trainer.decision_grid(7, 5)
    assert grid.score.shape == (5, 7) and grid.threshold == 0.5
    assert grid.xs[0] == trainer.data.extent[0] and grid.ys[-1] == trainer.data.extent[3]
    np.testing.assert_allclose(grid.score[4, 2], trainer.predict([[grid.xs[2], grid.ys[4]]])[0, 1])


@pytest.mark.parametrize(
    "change,option",
    [
        ({"layers": (3, 4, 1)}, "--layers"),
        ({"layers": (2, 4, 2)}, "--layers"),
        ({"output_activation": "softmax", "loss": "hinge", "layers": (2, 4, 2)}, "--loss"),
        ({"batch": 500}, "--batch"),
        ({"lr": float("nan")}, "--lr"),
        ({"dataset": "iris"}, "--dataset"),
        ({"optimizer": "lbfgs"}, "--optimizer"),
    ],
)
def test_bad_options_name_the_option(change, option):
    with pytest.raises(tr.OptionError, match=f"^{option}: "):
        tr.TrainConfig(**change).validate()
