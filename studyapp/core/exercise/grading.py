"""A whole written solution graded at once (``studyapp exercise grade``): the workspace, driven.

A teacher (or a script) has a learner's answers to one exercise written out as the contract's
``answers`` object. :func:`grade_solution` feeds them to a :class:`Workspace` step by step, in the
order a learner works, exactly as the exercise screen does with typed answers: the same tolerance,
the same grading of updates on their change, the same error carried forward. A step left out is
closed as ``missing`` and one that cannot be read as ``invalid``; later steps then build on the
true value.

Numbers arrive as JSON; read them with ``json.loads(text, parse_float=Decimal, parse_int=Decimal)``
(``read_json(..., exact=True)``) so that the decimals the learner wrote survive (``0.2000`` has four: an
update is graded to half a unit of the last one). A string is typed text and may hold arithmetic
(``"0.2 - 0.1*(-0.0029)"``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import numpy as np

from engine.exercise_types import (
    BackpropAnswers,
    BackpropExercise,
    Exercise,
    OptimizerAnswers,
    exercise_from_dict,
)
from studyapp.core.exercise.model import Step, StepResult, StepStatus
from studyapp.core.exercise.workspace import Workspace
from studyapp.errors import UsageError

SCHEMA = 1


# --------------------------------------------------------------------------- reading the input


def read_json(text: str, what: str, exact: bool = False) -> Any:
    """The JSON in ``text``; ``exact``: every number kept as written (a ``Decimal``: the learner's
    answers). UsageError naming ``what`` if it is not JSON."""
    try:
        if exact:
            return json.loads(text, parse_float=Decimal, parse_int=Decimal)
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{what}: not JSON ({exc})") from None


def load_exercise(obj: Any) -> Exercise:
    """The exercise of a ``studyapp exercise backprop|optimizer --format json`` object, its answers
    recomputed by the engine from its given values (so an edited file cannot hold a wrong key).

    UsageError (one line, naming the field) for anything that is not such an exercise.
    """
    from engine import exercises

    if isinstance(obj, list):
        if len(obj) != 1:
            raise UsageError(f"exercise: the file holds {len(obj)} exercises; grade one at a time")
        obj = obj[0]
    try:
        ex = exercise_from_dict(obj)
        if isinstance(ex, BackpropExercise):
            exercises.validate_backprop_options(
                list(ex.layers),
                ex.activation,
                ex.output_activation,
                ex.loss,
                ex.decimals,
                ex.learning_rate,
            )
            _check_backprop_shapes(ex)
            solved = exercises.solve_backprop(ex.to_dict())
            return replace(ex, answers=BackpropAnswers.from_dict(solved))
        exercises.validate_optimizer_options(ex.optimizer, len(ex.params), ex.decimals)
        if len(ex.grad) != len(ex.params):
            raise ValueError("exercise.grad: must have one number per parameter")
        solved = exercises.solve_optimizer(ex.to_dict())
        return replace(ex, answers=OptimizerAnswers.from_dict(solved))
    except (ValueError, KeyError, TypeError) as exc:
        message = str(exc.args[0]) if exc.args else exc.__class__.__name__
        if isinstance(exc, exercises.OptionError):  # "--loss: …" names a field of the file here
            field = exc.option.lstrip("-").replace("-", "_")
            message = f"exercise.{field}:" + message.split(":", 1)[1]
        elif isinstance(exc, KeyError):
            message = f"exercise: missing {message!r}"
        elif not message.startswith("exercise"):
            message = f"exercise: {message}"
        raise UsageError(message) from None


def _check_backprop_shapes(ex: BackpropExercise) -> None:
    """The given values fit ``layers`` (W^m is N^m × N^(m−1), b^m has N^m numbers …)."""
    n = ex.layers
    if len(ex.x) != n[0]:
        raise ValueError(f"exercise.x: {len(ex.x)} numbers for an input layer of {n[0]}")
    if len(ex.weights) != len(n) - 1 or len(ex.biases) != len(n) - 1:
        raise ValueError(f"exercise: layers {list(n)} need {len(n) - 1} weight matrices and biases")
    for m in range(1, len(n)):
        rows = ex.weights[m - 1]
        if len(rows) != n[m] or any(len(r) != n[m - 1] for r in rows):
            raise ValueError(f"exercise.weights[{m}]: W^{m} must be {n[m]}×{n[m - 1]}")
        if len(ex.biases[m - 1]) != n[m]:
            raise ValueError(f"exercise.biases[{m}]: b^{m} must have {n[m]} numbers")
    if len(ex.target) != n[-1]:
        raise ValueError(f"exercise.target: {len(ex.target)} numbers for {n[-1]} outputs")


class _Unreadable(ValueError):
    """An answer value that is neither a number, a string nor a list of them."""


def _typed(value: Any) -> str:
    """An answer value as the text a learner would type: ``[0.2003, -0.5]``."""
    if isinstance(value, bool) or value is None or isinstance(value, Mapping):
        raise _Unreadable
    if isinstance(value, Decimal | int | float):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_typed(v) for v in value) + "]"
    raise _Unreadable


_ABSENT = object()


def _lookup(answers: Mapping, path: tuple[str | int, ...]) -> Any:
    """``answers[path[0]][path[1]]…``, or _ABSENT where the learner left it out."""
    value: Any = answers
    for key in path:
        if isinstance(key, int):
            if not isinstance(value, list) or key >= len(value):
                return _ABSENT
            value = value[key]
        else:
            if not isinstance(value, Mapping) or key not in value:
                return _ABSENT
            value = value[key]
        if value is None:
            return _ABSENT
    return value


def _plain(value: Any) -> Any:
    """JSON-ready: Decimals as floats."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --------------------------------------------------------------------------- grading


