"""Saved exercise attempts: each answered step of a finished exercise becomes one attempt in the
study database, which feeds "accuracy per step type" (``Storage.step_accuracy``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from studyapp.core.attempts import AttemptKind, StepAttempt

if TYPE_CHECKING:  # only the type: a caller hands in its open database
    from studyapp.storage import Storage


def save_exercise_attempts(storage: Storage, attempts: Iterable[StepAttempt]) -> int:
    """Record every step (kind "exercise", ``step`` its step type, with hints and reveals), each
    committed as it is recorded. Returns the number of attempts saved."""
    saved = 0
    for attempt in attempts:
        storage.record_attempt(
            AttemptKind.EXERCISE,
            attempt.question_id,
            attempt.topic,
            attempt.correct,
            attempt.seconds,
            attempt.step,
            hints=attempt.hints,
            revealed=attempt.revealed,
        )
        saved += 1
    return saved
