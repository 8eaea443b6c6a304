"""What the learner chose on the exercise screen, and the engine exercise it gives.

``ExerciseSettings`` holds the choices (the notes' preset, a network of one's own, or an optimizer
step); ``generate(settings, seed)`` asks the engine for the exercise; ``randomize_settings`` picks a
small, hand-workable configuration whose loss suits its output activation.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from engine.activations import HIDDEN_ACTIVATIONS
from engine.exercise_types import Exercise
from engine.losses import LOSSES as _LOSSES
from engine.optimizers import NOTES_OPTIMIZERS
from studyapp.core.exercise.numbers import fmt_number
from studyapp.errors import UsageError

LOSSES = tuple(_LOSSES)
OPTIMIZERS = NOTES_OPTIMIZERS  # the notes' seven (adamw only on request)

# Output activation -> losses that make sense with it (used by "randomize"; the engine validates
# whatever the user picks by hand and its one-line error is shown).
_LOSS_FOR_OUTPUT = {
    "sigmoid": ("half_sse", "mse", "bce", "huber"),
    "softmax": ("cce",),
    "linear": ("half_sse", "mse", "huber", "mae"),
    "tanh": ("half_sse", "mse", "hinge"),
}


@dataclass
class ExerciseSettings:
    """What the user chose on the screen; ``generate(settings, seed)`` turns it into an exercise."""

    kind: str = "backprop"  # "backprop" | "optimizer"
    preset: str | None = "seed-2-2-1"  # the notes' worked example (2-2-1, sigmoid, half_sse)
    layers: tuple[int, ...] = (2, 2, 1)
    activation: str = "sigmoid"
    output_activation: str = "sigmoid"
    loss: str = "half_sse"
    decimals: int = 2
    learning_rate: float = 0.1
    optimizer: str = "adam"
    size: int = 3

    def describe(self) -> str:
        """One line for the screen's title, e.g. ``2-3-1 · tanh → sigmoid · half_sse · η 0.1``."""
        if self.kind == "optimizer":
            return f"{self.optimizer} step · {self.size} parameters"
        if self.preset:
            return f"like the notes ({self.preset}): 2-2-1 · sigmoid · half_sse · η 0.1"
        shape = "-".join(str(n) for n in self.layers)
        return (
            f"{shape} · {self.activation} → {self.output_activation} · {self.loss}"
            f" · η {fmt_number(self.learning_rate)}"
        )


def parse_layers(text: str) -> tuple[int, ...]:
    """``"2,3,1"`` or ``"2-3-1"`` -> (2, 3, 1); raises UsageError (one line) otherwise."""
    parts = [p for p in re.split(r"[\s,;x×-]+", text.strip()) if p]
    try:
        layers = tuple(int(p) for p in parts)
    except ValueError:
        raise UsageError(f"layers: {text!r} is not a list of unit counts like 2,3,1") from None
    if len(layers) < 2 or any(n < 1 for n in layers):
        raise UsageError("layers: need at least an input and an output layer, each with ≥ 1 unit")
    if any(n > 8 for n in layers) or len(layers) > 6:
        raise UsageError("layers: at most 6 layers of 8 units each (it is solved by hand)")
    return layers


def randomize_settings(rng: random.Random, kind: str = "backprop") -> ExerciseSettings:
    """A random but sensible configuration: small nets, a loss that suits the output activation."""
    if kind == "optimizer":
        return ExerciseSettings(
            kind="optimizer",
            preset=None,
            optimizer=rng.choice(OPTIMIZERS),
            size=rng.randint(2, 4),
            decimals=rng.choice((2, 2, 3)),
        )
    hidden = tuple(rng.randint(1, 3) for _ in range(rng.choice((1, 1, 1, 2))))
    out = rng.choice(("sigmoid", "sigmoid", "softmax", "linear", "tanh"))
    n_out = rng.randint(2, 3) if out == "softmax" else rng.randint(1, 2)
    return ExerciseSettings(
        kind="backprop",
        preset=None,
        layers=(rng.randint(2, 3),) + hidden + (n_out,),
        activation=rng.choice(HIDDEN_ACTIVATIONS[:7]),
        output_activation=out,
        loss=rng.choice(_LOSS_FOR_OUTPUT[out]),
        decimals=rng.choice((1, 2, 2)),
        learning_rate=rng.choice((0.1, 0.1, 0.5, 0.01)),
    )


def generate(settings: ExerciseSettings, seed: int) -> Exercise:
    """The exercise for these settings, from the engine."""
    from engine import exercises

    try:
        if settings.kind == "optimizer":
            return exercises.optimizer_exercises(
                seed,
                count=1,
                optimizer=settings.optimizer,
                size=settings.size,
                decimals=settings.decimals,
            )[0]
        if settings.preset:
            return exercises.preset_exercise(settings.preset)
        return exercises.backprop_exercises(
            seed,
            count=1,
            layers=tuple(settings.layers),
            activation=settings.activation,
            output_activation=settings.output_activation,
            loss=settings.loss,
            decimals=settings.decimals,
            learning_rate=settings.learning_rate,
        )[0]
    except (ValueError, KeyError, TypeError) as exc:  # engine validation -> one line for the user
        msg = str(exc.args[0]) if exc.args else exc.__class__.__name__
        raise UsageError(msg) from None
