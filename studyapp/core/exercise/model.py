"""The pieces of a worked exercise: steps, their statuses and results, and the protocol each kind
of exercise (backprop, optimizer) implements for the workspace.

Values are float64 arrays in their natural shape: a scalar ``()``, a vector ``(N,)``, a matrix
``(N, M)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import numpy as np


class StepStatus(StrEnum):
    """Where one step stands; the words of the contract's grading verdicts where they overlap."""

    OPEN = "open"
    CORRECT = "correct"
    #: wrong against the key but right from the learner's own earlier answers (error carried forward)
    CORRECT_GIVEN_EARLIER = "correct_given_earlier"
    INCORRECT = "incorrect"
    REVEALED = "revealed"
    #: closed without a grade when a whole solution is graded at once (``exercise grade``): no
    #: answer given, or one that cannot be read (not a number, the wrong shape)
    MISSING = "missing"
    INVALID = "invalid"

    @property
    def accepted(self) -> bool:
        """Earns credit as right: correct, or correct given the learner's earlier answers."""
        return self in (StepStatus.CORRECT, StepStatus.CORRECT_GIVEN_EARLIER)


class Reply(StrEnum):
    """What an action answered when it did not close the step."""

    INVALID = "invalid"  # the input could not be read (or the exercise is finished)
    HINT = "hint"


def _slots(n: int) -> str:
    """``[·, ·, ·]`` for n = 3: one dot per entry, or ``[·, …, ·]`` beyond 4."""
    return "[" + ", ".join(["·"] * n) + "]" if n <= 4 else "[·, …, ·]"


@dataclass
class Step:
    """One answer box: ``key`` names the value (``z1``, ``grad_W2`` …), ``kind`` its step type
    (``studyapp.core.steps.STEP_TYPES``)."""

    key: str
    kind: str
    label: str  # unicode, e.g. "z¹" or "∂L/∂W²"
    title: str  # what it is, e.g. "pre-activation of layer 1 (hidden, sigmoid)"
    expected: np.ndarray  # the true value (float64), natural shape
    layer: int | None = None
    #: where the value sits in the contract's ``answers`` object: ("z", 0) is answers["z"][0],
    #: ("state", "m") answers["state"]["m"], ("loss",) answers["loss"]
    path: tuple[str | int, ...] = ()

    @property
    def name(self) -> str:
        """The contract's step name (``studyapp exercise grade``): ``z[1]``, ``loss``,
        ``state.m``, ``params`` (layers count from 1 like the notes)."""
        head, *rest = self.path or (self.key,)
        return str(head) + "".join(f"[{r + 1}]" if isinstance(r, int) else f".{r}" for r in rest)

    @property
    def shape_text(self) -> str:
        """How to type it: "a number", "a 3-vector [·, ·, ·]", "a 2×3 matrix [[·, ·, ·], …]"
        (one slot per entry, up to 4: a longer row reads "[·, …, ·]")."""
        shape = self.expected.shape
        if len(shape) == 0:
            return "a number"
        if len(shape) == 1:
            return "a number" if shape[0] == 1 else f"a {shape[0]}-vector {_slots(shape[0])}"
        rows, cols = shape
        one_row = _slots(cols)
        example = (
            f"[{one_row}]" if rows == 1 else f"[{one_row}, {one_row}{', …' if rows > 2 else ''}]"
        )
        return f"a {rows}×{cols} matrix {example}"


@dataclass
class StepResult:
    """What happened to one step."""

    status: StepStatus = StepStatus.OPEN
    answer: str | None = None
    value: np.ndarray | None = None  # the user's value in the step's shape (None: not readable)
    message: str = ""
    diagnosis: str | None = None
    hints: int = 0  # highest hint level seen: 0 none, 1 formula, 2 formula with numbers
    revealed: bool = False
    credit: float = 0.0
    seconds: float = 0.0
    attempts: int = 0  # invalid inputs do not count; only graded answers

    @property
    def done(self) -> bool:
        return self.status != StepStatus.OPEN

    @property
    def counts_correct(self) -> bool:
        """For accuracy statistics: right on its own (carried-forward counts), no reveal, no numbers hint."""
        return self.status.accepted and self.hints < 2


@dataclass
class Feedback:
    """The answer to one user action, for the screen to show: the step's new status when the action
    closed it (``advanced``), else a :class:`Reply`."""

    status: StepStatus | Reply
    message: str
    diagnosis: str | None = None
    advanced: bool = False  # the step is finished and the next one is open


#: the value a later step builds on, by step key: the learner's own where they gave one
Given = Callable[[str], np.ndarray]


class ExerciseRules(Protocol):
    """What one kind of exercise tells the workspace: its steps in the order a learner works, and
    per step the value recomputed from earlier values, the classic slips, and the hints."""

    topic: str  # the topic its attempts count for (``studyapp.core.catalog.TOPICS``)
    question_id: str  # stable id of the exercise: kind, configuration, seed and index
    steps: list[Step]

    def recompute(self, step: Step, given: Given) -> np.ndarray | None:
        """The step's value computed by the engine from ``given`` earlier values (None: no rule)."""
        ...

    def slips(self, step: Step, given: Given) -> list[tuple[str, np.ndarray]]:
        """(what went wrong, the value it gives) for the slips a teacher looks for at this step."""
        ...

    def hint(self, step: Step, level: int, given: Given) -> str:
        """Level 1: the formula. Level 2: the same with the numbers to use (``given`` values)."""
        ...

    def before(self, step: Step) -> np.ndarray | None:
        """The value an update step changes (W^m, b^m, θ), graded on the change; None for the
        other steps."""
        ...

    def worked_solution(self) -> str:
        """The full worked solution, the same text as ``studyapp exercise … --format text``."""
        ...
