"""Facts measured on the playground's real runs: what the quiz's "predict" questions ask.

A *study* is one preset's experiment (``studyapp.core.playground.PRESETS``), run by the engine
exactly as the playground and ``studyapp playground race|train`` run it: a race has no
randomness and training uses the preset's fixed seed, so every figure here is what the learner
sees on opening the preset. ``argv`` gives the CLI command that repeats a run.

- :class:`RaceStudy`: per optimizer, the first step at which its path reaches the study's
  :class:`Goal` (f below a value, or near the surface's minimum), and whether it diverged.
- :class:`TrainStudy`: per hidden activation, the first step at which the training accuracy
  reaches a threshold, checked every ``every`` steps (the ``--log-every`` of the CLI), and the
  layers' gradient norms at step 0.
- :func:`clear_first`: the one that gets there first by a clear margin, or None (a tie, a photo
  finish, or nobody): a question is asked only when its run answers it clearly.

Runs are cached per set-up for the life of the process: one run answers several questions, and
the TUI makes many quizzes. A training run stops at the first check that reaches the threshold
(the run is deterministic, so stopping early changes nothing before that point).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from engine.playground import surfaces as _surfaces
from engine.playground.race import DIVERGENCE_LIMIT, Race, hyperparameters
from engine.playground.trainer import TrainConfig, Trainer
from studyapp.core.playground import PRESETS, Preset

#: How much later (as a factor of steps) the runner-up must arrive for a winner to be clear.
CLEAR_MARGIN = 1.1

#: How optimizers and activations are named in questions.
OPTIMIZER_NAMES = {
    "sgd": "SGD",
    "momentum": "momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "adadelta": "AdaDelta",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
}
ACTIVATION_NAMES = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "elu": "ELU",
    "softplus": "softplus",
    "swish": "swish",
    "linear": "linear (identity)",
}
#: The surfaces as the presets call them.
SURFACE_NAMES = {
    "quadratic": "the ravine",
    "rosenbrock": "the Rosenbrock valley",
    "saddle": "the saddle",
    "beale": "Beale's function",
}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def superscript(n: int) -> str:
    """``⁻³`` for -3."""
    return str(n).translate(_SUPERSCRIPT)


def power_of_ten(exponent: int) -> str:
    """``10⁻³`` for -3."""
    return "10" + superscript(exponent)


#: Where a race cuts a path off, as a question says it.
DIVERGENCE_TEXT = f"|x| or |y| > {power_of_ten(round(math.log10(DIVERGENCE_LIMIT)))}"


def clear_first(steps: Mapping[str, int | None], margin: float = CLEAR_MARGIN) -> str | None:
    """The key whose step is smallest, if every other step is at least ``margin`` times larger
    (or None: never reached); None when nobody reaches or the finish is too close to call."""
    reached = sorted((s, name) for name, s in steps.items() if s is not None)
    if not reached:
        return None
    (first, name), later = reached[0], reached[1:]
    if later and later[0][0] < max(first * margin, first + 1):
        return None
    return name


def clearly_before(a: int | None, b: int | None, margin: float = CLEAR_MARGIN) -> bool | None:
    """True if step ``a`` is clearly before ``b`` (None: never), False if clearly after, None
    when it cannot be told (both never, or too close)."""
    winner = clear_first({"a": a, "b": b}, margin)
    return None if winner is None else winner == "a"


# ----------------------------------------------------------------------------- races


@dataclass(frozen=True)
class Goal:
    """Where a racer must get: ``f_below`` (f < value) or ``near_minimum`` (|x − x*| and
    |y − y*| both below value, at the surface's minimum (x*, y*))."""

    kind: str
    value: float

    def reached(self, surface: _surfaces.Surface, x: float, y: float) -> bool:
        if self.kind == "f_below":
            return float(surface.f(x, y)) < self.value
        mx, my = _minimum(surface)
        return abs(x - mx) < self.value and abs(y - my) < self.value

    def text(self, surface: _surfaces.Surface) -> str:
        """``f < 10⁻³`` or ``within 0.05 of the minimum (1, 1)``."""
        if self.kind == "f_below":
            k = round(math.log10(abs(self.value))) if self.value else 0
            exact = self.value > 0 and math.isclose(10.0**k, self.value)
            return f"f < {power_of_ten(k) if exact else _signed(self.value)}"
        mx, my = _minimum(surface)
        return f"within {self.value:g} of the minimum ({mx:g}, {my:g})"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "value": self.value}


