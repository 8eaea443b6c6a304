"""What one answered question or exercise step is, as the study record keeps it.

Pure values: saving them is an application service (``studyapp.study.attempts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AttemptKind(StrEnum):
    """What was answered (the ``kind`` of ``Storage.record_attempt``)."""

    QUIZ = "quiz"
    EXERCISE = "exercise"


@dataclass(frozen=True)
class StepAttempt:
    """One step of a worked exercise, answered (or revealed).

    ``question_id`` names the exercise and the step (``exercise:backprop:…:z1``); ``step`` is the
    step type (``studyapp.core.steps.STEP_TYPES``: ``z``, ``delta_hidden`` …); ``correct`` counts
    towards accuracy (right on its own or given earlier answers, without the numbers hint or a
    reveal); ``seconds`` the time spent on it; ``hints`` the highest hint level seen (0–2).
    """

    question_id: str
    topic: str
    step: str
    correct: bool
    seconds: float
    hints: int
    revealed: bool
