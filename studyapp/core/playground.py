"""The playground's settings as the TUI offers them: choices, text fields and presets.

A preset is a ready-made experiment that shows one claim of the notes (sigmoids make gradients
vanish in deep nets, momentum beats plain SGD on a ravine, …): a train configuration, a race set-up,
which of the two views opens, and a note saying what to watch. ``PRESET_FOR_ENTRY`` (kept in
``studyapp.core.preset_links``) maps content entries (``act.sigmoid``, ``opt.momentum`` …) to the
preset that shows them, so a card can open it; the quiz's "predict" questions
(``studyapp.core.predictions``) are asked on presets too, so a question can be watched.
Every note is checked against a real run in the tests, so a preset never claims what its run
contradicts.

No Textual here: the screen (``studyapp.ui.screens.playground``) reads these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from engine.exercises import MAX_UNITS
from engine.optimizers import NOTES_OPTIMIZERS
from engine.playground.trainer import TrainConfig

# re-exported: the map lives in a module without NumPy, for the screens that show cards
from studyapp.core.preset_links import PRESET_FOR_ENTRY as PRESET_FOR_ENTRY
from studyapp.core.preset_links import preset_name_for_entry

#: Output layer and loss pairs the train view offers, as (output activation, loss).
OUTPUTS: tuple[tuple[str, str], ...] = (
    ("sigmoid", "bce"),
    ("sigmoid", "mse"),
    ("softmax", "cce"),
    ("tanh", "hinge"),
    ("linear", "hinge"),
)
#: Hidden layers the TUI accepts (more makes a frame slower than the view's frame budget).
MAX_HIDDEN_LAYERS = 8
#: Learning rates the [ and ] keys step through (about ×2 apart).
LR_LADDER: tuple[float, ...] = (
    1e-4,
    3e-4,
    1e-3,
    3e-3,
    0.01,
    0.02,
    0.05,
    0.1,
    0.2,
    0.5,
    1.0,
    2.0,
)


@dataclass(frozen=True)
class RaceSetup:
    """The race view's settings: a surface, the optimizers racing, and one learning rate for
    all of them (None: each optimizer's default from the contract)."""

    surface: str = "quadratic"
    optimizers: tuple[str, ...] = NOTES_OPTIMIZERS
    lr: float | None = None


#: What the train view starts with: the contract's defaults, a fixed seed (same picture each time).
DEFAULT_TRAIN = TrainConfig(seed=1)


@dataclass(frozen=True)
class Preset:
    """A ready-made experiment. ``view`` ("train" or "race") opens first; the other view keeps
    its defaults. ``note`` is one or two sentences on what to watch."""

    name: str
    title: str
    view: str
    note: str
    train: TrainConfig = DEFAULT_TRAIN
    race: RaceSetup = field(default_factory=RaceSetup)


def _all_but(*names: str) -> tuple[str, ...]:
    """The notes' optimizers except ``names``, in the table's order."""
    return tuple(n for n in NOTES_OPTIMIZERS if n not in names)


#: Six weight layers of sigmoids trained by plain SGD: the vanishing-gradient picture.
_DEEP_SIGMOID = TrainConfig(
    dataset="circles",
    layers=(2, 8, 8, 8, 8, 8, 1),
    activation="sigmoid",
    optimizer="sgd",
    lr=0.5,
    seed=1,
)

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "ravine",
            "Optimizers on the ravine",
            "race",
            "20× steeper across than along: at lr 0.001 plain SGD crawls along the floor while "
            "momentum and Nesterov build up speed. ] raises the lr.",
            race=RaceSetup("quadratic", _all_but("adagrad", "adadelta")),  # they barely move
        ),
        Preset(
            "lr-too-high",
            "A learning rate too high",
            "race",
            "At lr 0.11 each SGD step multiplies y by 1 − 20·0.11 = −1.2: it zigzags outwards "
            "and diverges. Adam's steps stay about lr long, so it holds.",
            race=RaceSetup("quadratic", ("sgd", "momentum", "adam"), 0.11),
        ),
        Preset(
            "saddle",
            "Escaping a saddle point",
            "race",
            "Started a hair off the ridge (y = 0.001), plain SGD stays near the saddle; momentum "
            "and the adaptive methods run off down the slope.",
            race=RaceSetup("saddle", _all_but("nesterov", "adadelta")),
        ),
        Preset(
            "rosenbrock",
            "The Rosenbrock valley",
            "race",
            "A curved valley with its minimum at (1, 1): momentum and Nesterov follow the bend "
            "there; SGD at lr 0.001 and Adam at 0.01 are still far off at step 1000.",
            race=RaceSetup("rosenbrock"),
        ),
        Preset(
            "sigmoid-deep",
            "Sigmoid in 6 layers (vanishing gradients)",
            "train",
            "σ′ ≤ ¼ shrinks the gradient at every layer back: at step 0 the first layer's is "
            "~10⁻⁵ of the last's, and SGD stays stuck. a switches to tanh.",
            train=_DEEP_SIGMOID,
        ),
        Preset(
            "tanh-vs-sigmoid",
            "tanh vs sigmoid in 6 layers",
            "train",
            "tanh is zero-centred with slope 1 at 0: the same six layers learn the circle. a "
            "switches to sigmoid: same data, same start, and it stays stuck.",
            train=replace(_DEEP_SIGMOID, activation="tanh"),
        ),
        Preset(
            "xor-activations",
            "tanh vs sigmoid on xor",
            "train",
            "One small network (2-8-1, Adam), the same data and start: with tanh (zero-centred, "
            "slope 1 at 0) it separates xor in under half the steps sigmoid (slope ¼ at 0) "
            "needs. a switches between them.",
            train=TrainConfig(
                dataset="xor", layers=(2, 8, 1), activation="sigmoid", lr=0.03, seed=1
            ),
        ),
        Preset(
            "relu",
            "ReLU on the spiral",
            "train",
            "ReLU's slope is 1 wherever a unit is on, so the gradient passes back undiminished; "
            "its boundary is made of straight pieces.",
            train=TrainConfig(
                dataset="spiral", layers=(2, 16, 16, 1), activation="relu", lr=0.03, seed=1
            ),
        ),
    )
}