def _minimum(surface: _surfaces.Surface) -> tuple[float, float]:
    if surface.minimum is None:
        raise ValueError(f"the {surface.name} surface has no minimum to get near")
    return surface.minimum


@dataclass(frozen=True)
class RacerRun:
    """One optimizer's path (every point kept, start first) and whether it diverged."""

    name: str
    path: tuple[tuple[float, float], ...]
    diverged: bool

    @property
    def steps(self) -> int:
        return len(self.path) - 1


@lru_cache(maxsize=128)
def racer_run(surface: str, name: str, lr: float | None, steps: int) -> RacerRun:
    """``name``'s path on ``surface`` from its start, as the race runs it (cached). Racers do
    not interact, so racing one alone gives the very path it has in any field."""
    race = Race(surface, (name,), lr=lr)
    race.advance(steps)
    runner = race.runners[name]
    return RacerRun(name, tuple(runner.path), runner.diverged)


@dataclass(frozen=True)
class RaceStudy:
    """The race of preset ``preset`` over ``steps`` steps, measured against ``goal``."""

    preset: str
    goal: Goal
    steps: int = 1000

    @property
    def setup(self):
        return PRESETS[self.preset].race

    @property
    def surface(self) -> _surfaces.Surface:
        return _surfaces.get(self.setup.surface)

    def run(self, name: str) -> RacerRun:
        return racer_run(self.setup.surface, name, self.setup.lr, self.steps)

    def first(self, name: str) -> int | None:
        """The first step whose point reaches the goal (0 is the start), or None."""
        surface = self.surface
        return next(
            (i for i, (x, y) in enumerate(self.run(name).path) if self.goal.reached(surface, x, y)),
            None,
        )

    def lr(self, name: str) -> float | None:
        """The learning rate ``name`` races with (None: adadelta has none)."""
        return hyperparameters(name, self.setup.lr).get("lr")

    def describe(self, names) -> str:
        """``On the ravine f = ½(x² + 20y²), from (−4, 2), SGD and momentum at lr 0.001 and
        Adam at lr 0.01 (their defaults)``."""
        surface = self.surface
        groups: dict[str, list[str]] = {}
        for name in names:
            lr = self.lr(name)
            groups.setdefault("no lr" if lr is None else f"lr {lr:g}", []).append(
                OPTIMIZER_NAMES[name]
            )
        rates = " and ".join(f"{_and(group)} at {lr}" for lr, group in groups.items())
        whose = ""
        if self.setup.lr is None:
            whose = " (their defaults)" if len(names) > 1 else " (its default)"
        start = ", ".join(_signed(v) for v in surface.start)
        where = SURFACE_NAMES.get(surface.name, surface.name)
        return f"On {where} {surface.formula}, from ({start}), {rates}{whose}"

    def figure(self, name: str) -> str:
        """What the run shows for one racer: ``momentum: f < 10⁻³ at step 413``."""
        run, first = self.run(name), self.first(name)
        label = OPTIMIZER_NAMES[name]
        if first is not None:
            return f"{label}: {self.goal.text(self.surface)} at step {first}"
        if run.diverged:
            return f"{label}: diverged at step {run.steps + 1} ({DIVERGENCE_TEXT})"
        x, y = run.path[-1]
        return (
            f"{label}: not within {self.steps} steps (f = {float(self.surface.f(x, y)):.3g} then)"
        )

    def argv(self) -> list[str]:
        """The CLI command that runs this race (every racer of the preset)."""
        setup = self.setup
        out = ["playground", "race", "--surface", setup.surface]
        out += ["--optimizers", ",".join(setup.optimizers), "--steps", str(self.steps)]
        return out + (["--lr", f"{setup.lr:g}"] if setup.lr is not None else [])


