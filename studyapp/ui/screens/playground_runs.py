"""The playground's two simulations as the live views drive them, and the frames they produce.

:class:`TrainRun` wraps ``engine.playground.trainer.Trainer``, :class:`RaceRun` wraps
``engine.playground.race.Race``. Each lives on one worker thread (see ``studyapp.ui.live``): the
view sends it commands (``configure``, ``reset``, ``step``, ``resize`` …) and draws the frames it
returns. A frame carries everything the view shows, its pictures already turned into strips, so
the UI thread does no NumPy work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from textual.strip import Strip

from engine.playground.race import Race
from engine.playground.surfaces import grid as surface_grid
from engine.playground.trainer import Evaluation, TrainConfig, Trainer
from studyapp.core.playground import RaceSetup
from studyapp.ui.widgets.contour import OPTIMIZER_RGB, contour_image, draw_paths
from studyapp.ui.widgets.half_block import Mark, fit_size, half_block_strips
from studyapp.ui.widgets.heatmap import decision_image, pixel_coordinates

#: Steps per frame the speed keys step through.
SPEEDS: tuple[int, ...] = (1, 2, 5, 10, 20, 50, 100)
DEFAULT_SPEED = 5
#: A race stops after this many steps (or when every path has diverged).
RACE_HORIZON = 1000
#: Loss history points kept for the plot; beyond it every other old point is dropped.
HISTORY_POINTS = 400


def next_speed(speed: int, direction: int) -> int:
    """The next entry of SPEEDS above (direction 1) or below (−1) ``speed``."""
    if direction > 0:
        return next((s for s in SPEEDS if s > speed), SPEEDS[-1])
    return next((s for s in reversed(SPEEDS) if s < speed), SPEEDS[0])


@dataclass
class History:
    """(step, value) pairs, at most ``2 × cap`` of them: when full, every other old pair is
    dropped, so a long run keeps its whole shape at a coarser spacing."""

    cap: int = HISTORY_POINTS
    steps: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)

    def append(self, step: int, value: float) -> None:
        if self.steps and self.steps[-1] == step:  # the same state evaluated again
            self.values[-1] = value
            return
        self.steps.append(step)
        self.values.append(value)
        if len(self.steps) >= 2 * self.cap:
            self.steps = self.steps[::2] + ([self.steps[-1]] if len(self.steps) % 2 == 0 else [])
            self.values = self.values[::2] + (
                [self.values[-1]] if len(self.values) % 2 == 0 else []
            )


@dataclass(frozen=True)
class TrainFrame:
    """The train view at one moment: the network after ``evaluation.step`` updates."""

    config: TrainConfig
    evaluation: Evaluation
    diverged: bool
    loss_steps: list[int]
    loss_values: list[float]
    strips: list[Strip]
    speed: int


class TrainRun:
    """A Trainer, its loss history and the size of the picture to draw (pixels)."""

    def __init__(self, config: TrainConfig, speed: int = DEFAULT_SPEED) -> None:
        self.size = (32, 32)
        self.speed = speed
        self.configure(config)

    def configure(self, config: TrainConfig) -> None:
        """Start over with ``config`` (validated: raises OptionError naming what is wrong)."""
        self.trainer = Trainer(config)
        self.config = config
        self.history = History()
        self._evaluate()

    def reset(self) -> None:
        """Start over with the same config: the same seed gives the same data and start."""
        self.configure(self.config)

    def resize(self, width: int, height: int) -> None:
        self.size = (max(2, width), max(2, height + height % 2))

    def set_speed(self, speed: int) -> None:
        self.speed = speed

    def step(self, n: int = 1) -> None:
        self.trainer.step(n)
        self._evaluate()

    def advance(self) -> bool:
        """One frame's steps; False once the network has diverged (nothing more to watch)."""
        self.step(self.speed)
        return not self.trainer.diverged

    def _evaluate(self) -> None:
        self.evaluation = self.trainer.evaluate()
        self.history.append(self.evaluation.step, self.evaluation.loss)

    def frame(self) -> TrainFrame:
        data = self.trainer.data
        width, height = fit_size(*self.size, aspect=_aspect(data.extent))
        grid = self.trainer.decision_grid(width, height)
        image = decision_image(grid.score, grid.threshold, data.points, data.classes, data.extent)
        return TrainFrame(
            self.config,
            self.evaluation,
            self.trainer.diverged,
            list(self.history.steps),
            list(self.history.values),
            half_block_strips(image),
            self.speed,
        )