@dataclass
class GradedStep:
    """One step of a graded solution (the contract's ``steps`` element)."""

    step: Step
    result: StepResult
    expected_given_earlier: np.ndarray
    answer: Any  # the learner's value as read (None: missing)

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step.name,
            "verdict": self.result.status.value,
            "expected": self.step.expected.tolist(),
            "expected_given_earlier": self.expected_given_earlier.tolist(),
            "answer": self.answer,
            "message": self.result.message,
            "diagnosis": self.result.diagnosis,
        }


@dataclass
class GradedSolution:
    """Every step, graded; ``correct`` and ``correct_given_earlier`` count those verdicts."""

    kind: str
    steps: list[GradedStep]

    def count(self, status: StepStatus) -> int:
        return sum(1 for s in self.steps if s.result.status == status)

    @property
    def all_accepted(self) -> bool:
        return all(s.result.status.accepted for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "kind": self.kind,
            "steps": [s.to_dict() for s in self.steps],
            "correct": self.count(StepStatus.CORRECT),
            "correct_given_earlier": self.count(StepStatus.CORRECT_GIVEN_EARLIER),
            "total": len(self.steps),
        }


def grade_solution(exercise: Exercise, answers: Any) -> GradedSolution:
    """Grade ``answers`` (the shape of the exercise's ``answers``, any subset) step by step."""
    if not isinstance(answers, Mapping):
        raise UsageError("answers: expected a JSON object shaped like the exercise's answers")
    ws = Workspace(exercise)
    read: list[Any] = []
    for step in ws.steps:
        value = _lookup(answers, step.path)
        if value is _ABSENT:
            ws.skip(StepStatus.MISSING, "no answer")
            read.append(None)
            continue
        try:
            text = _typed(value)
        except _Unreadable:
            ws.skip(StepStatus.INVALID, f"{step.label}: not a number, nor a list of numbers")
            read.append(_plain(value) if not isinstance(value, Mapping) else None)
            continue
        feedback = ws.submit(text)
        if not feedback.advanced:  # could not be read, or the wrong shape: said, not graded
            ws.skip(StepStatus.INVALID, feedback.message)
        result = ws.results[ws.current - 1]
        read.append(result.value.tolist() if result.value is not None else _plain(value))
    graded = []
    for step, result, answer in zip(ws.steps, ws.results, read, strict=True):
        carried = ws.carried_expected(step)
        graded.append(
            GradedStep(step, result, step.expected if carried is None else carried, answer)
        )
    return GradedSolution(exercise.kind, graded)