# ----------------------------------------------------------------------------- training


@lru_cache(maxsize=64)
def first_accuracy(config: TrainConfig, threshold: float, steps: int, every: int) -> int | None:
    """The first of the steps 0, every, 2·every, …, ``steps`` at which the network's accuracy on
    its training data is at least ``threshold`` (None if none is), as ``studyapp playground
    train --log-every every`` logs it. Stops training at that step (cached)."""
    trainer = Trainer(config)
    while True:
        if trainer.evaluate().accuracy >= threshold:
            return trainer.steps_taken
        if trainer.steps_taken >= steps:
            return None
        trainer.step(min(every - trainer.steps_taken % every, steps - trainer.steps_taken))


@lru_cache(maxsize=64)
def start_grad_norms(config: TrainConfig) -> tuple[float, ...]:
    """|∂L/∂Wᵐ| of every layer m = 1..L of the network as initialised (step 0)."""
    return Trainer(config).evaluate().grad_norms


@dataclass(frozen=True)
class TrainStudy:
    """Training preset ``preset`` for ``steps`` steps with any hidden activation, accuracy
    checked every ``every`` steps against ``threshold``."""

    preset: str
    steps: int
    every: int
    threshold: float = 0.95

    @property
    def base(self) -> Preset:
        return PRESETS[self.preset]

    def config(self, activation: str | None = None) -> TrainConfig:
        config = self.base.train
        return config if activation is None else replace(config, activation=activation)

    def first(self, activation: str) -> int | None:
        return first_accuracy(self.config(activation), self.threshold, self.steps, self.every)

    @property
    def goal_text(self) -> str:
        return f"{self.threshold * 100:g} % training accuracy"

    def describe(self, activation: str | None = None) -> str:
        """``A 2-8-8-8-8-8-1 network (sigmoid hidden layers, sigmoid output, bce) trained by
        SGD at lr 0.5 on 200 circles points (seed 1)``."""
        c = self.config(activation)
        layers = "-".join(map(str, c.layers))
        hidden = f"{ACTIVATION_NAMES[c.activation]} hidden layers, " if activation else ""
        lr = f" at lr {c.lr:g}" if "lr" in c.hyperparameters else ""
        return (
            f"A {layers} network ({hidden}{c.output_activation} output, {c.loss} loss) trained "
            f"full-batch by {OPTIMIZER_NAMES[c.optimizer]}{lr} on {c.points} {c.dataset} points "
            f"(seed {c.seed})"
        )

    def figure(self, activation: str) -> str:
        """``tanh: 95 % at step 190`` or ``sigmoid: not within 500 steps``."""
        first = self.first(activation)
        label = ACTIVATION_NAMES[activation]
        if first is None:
            return f"{label}: not within {self.steps} steps"
        return f"{label}: {self.threshold * 100:g} % at step {first}"

    def argv(self, activation: str | None = None, steps: int | None = None) -> list[str]:
        """The CLI command that trains this network and logs it every ``every`` steps."""
        c = self.config(activation)
        steps = self.steps if steps is None else steps
        out = ["playground", "train", "--dataset", c.dataset]
        out += ["--layers", ",".join(map(str, c.layers)), "--activation", c.activation]
        out += ["--output-activation", c.output_activation, "--loss", c.loss]
        out += ["--optimizer", c.optimizer, "--lr", f"{c.lr:g}", "--points", str(c.points)]
        out += ["--seed", str(c.seed), "--steps", str(steps), "--log-every", str(self.every)]
        return out


def command(argv: list[str]) -> str:
    """``studyapp playground race …`` for the prompt's source."""
    return "studyapp " + " ".join(argv)


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _signed(value: float) -> str:
    return f"{value:g}".replace("-", "−")
