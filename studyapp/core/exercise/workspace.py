"""The exercise workspace: one exercise solved step by step, graded like a teacher.

Pure domain logic, no Textual: the screen (``studyapp.ui.screens.exercise``) only shows what this
module computes and forwards what the user types. What differs between a backprop and an optimizer
exercise (the steps, how a step is recomputed, the slips, the hints) is the exercise's
:class:`~studyapp.core.exercise.model.ExerciseRules`; the workspace itself is the same for both.

Grading follows Numbas' *error carried forward*: every step is first checked against the true value
(from the engine's answers). When it is wrong there, it is checked again against the value
recomputed by the engine from the user's **own** earlier answers; a match there is credited as
"correct given your earlier answer".
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from engine.exercise_types import Exercise, OptimizerExercise
from studyapp.core.attempts import StepAttempt
from studyapp.core.exercise.backprop import BackpropRules
from studyapp.core.exercise.model import (
    ExerciseRules,
    Feedback,
    Reply,
    Step,
    StepResult,
    StepStatus,
)
from studyapp.core.exercise.numbers import (
    REL_TOL,
    check_answer,
    check_update,
    describe_shape,
    fit_shape,
    fmt_number,
    fmt_update,
    fmt_value,
    parse_numbers,
    step_abs_tol,
)
from studyapp.core.exercise.optimizer import OptimizerRules
from studyapp.core.steps import STEP_TYPES

CREDIT_NUMBERS_HINT = 0.5  # a step solved after seeing the formula with numbers earns half


def rules_for(exercise: Exercise) -> ExerciseRules:
    """The rules of this kind of exercise."""
    if isinstance(exercise, OptimizerExercise):
        return OptimizerRules(exercise)
    return BackpropRules(exercise)


class Workspace:
    """State of one exercise being solved. Construct with an exercise from the engine.

    Steps are answered in order; ``submit`` grades the current step and opens the next one;
    ``hint`` gives the next hint level; ``reveal`` shows the answer (no credit).
    """

    def __init__(self, exercise: Exercise, clock: Callable[[], float] = time.monotonic):
        self.exercise = exercise
        self.rules = rules_for(exercise)
        self._clock = clock
        self.steps: list[Step] = self.rules.steps
        self.results: list[StepResult] = [StepResult() for _ in self.steps]
        self.current = 0
        self._started = clock()

    # -- identity -------------------------------------------------------------------------
    @property
    def topic(self) -> str:
        return self.rules.topic

    @property
    def question_id(self) -> str:
        """Stable id of this exercise for storage: kind, configuration, seed and index."""
        return self.rules.question_id

    # -- progress ---------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.current >= len(self.steps)

    @property
    def step(self) -> Step | None:
        return None if self.finished else self.steps[self.current]

    def user_value(self, key: str) -> np.ndarray | None:
        """The user's value for a finished step (revealed steps give the true value)."""
        for step, res in zip(self.steps, self.results, strict=True):
            if step.key == key and res.done:
                return res.value
        return None

    def given(self, key: str) -> np.ndarray:
        """The value later steps build on: the user's own where they gave one, else the true one."""
        user = self.user_value(key)
        return self._truth(key) if user is None else user

    def _truth(self, key: str) -> np.ndarray:
        """The true value of step ``key``."""
        for step in self.steps:
            if step.key == key:
                return step.expected
        raise KeyError(key)

    # -- actions ----------------------------------------------------------------------------
    def submit(self, text: str) -> Feedback:
        """Grade the current step. Invalid input (cannot be read) leaves it open; else it moves on."""
        step = self.step
        if step is None:
            return Feedback(Reply.INVALID, "the exercise is finished: press n for a new one")
        text = (text or "").strip()
        if not text:
            return Feedback(Reply.INVALID, f"type {step.shape_text} for {step.label}")
        typed = parse_numbers(text)
        if typed is not None and typed.size != step.expected.size:
            # a vector for a matrix, a number for a vector: a typing slip, not an answer to grade
            # (a transposed matrix has the right size and is graded, with its diagnosis)
            return Feedback(
                Reply.INVALID,
                f"{step.label} is {step.shape_text}; you typed {describe_shape(typed.shape)}",
            )
        verdict = self.check(step, step.expected, text)
        if verdict.verdict == "invalid":
            return Feedback(Reply.INVALID, verdict.message)
        res = self.results[self.current]
        res.attempts += 1
        res.answer = text
        res.value = fit_shape(typed, step.expected.shape)
        if verdict.verdict == "correct":
            res.status, res.message = StepStatus.CORRECT, "correct"
            res.diagnosis = verdict.diagnosis
        else:
            self._grade_wrong(step, res, text, verdict.message, verdict.diagnosis)
        res.credit = 0.0 if not res.status.accepted else self._credit(res)
        self._close_step()
        return Feedback(res.status, res.message, res.diagnosis, advanced=True)

    def _grade_wrong(
        self, step: Step, res: StepResult, text: str, message: str, diagnosis: str | None
    ) -> None:
        """A step wrong against the key: right given the learner's earlier answers, or a named
        slip, or just incorrect."""
        carried = self.carried_expected(step)
        if carried is not None and not np.allclose(carried, step.expected, rtol=1e-9, atol=1e-12):
            again = self.check(step, carried, text)
            if again.verdict == "correct":
                res.status = StepStatus.CORRECT_GIVEN_EARLIER
                res.message, res.diagnosis = "correct given your earlier answer", None
                return
            diagnosis = again.diagnosis or diagnosis
        res.status, res.message = StepStatus.INCORRECT, message or "incorrect"
        slip = self.slip(step, text) if res.value is not None else None
        res.diagnosis = slip or diagnosis

    def check(self, step: Step, expected: np.ndarray, text: str):
        """The checker's Verdict on ``text`` for ``step`` against ``expected``: numbers within the
        contract's tolerance, an updated parameter on its change (see ``check_update``)."""
        before = self.rules.before(step)
        if before is None:
            return check_answer(expected, text)
        return check_update(before, expected, text)

    def _same(self, step: Step, a: np.ndarray, b: np.ndarray) -> bool:
        """Are ``a`` and ``b`` the same answer to ``step`` (an update: the same change)?"""
        before = self.rules.before(step)
        if before is None:
            return bool(np.allclose(a, b, rtol=REL_TOL, atol=step_abs_tol(b)))
        return bool(np.allclose(a - before, b - before, rtol=REL_TOL, atol=1e-15))

    def shown(self, step: Step) -> str:
        """The step's true value as the learner reads it (an update with the digits its change
        needs: W¹ new = 0.200294, not 0.2003)."""
        before = self.rules.before(step)
        return fmt_value(step.expected) if before is None else fmt_update(before, step.expected)

    @staticmethod
    def _credit(res: StepResult) -> float:
        return CREDIT_NUMBERS_HINT if res.hints >= 2 else 1.0

    def hint(self) -> Feedback:
        """The next hint level for the current step: 1 the formula, 2 the formula with numbers."""
        step = self.step
        if step is None:
            return Feedback(Reply.INVALID, "the exercise is finished")
        res = self.results[self.current]
        res.hints = min(2, res.hints + 1)
        return Feedback(Reply.HINT, self.hint_text(step, res.hints))

    def reveal(self) -> Feedback:
        """Show the true answer; the step earns nothing and the next step builds on the true value."""
        step = self.step
        if step is None:
            return Feedback(Reply.INVALID, "the exercise is finished")
        res = self.results[self.current]
        res.status, res.revealed, res.credit = StepStatus.REVEALED, True, 0.0
        res.value = step.expected
        res.message = f"{step.label} = {self.shown(step)}"
        self._close_step()
        return Feedback(StepStatus.REVEALED, res.message, advanced=True)

    def skip(self, status: StepStatus, message: str) -> Feedback:
        """Close the current step ungraded, as ``missing`` or ``invalid`` (grading a whole written
        solution at once: ``studyapp.core.exercise.grading``); later steps build on the true value."""
        step = self.step
        if step is None:
            return Feedback(Reply.INVALID, "the exercise is finished")
        if status not in (StepStatus.MISSING, StepStatus.INVALID):
            raise ValueError(f"a step is skipped as missing or invalid, not {status}")
        res = self.results[self.current]
        res.status, res.message, res.credit = status, message, 0.0
        self._close_step()
        return Feedback(status, message, advanced=True)

    def _close_step(self) -> None:
        now = self._clock()
        self.results[self.current].seconds = max(0.0, now - self._started)
        self._started = now
        self.current += 1

    # -- error carried forward -----------------------------------------------------------------
    def carried_expected(self, step: Step) -> np.ndarray | None:
        """The step's value recomputed by the engine from the user's own earlier values."""
        return self.rules.recompute(step, self.given)

    def slip(self, step: Step, text: str) -> str | None:
        """Name a classic slip when the user's answer ``text`` is what it gives (graded like the
        step itself), on the user's own earlier values or on the true ones."""
        candidates = self.rules.slips(step, self.given) + self.rules.slips(step, self._truth)
        for description, alt in candidates:
            alt = np.asarray(alt, dtype=float)
            if (
                alt.shape == step.expected.shape
                and not self._same(step, alt, step.expected)
                and self.check(step, alt, text).verdict == "correct"
            ):
                return description
        return None

    # -- hints ----------------------------------------------------------------------------------
    def formula(self, step: Step | None = None) -> str:
        step = step or self.step
        return "" if step is None else self.hint_text(step, 1)

    def hint_text(self, step: Step, level: int) -> str:
        return self.rules.hint(step, level, self.given)

    # -- the end ---------------------------------------------------------------------------------
    def score_by_type(self) -> dict[str, tuple[float, int]]:
        """{step type: (credit earned, number of steps)} in the order the types first appear."""
        out: dict[str, tuple[float, int]] = {}
        for step, res in zip(self.steps, self.results, strict=True):
            got, total = out.get(step.kind, (0.0, 0))
            out[step.kind] = (got + res.credit, total + 1)
        return out

    @property
    def score(self) -> tuple[float, int]:
        return sum(r.credit for r in self.results), len(self.steps)

    def summary_text(self) -> str:
        """The score per step type, as a small table."""
        lines = []
        for kind, (got, total) in self.score_by_type().items():
            lines.append(f"{STEP_TYPES.get(kind, kind):<24} {fmt_number(got):>4} / {total}")
        got, total = self.score
        lines.append(f"{'total':<24} {fmt_number(got):>4} / {total}")
        hints = sum(1 for r in self.results if r.hints)
        reveals = sum(1 for r in self.results if r.revealed)
        carried = sum(1 for r in self.results if r.status == StepStatus.CORRECT_GIVEN_EARLIER)
        lines.append(
            f"hints used on {hints} step(s), {reveals} revealed, "
            f"{carried} correct given an earlier answer"
        )
        return "\n".join(lines)

    def worked_solution(self) -> str:
        """The full worked solution, the same text as ``studyapp exercise … --format text``."""
        return self.rules.worked_solution()

    def attempts(self) -> list[StepAttempt]:
        """One attempt per step, to be saved when the exercise is finished
        (``studyapp.study.attempts``)."""
        return [
            StepAttempt(
                question_id=f"{self.question_id}:{step.key}",
                topic=self.topic,
                step=step.kind,
                correct=res.counts_correct,
                seconds=float(res.seconds),
                hints=res.hints,
                revealed=res.revealed,
            )
            for step, res in zip(self.steps, self.results, strict=True)
        ]