def preset_for_entry(entry_id: str) -> Preset | None:
    """The preset that shows content entry ``entry_id``, or None if none does."""
    name = preset_name_for_entry(entry_id)
    return PRESETS[name] if name else None


def parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden layer sizes from text like ``8,8`` (empty: no hidden layer); ValueError with one
    line naming the problem otherwise."""
    parts = [p.strip() for p in text.replace(" ", ",").split(",") if p.strip()]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(f"hidden layers: write sizes like 8,8 (got {text!r})") from None
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"hidden layers: at most {MAX_HIDDEN_LAYERS} (got {len(sizes)})")
    if any(not 1 <= n <= MAX_UNITS for n in sizes):
        raise ValueError(f"hidden layers: each from 1 to {MAX_UNITS} units (got {text!r})")
    return sizes


def output_layer(output_activation: str) -> int:
    """Units of the output layer: 2 for softmax (one-hot classes), else 1."""
    return 2 if output_activation == "softmax" else 1


def parse_lr(text: str, allow_default: bool = False) -> float | None:
    """A learning rate from text (a positive number; ``default`` or empty gives None when
    ``allow_default``); ValueError with one line otherwise."""
    stripped = text.strip().lower()
    if allow_default and stripped in ("", "default"):
        return None
    try:
        value = float(stripped)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        hint = " or 'default'" if allow_default else ""
        raise ValueError(f"learning rate: a positive number like 0.01{hint} (got {text!r})")
    return value


def next_lr(lr: float | None, direction: int) -> float:
    """The next rung of LR_LADDER above (direction 1) or below (−1) ``lr``. From None (the race's
    defaults: 0.001 for the SGD family, 0.01 for the adaptive ones) up is 0.01 and down 0.001."""
    if lr is None:
        return 0.01 if direction > 0 else 0.001
    if direction > 0:
        above = [v for v in LR_LADDER if v > lr * (1 + 1e-9)]
        return above[0] if above else LR_LADDER[-1]
    below = [v for v in LR_LADDER if v < lr * (1 - 1e-9)]
    return below[-1] if below else LR_LADDER[0]
