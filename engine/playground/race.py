"""The optimizer race: each optimizer's path from one start on a test surface.

Every update is ``engine.optimizers.step`` (the optimizer table of the notes) with t = 1, 2, … and
zero initial state, the gradient taken analytically from the surface; nesterov takes it at the
look-ahead point θ + gamma·velocity. A path stops at the first point with |x| or |y| > 1e6 or a
non-finite value: that point is not kept and the path is marked diverged.

``Race`` advances every optimizer one step at a time (for drawing a race as it runs);
``run_race`` runs one to the end and returns the contract's JSON-ready dict.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from engine import optimizers as _opt
from engine.exercises import OptionError
from engine.playground import surfaces as _surf

SCHEMA = 1
DIVERGENCE_LIMIT = 1e6

#: The race's hyperparameters (the contract's defaults; ``--lr`` replaces every "lr").
RACE_HYPERPARAMETERS: dict[str, dict[str, float]] = {
    "sgd": {"lr": 0.001},
    "momentum": {"lr": 0.001, "gamma": 0.9},
    "nesterov": {"lr": 0.001, "gamma": 0.9},
    "adagrad": {"lr": 0.01, "eps": 1e-8},
    "adadelta": {"rho": 0.95, "eps": 1e-8},
    "rmsprop": {"lr": 0.01, "rho": 0.9, "eps": 1e-8},
    "adam": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "adamw": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
}
#: The race's default field: the seven optimizers of the notes' table.
DEFAULT_OPTIMIZERS: tuple[str, ...] = _opt.NOTES_OPTIMIZERS


def hyperparameters(name: str, lr: float | None = None) -> dict[str, float]:
    """The race's hyperparameters of optimizer ``name``, with ``lr`` replacing its learning rate
    when given and the optimizer has one (adadelta has none). OptionError for a bad name or lr."""
    if name not in RACE_HYPERPARAMETERS:
        raise OptionError(
            "--optimizers",
            f"unknown optimizer {name!r} (allowed: {', '.join(RACE_HYPERPARAMETERS)})",
        )
    if lr is not None and not (math.isfinite(lr) and lr > 0):
        raise OptionError("--lr", f"must be a positive number, got {lr}")
    hp = dict(RACE_HYPERPARAMETERS[name])
    if lr is not None and "lr" in hp:
        hp["lr"] = float(lr)
    return hp


class Runner:
    """One optimizer on one surface: ``path`` holds the points kept so far, as (x, y) floats."""

    def __init__(self, name: str, surface: _surf.Surface, start, lr: float | None = None):
        self.name = name
        self.surface = surface
        self.hyperparameters = hyperparameters(name, lr)
        self.params = np.array(start, dtype=float)
        self.state = _opt.initial_state(name, self.params)
        self.path: list[tuple[float, float]] = [(float(self.params[0]), float(self.params[1]))]
        self.diverged = False

    @property
    def steps(self) -> int:
        """Steps taken and kept (the path has one point more)."""
        return len(self.path) - 1

    def advance(self) -> bool:
        """Take step t = steps + 1 unless the path has diverged; True if a point was added."""
        if self.diverged:
            return False
        at = self.params
        if self.name == "nesterov":
            at = at + self.hyperparameters["gamma"] * self.state["velocity"]
        with np.errstate(all="ignore"):  # overflow is detected below, not warned about
            grad = np.array(self.surface.grad(at[0], at[1]), dtype=float)
            params, state, _ = _opt.step(
                self.name, self.params, grad, self.state, self.hyperparameters, self.steps + 1
            )
        if not np.all(np.isfinite(params)) or np.max(np.abs(params)) > DIVERGENCE_LIMIT:
            self.diverged = True
            return False
        self.params, self.state = params, state
        self.path.append((float(params[0]), float(params[1])))
        return True

    def final(self) -> dict:
        """The last point kept: {"x", "y", "f", "diverged"}."""
        x, y = self.path[-1]
        return {"x": x, "y": y, "f": float(self.surface.f(x, y)), "diverged": self.diverged}


class Race:
    """Optimizers racing from one start; ``advance(n)`` moves every running one n steps."""

    def __init__(
        self,
        surface: str | _surf.Surface = "quadratic",
        optimizers: Iterable[str] = DEFAULT_OPTIMIZERS,
        start=None,
        lr: float | None = None,
    ):
        self.surface = _surf.get(surface) if isinstance(surface, str) else surface
        self.start = tuple(float(v) for v in (self.surface.start if start is None else start))
        if len(self.start) != 2 or not all(
            math.isfinite(v) and abs(v) <= DIVERGENCE_LIMIT for v in self.start
        ):
            raise OptionError(
                "--start", f"must be two numbers x,y with |x|, |y| <= {DIVERGENCE_LIMIT:g}"
            )
        self.lr = lr
        names = list(optimizers)
        if not names or len(set(names)) != len(names):
            raise OptionError("--optimizers", "name one or more optimizers, each once")
        self.runners = {name: Runner(name, self.surface, self.start, lr) for name in names}
        self.t = 0  # steps asked of every runner so far

    def advance(self, n: int = 1) -> bool:
        """n more steps for each optimizer that has not diverged; True while any is running."""
        for _ in range(n):
            self.t += 1
            for runner in self.runners.values():
                runner.advance()
        return not all(r.diverged for r in self.runners.values())

    def to_dict(self) -> dict:
        """The contract's JSON: schema, surface, start, steps, hyperparameters, paths, final."""
        return {
            "schema": SCHEMA,
            "surface": self.surface.name,
            "start": list(self.start),
            "steps": self.t,
            "hyperparameters": {n: r.hyperparameters for n, r in self.runners.items()},
            "paths": {n: [list(p) for p in r.path] for n, r in self.runners.items()},
            "final": {n: r.final() for n, r in self.runners.items()},
        }


def run_race(
    surface: str = "quadratic",
    optimizers: Iterable[str] = DEFAULT_OPTIMIZERS,
    steps: int = 200,
    start=None,
    lr: float | None = None,
) -> dict:
    """Race ``optimizers`` for ``steps`` steps and return the contract's JSON-ready dict."""
    if steps < 0:
        raise OptionError("--steps", f"must be a non-negative integer, got {steps}")
    race = Race(surface, optimizers, start, lr)
    race.advance(steps)
    return race.to_dict()