def _aspect(extent) -> float:
    """Width over height of a box (x0, x1, y0, y1): the picture keeps it, so circles stay round."""
    x0, x1, y0, y1 = extent
    return (x1 - x0) / (y1 - y0)


@dataclass(frozen=True)
class RunnerState:
    """One optimizer in the race: its colour, steps kept, last point and f there."""

    name: str
    rgb: tuple[int, int, int]
    steps: int
    x: float
    y: float
    f: float
    diverged: bool


@dataclass(frozen=True)
class RaceFrame:
    setup: RaceSetup
    t: int
    horizon: int
    runners: tuple[RunnerState, ...]
    strips: list[Strip]
    speed: int

    @property
    def finished(self) -> bool:
        return self.t >= self.horizon or all(r.diverged for r in self.runners)


class RaceRun:
    """A Race, drawn on a cached contour picture of its surface."""

    MINIMUM_RGB = (255, 255, 255)
    setup: RaceSetup  # the race being run (set by configure)

    def __init__(
        self, setup: RaceSetup, speed: int = DEFAULT_SPEED, horizon: int = RACE_HORIZON
    ) -> None:
        self.size = (48, 32)
        self.speed = speed
        self.horizon = horizon
        self._background: np.ndarray | None = None
        self.configure(setup)

    def configure(self, setup: RaceSetup) -> None:
        """Start the race over with ``setup`` (OptionError naming what is wrong)."""
        self.race = Race(setup.surface, setup.optimizers, lr=setup.lr)
        if self._background is not None and setup.surface != self.setup.surface:
            self._background = None
        self.setup = setup

    def reset(self) -> None:
        self.configure(self.setup)

    def resize(self, width: int, height: int) -> None:
        self.size = (max(2, width), max(2, height + height % 2))
        self._background = None

    def set_speed(self, speed: int) -> None:
        self.speed = speed

    def step(self, n: int = 1) -> None:
        self.race.advance(max(0, min(n, self.horizon - self.race.t)))

    def advance(self) -> bool:
        """One frame's steps; False once the horizon is reached or every path has diverged."""
        running = self.race.advance(max(0, min(self.speed, self.horizon - self.race.t)))
        return running and self.race.t < self.horizon

    def _contours(self) -> np.ndarray:
        """The contour picture of the surface at the view's size (cached)."""
        if self._background is None:
            width, height = fit_size(*self.size, aspect=_aspect(self.race.surface.extent))
            _, _, values = surface_grid(self.race.surface, width, height)
            self._background = contour_image(values)
        return self._background

    def frame(self) -> RaceFrame:
        surface = self.race.surface
        background = self._contours()
        height, width = background.shape[:2]
        minimum = [surface.minimum] if surface.minimum else []
        runners = self.race.runners
        image = draw_paths(background, {n: r.path for n, r in runners.items()}, surface.extent)
        ends = [r.path[-1] for r in runners.values()]
        at = pixel_coordinates([*minimum, *ends], surface.extent, width, height)
        colours = [self.MINIMUM_RGB] * len(minimum) + [OPTIMIZER_RGB[n] for n in runners]
        glyphs = ["+"] * len(minimum) + ["●"] * len(runners)
        marks = []
        for (col, row), glyph, rgb in zip(np.rint(at), glyphs, colours, strict=True):
            if 0 <= col < width and 0 <= row < height:
                # a cell holds pixel rows 2k and 2k + 1; the mark sits on the contours there,
                # not on a path drawn through the cell (it would hide a head of the same colour)
                cell = int(row) // 2
                under = background[2 * cell : 2 * cell + 2, int(col)].mean(axis=0)
                under_rgb = (int(under[0]), int(under[1]), int(under[2]))
                marks.append(Mark(cell, int(col), glyph, rgb, under_rgb))
        states = tuple(
            RunnerState(name, OPTIMIZER_RGB[name], r.steps, *r.path[-1], r.final()["f"], r.diverged)
            for name, r in runners.items()
        )
        return RaceFrame(
            self.setup,
            self.race.t,
            self.horizon,
            states,
            half_block_strips(image, marks),
            self.speed,
        )
