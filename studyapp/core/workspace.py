"""The exercise workspace: a backprop or optimizer exercise solved step by step, graded like a teacher.

Pure domain logic, no Textual: the screen (``studyapp.ui.screens.exercise``) only shows what this
module computes and forwards what the user types.

Grading follows Numbas' *error carried forward*: every step is first checked against the true value
(from the engine's answers). When it is wrong there, it is checked again against the value recomputed
from the user's **own** earlier answers — with the engine's per-step functions
(``engine.network.layer_forward``, ``output_delta``, ``hidden_delta``, ``weight_gradient``, the
activations' ``value`` and the losses' ``value``), never with a second implementation of the maths.
A match there is credited as "correct given your earlier answer". Optimizer exercises do the same
with the engine's named stages (``engine.optimizers.STAGES``: m, v, m̂, v̂, θ …).

Shapes follow the notes: ``W^m`` is (N^m, N^(m-1)); ``z^m``, ``a^m``, ``b^m``, ``δ^m`` are (N^m,);
the loss is a scalar.  The engine works on a leading batch axis, so one exercise is a batch of one.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.activations import HIDDEN_ACTIVATIONS
from engine.exercise_types import BackpropExercise, Exercise, OptimizerExercise
from engine.losses import LOSSES as _LOSSES
from engine.optimizers import NOTES_OPTIMIZERS
from studyapp.core.notation import (
    ACTIVATION_NOTATION,
    LOSS_NOTATION,
    QUANTITY_LABEL,
    rule_hint,
    sup,
)
from studyapp.core.steps import STEP_TYPES
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

# Display formulas (unicode) of what the engine computes; text for hints only, never evaluated.
ACTIVATION_FORMULAS = {name: (n.formula, n.derivative) for name, n in ACTIVATION_NOTATION.items()}
LOSS_FORMULAS = {name: (n.definition, n.gradient) for name, n in LOSS_NOTATION.items()}


def fmt_number(value: float, digits: int = 4) -> str:
    """A number as a person writes it: 4 significant digits, no ``-0``, no exponent unless tiny/huge."""
    value = float(value)
    if value == 0 or abs(value) < 1e-12:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text


def fmt_value(value: Any, digits: int = 4) -> str:
    """Scalar -> ``0.52``; vector -> ``[0.52, 0.91]``; matrix -> ``[[0.2, 0.4], [0.3, 0.7]]``.

    This is also the syntax the checker accepts, so a revealed answer can be typed back as is.
    """
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return fmt_number(arr, digits)
    return "[" + ", ".join(fmt_value(row, digits) for row in arr) + "]"


# ---------------------------------------------------------------------------------------------
# Settings and generation


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


# ---------------------------------------------------------------------------------------------
# Reading what the user typed


class _NumberParser:
    """Numbers, vectors ``[0.5, 0.8]``/``(0.5, 0.8)`` and matrices ``[[1, 2], [3, 4]]`` -> ndarray.

    Only literals: this gives the user's own value to carry forward. Grading itself is the checker's
    (which also accepts expressions); an answer this cannot read is still graded, just not carried.
    """

    _TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|(.))")

    def __init__(self, text: str):
        text = text.replace("−", "-").replace("–", "-").replace("⁻", "-")
        self.tokens: list[str] = []
        for num, other in self._TOKEN.findall(text.strip()):
            self.tokens.append(num or other)
        self.pos = 0

    def parse(self) -> np.ndarray | None:
        try:
            value = self._value(depth=0)
        except (ValueError, IndexError):
            return None
        if self.pos != len(self.tokens):
            return None
        try:
            arr = np.asarray(value, dtype=float)
        except ValueError:  # ragged rows
            return None
        return arr if np.all(np.isfinite(arr)) else None

    def _value(self, depth: int):
        if depth > 3:
            raise ValueError("too deep")
        tok = self.tokens[self.pos]
        if tok in "[(":
            close = "]" if tok == "[" else ")"
            self.pos += 1
            items = [self._value(depth + 1)]
            while self.tokens[self.pos] in (",", ";"):
                self.pos += 1
                items.append(self._value(depth + 1))
            if self.tokens[self.pos] != close:
                raise ValueError("unbalanced")
            self.pos += 1
            return items
        sign = 1.0
        while tok in "+-":
            sign = -sign if tok == "-" else sign
            self.pos += 1
            tok = self.tokens[self.pos]
        self.pos += 1
        return sign * float(tok)


def parse_numbers(text: str) -> np.ndarray | None:
    """The numeric value of an answer: a literal, or arithmetic the checker can evaluate
    (``0.1 + 0.005881``, ``[sigma(0.52), sigma(0.91)]``); None when it has variables or is unreadable.
    """
    if not text or len(text) > 2000:
        return None
    value = _NumberParser(text).parse()
    return value if value is not None else _checker_value(text)


def _checker_value(text: str) -> np.ndarray | None:
    """Evaluate typed arithmetic with the checker's own safe parser and evaluator (never eval)."""
    from studyapp.core.checker import parse
    from studyapp.core.checker.nodes import Mat, Vec, free_symbols
    from studyapp.core.checker.numeric import evaluate

    try:
        node = parse(text)
        if free_symbols(node):
            return None
        if isinstance(node, Mat):
            value = [[float(evaluate(c)) for c in row] for row in node.rows]
        elif isinstance(node, Vec):
            value = [float(evaluate(c)) for c in node.items]
        else:
            value = float(evaluate(node))
        arr = np.asarray(value, dtype=float)
    except Exception:  # any parse/evaluation problem: the value is just not carried forward
        return None
    return arr if np.all(np.isfinite(arr)) else None


def _describe_shape(shape: tuple[int, ...]) -> str:
    if len(shape) == 0:
        return "a number"
    if len(shape) == 1:
        return f"a {shape[0]}-vector"
    return f"a {'×'.join(str(n) for n in shape)} array"


def _fit_shape(value: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray | None:
    """The user's value in the expected shape when it is the same thing written differently.

    ``0.739`` for a 1-vector, ``[0.1, 0.2]`` for a 1×2 matrix, ``[[0.52], [0.91]]`` for a 2-vector
    (column written out): same numbers in the same order. A transposed matrix is NOT fitted.
    """
    if value is None:
        return None
    if value.shape == shape:
        return value
    squeezed = tuple(n for n in value.shape if n != 1)
    if value.size == int(np.prod(shape)) and squeezed == tuple(n for n in shape if n != 1):
        return value.reshape(shape)
    return None


# ---------------------------------------------------------------------------------------------
# Checking


def check_answer(expected: np.ndarray, text: str):
    """``studyapp.core.checker.check_value`` on the expected value in the shape the user wrote.

    Returns the checker's Verdict (fields verdict, message, diagnosis, pretty).
    """
    exp = np.asarray(expected, dtype=float)
    user = parse_numbers(text)
    fitted = _fit_shape(user, exp.shape)
    if fitted is not None and user is not None and user.shape != exp.shape:
        exp = exp.reshape(user.shape)  # same numbers, written as the user did
    elif user is None and exp.size == 1 and not text.lstrip().startswith(("[", "(")):
        exp = exp.reshape(())  # "0.739" for a 1-vector typed as an expression
    expected_arg = float(exp) if exp.ndim == 0 else exp.tolist()
    abs_tol = step_abs_tol(exp)
    from studyapp.core.checker import check_value

    return check_value(expected_arg, text, rel_tol=REL_TOL, abs_tol=abs_tol)


REL_TOL = 0.005  # the contract's 0.5 %


def step_abs_tol(expected: np.ndarray) -> float:
    """Absolute tolerance for one step: the contract's 5e-4, but never more than 0.5 % of the step's
    largest entry — a δ of −0.0059 must not accept −0.0055 (5e-4 alone would allow 8 %)."""
    scale = float(np.max(np.abs(expected))) if np.size(expected) else 0.0
    return float(min(5e-4, max(REL_TOL * scale, 1e-9)))


# ---------------------------------------------------------------------------------------------
# Steps


@dataclass
class Step:
    """One answer box: ``key`` names the value (``z1``, ``grad_W2`` …), ``kind`` its step type."""

    key: str
    kind: str
    label: str  # unicode, e.g. "z¹" or "∂L/∂W²"
    title: str  # what it is, e.g. "pre-activation of layer 1 (hidden, sigmoid)"
    expected: np.ndarray  # the true value (float64), natural shape
    layer: int | None = None

    @property
    def shape_text(self) -> str:
        """How to type it: "a number", "a 2-vector [·, ·]", "a 2×3 matrix [[…], …]"."""
        shape = self.expected.shape
        if len(shape) == 0:
            return "a number"
        if len(shape) == 1:
            return "a number" if shape[0] == 1 else f"a {shape[0]}-vector [·, ·]"
        rows, cols = shape
        one_row = "[" + ", ".join(["·"] * cols) + "]" if cols <= 4 else "[·, …, ·]"
        example = (
            f"[{one_row}]" if rows == 1 else f"[{one_row}, {one_row}{', …' if rows > 2 else ''}]"
        )
        return f"a {rows}×{cols} matrix {example}"


@dataclass
class StepResult:
    """What happened to one step. ``status``: open, correct, correct_cf, incorrect, revealed."""

    status: str = "open"
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
        return self.status != "open"

    @property
    def counts_correct(self) -> bool:
        """For accuracy statistics: right on its own (carried-forward counts), no reveal, no numbers hint."""
        return self.status in ("correct", "correct_cf") and self.hints < 2


@dataclass
class Feedback:
    """The answer to one user action, for the screen to show."""

    status: str  # correct | correct_cf | incorrect | invalid | revealed | hint
    message: str
    diagnosis: str | None = None
    advanced: bool = False  # the step is finished and the next one is open


CREDIT_NUMBERS_HINT = 0.5  # a step solved after seeing the formula with numbers earns half


class Workspace:
    """State of one exercise being solved. Construct with an exercise dict from the engine.

    Steps are answered in order; ``submit`` grades the current step and opens the next one;
    ``hint`` gives the next hint level; ``reveal`` shows the answer (no credit).
    """

    def __init__(self, exercise: Exercise, clock: Callable[[], float] = time.monotonic):
        self.exercise = exercise
        self.kind = exercise.kind
        self._clock = clock
        self.steps: list[Step] = (
            _optimizer_steps(exercise) if self.kind == "optimizer" else _backprop_steps(exercise)
        )
        self.results: list[StepResult] = [StepResult() for _ in self.steps]
        self.current = 0
        self._started = clock()
        self._saved = False

    # -- identity -------------------------------------------------------------------------
    @property
    def topic(self) -> str:
        return "optimizers" if self.kind == "optimizer" else "backprop"

    @property
    def question_id(self) -> str:
        """Stable id of this exercise for storage: kind, configuration, seed and index."""
        ex = self.exercise
        if isinstance(ex, OptimizerExercise):
            return f"exercise:optimizer:{ex.optimizer}:{ex.seed}:{ex.index}"
        origin = ex.preset or f"{ex.seed}:{ex.index}"
        shape = "-".join(str(n) for n in ex.layers)
        return (
            f"exercise:backprop:{shape}:{ex.activation}:{ex.output_activation}:{ex.loss}:{origin}"
        )

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
        if user is not None:
            return user
        for step in self.steps:
            if step.key == key:
                return step.expected
        raise KeyError(key)

    # -- actions ----------------------------------------------------------------------------
    def submit(self, text: str) -> Feedback:
        """Grade the current step. Invalid input (cannot be read) leaves it open; else it moves on."""
        step = self.step
        if step is None:
            return Feedback("invalid", "the exercise is finished: press n for a new one")
        text = (text or "").strip()
        if not text:
            return Feedback("invalid", f"type {step.shape_text} for {step.label}")
        res = self.results[self.current]
        typed = parse_numbers(text)
        if typed is not None and typed.size != step.expected.size:
            # a vector for a matrix, a number for a vector: a typing slip, not an answer to grade
            # (a transposed matrix has the right size and is graded, with its diagnosis)
            return Feedback(
                "invalid",
                f"{step.label} is {step.shape_text}; you typed {_describe_shape(typed.shape)}",
            )
        verdict = check_answer(step.expected, text)
        if verdict.verdict == "invalid":
            return Feedback("invalid", verdict.message)
        res.attempts += 1
        res.answer = text
        res.value = _fit_shape(parse_numbers(text), step.expected.shape)
        status, message, diagnosis = "incorrect", verdict.message, verdict.diagnosis
        if verdict.verdict == "correct":
            status, message = "correct", "correct"
        else:
            carried = self.carried_expected(step)
            if carried is not None and not np.allclose(
                carried, step.expected, rtol=1e-9, atol=1e-12
            ):
                cf = check_answer(carried, text)
                if cf.verdict == "correct":
                    status = "correct_cf"
                    message = "correct given your earlier answer"
                    diagnosis = None
                else:
                    diagnosis = cf.diagnosis or diagnosis
            if status == "incorrect" and not message:
                message = "incorrect"
            if status == "incorrect" and res.value is not None:
                diagnosis = self.slip(step, res.value) or diagnosis
        res.status, res.message, res.diagnosis = status, message, diagnosis
        res.credit = (
            0.0 if status == "incorrect" else (CREDIT_NUMBERS_HINT if res.hints >= 2 else 1.0)
        )
        self._close_step()
        return Feedback(status, message, diagnosis, advanced=True)

    def hint(self) -> Feedback:
        """The next hint level for the current step: 1 the formula, 2 the formula with numbers."""
        step = self.step
        if step is None:
            return Feedback("invalid", "the exercise is finished")
        res = self.results[self.current]
        res.hints = min(2, res.hints + 1)
        return Feedback("hint", self.hint_text(step, res.hints))

    def reveal(self) -> Feedback:
        """Show the true answer; the step earns nothing and the next step builds on the true value."""
        step = self.step
        if step is None:
            return Feedback("invalid", "the exercise is finished")
        res = self.results[self.current]
        res.status, res.revealed, res.credit = "revealed", True, 0.0
        res.value = step.expected
        res.message = f"{step.label} = {fmt_value(step.expected)}"
        self._close_step()
        return Feedback("revealed", res.message, advanced=True)

    def _close_step(self) -> None:
        now = self._clock()
        self.results[self.current].seconds = max(0.0, now - self._started)
        self._started = now
        self.current += 1

    # -- error carried forward -----------------------------------------------------------------
    def carried_expected(self, step: Step) -> np.ndarray | None:
        """The step's value recomputed by the engine from the user's own earlier values."""
        if self.kind == "optimizer":
            return _optimizer_recompute(self, step)
        return _backprop_recompute(self, step)

    def slip(self, step: Step, value: np.ndarray) -> str | None:
        """Name a classic slip of backprop when the user's value is exactly what it gives.

        Each candidate is the engine's computation with one ingredient left out or changed
        (e.g. the activation derivative: the same function with ``linear``), on the user's own inputs.
        """
        if self.kind == "optimizer":
            return None
        truth = {s.key: s.expected for s in self.steps}
        candidates = _backprop_slips(self, step, self.given) + _backprop_slips(
            self, step, truth.__getitem__
        )  # the slip on the true inputs too
        for description, alt in candidates:
            alt = np.asarray(alt, dtype=float)
            if (
                alt.shape == value.shape
                and not np.allclose(alt, step.expected, rtol=0.005)
                and np.allclose(value, alt, rtol=REL_TOL, atol=step_abs_tol(alt))
            ):
                return description
        return None

    # -- hints ----------------------------------------------------------------------------------
    def formula(self, step: Step | None = None) -> str:
        step = step or self.step
        return "" if step is None else self.hint_text(step, 1)

    def hint_text(self, step: Step, level: int) -> str:
        if self.kind == "optimizer":
            return _optimizer_hint(self, step, level)
        return _backprop_hint(self, step, level)

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
        cf = sum(1 for r in self.results if r.status == "correct_cf")
        lines.append(
            f"hints used on {hints} step(s), {reveals} revealed, "
            f"{cf} correct given an earlier answer"
        )
        return "\n".join(lines)

    def worked_solution(self) -> str:
        """The full worked solution, the same text as ``studyapp exercise … --format text``."""
        from studyapp.core import worked

        if isinstance(self.exercise, OptimizerExercise):
            return worked.render_optimizer(self.exercise, "text")
        return worked.render_backprop(self.exercise, "text")

    def save(self, storage) -> int:
        """Record one attempt per step (kind "exercise", step=<step type>). Idempotent. Returns count."""
        if self._saved:
            return 0
        for step, res in zip(self.steps, self.results, strict=True):
            args = dict(
                kind="exercise",
                question_id=f"{self.question_id}:{step.key}",
                topic=self.topic,
                correct=res.counts_correct,
                seconds=float(res.seconds),
                step=step.kind,
            )
            try:
                storage.record_attempt(**args, hints=res.hints, revealed=res.revealed)
            except TypeError:  # a storage without hint/reveal columns still gets the attempt
                storage.record_attempt(**args)
        self._saved = True
        return len(self.steps)

    def records(self) -> list[dict]:
        """A plain summary of every step (for tests and logs)."""
        return [
            {
                "key": s.key,
                "kind": s.kind,
                "status": r.status,
                "hints": r.hints,
                "revealed": r.revealed,
                "credit": r.credit,
                "answer": r.answer,
            }
            for s, r in zip(self.steps, self.results, strict=True)
        ]


# ---------------------------------------------------------------------------------------------
# Backprop steps


def _layer_role(m: int, big_l: int, ex: BackpropExercise) -> str:
    act = ex.output_activation if m == big_l else ex.activation
    return f"{'output' if m == big_l else 'hidden'}, {act}"


def _backprop_steps(ex: BackpropExercise) -> list[Step]:
    ans = ex.answers
    big_l = len(ex.weights)

    def arr(v) -> np.ndarray:
        return np.asarray(v, dtype=float)

    steps: list[Step] = []
    for m in range(1, big_l + 1):
        role = _layer_role(m, big_l, ex)
        steps.append(
            Step(
                f"z{m}",
                "z",
                f"z{sup(m)}",
                f"pre-activation of layer {m} ({role})",
                arr(ans.z[m - 1]),
                m,
            )
        )
        steps.append(
            Step(
                f"a{m}",
                "a",
                f"a{sup(m)}",
                f"activation of layer {m} ({role})",
                arr(ans.a[m - 1]),
                m,
            )
        )
    steps.append(Step("loss", "loss", "L", f"loss ({ex.loss})", arr(ans.loss).reshape(()), None))
    for m in range(big_l, 0, -1):
        kind = "delta_output" if m == big_l else "delta_hidden"
        steps.append(
            Step(
                f"delta{m}",
                kind,
                f"δ{sup(m)}",
                f"∂L/∂z{sup(m)} of layer {m}",
                arr(ans.delta[m - 1]),
                m,
            )
        )
        steps.append(
            Step(
                f"grad_W{m}",
                "grad_W",
                f"∂L/∂W{sup(m)}",
                f"gradient of W{sup(m)}",
                arr(ans.grad_weights[m - 1]),
                m,
            )
        )
        steps.append(
            Step(
                f"grad_b{m}",
                "grad_b",
                f"∂L/∂b{sup(m)}",
                f"gradient of b{sup(m)}",
                arr(ans.grad_biases[m - 1]),
                m,
            )
        )
    for m in range(1, big_l + 1):
        steps.append(
            Step(
                f"new_W{m}",
                "update",
                f"W{sup(m)} new",
                f"W{sup(m)} after one step",
                arr(ans.updated_weights[m - 1]),
                m,
            )
        )
        steps.append(
            Step(
                f"new_b{m}",
                "update",
                f"b{sup(m)} new",
                f"b{sup(m)} after one step",
                arr(ans.updated_biases[m - 1]),
                m,
            )
        )
    return steps


def _given_param(ex: BackpropExercise, name: str, m: int) -> np.ndarray:
    return np.asarray((ex.weights if name == "W" else ex.biases)[m - 1], dtype=float)


def _prev_activation(ws: Workspace, m: int) -> np.ndarray:
    """a^(m-1) as the user has it (x for m = 1)."""
    return np.asarray(ws.exercise.x, dtype=float) if m == 1 else ws.given(f"a{m - 1}")


def _backprop_recompute(ws: Workspace, step: Step) -> np.ndarray | None:
    """The engine's per-step function applied to the user's own inputs (batch of one)."""
    from engine import network
    from engine.activations import ACTIVATIONS
    from engine.losses import LOSSES as ENGINE_LOSSES

    ex = ws.exercise
    big_l = len(ex.weights)
    m = step.layer
    y = np.asarray(ex.target, dtype=float)

    def act(layer: int) -> str:
        return ex.output_activation if layer == big_l else ex.activation

    def b1(v) -> np.ndarray:  # add the batch axis
        return np.asarray(v, dtype=float)[None, ...]

    if step.kind == "z":
        z, _ = network.layer_forward(
            b1(_given_param(ex, "W", m)),
            b1(_given_param(ex, "b", m)),
            b1(_prev_activation(ws, m)),
            act(m),
        )
        return np.asarray(z)[0]
    if step.kind == "a":
        return np.asarray(ACTIVATIONS[act(m)].value(b1(ws.given(f"z{m}"))))[0]
    if step.kind == "loss":
        return np.asarray(ENGINE_LOSSES[ex.loss].value(b1(ws.given(f"a{big_l}")), b1(y)))[0]
    if step.kind == "delta_output":
        return np.asarray(
            network.output_delta(
                b1(ws.given(f"z{m}")),
                b1(ws.given(f"a{m}")),
                b1(y),
                ex.output_activation,
                ex.loss,
            )
        )[0]
    if step.kind == "delta_hidden":
        return np.asarray(
            network.hidden_delta(
                b1(_given_param(ex, "W", m + 1)),
                b1(ws.given(f"delta{m + 1}")),
                b1(ws.given(f"z{m}")),
                act(m),
            )
        )[0]
    if step.kind in ("grad_W", "grad_b"):
        grad_w, grad_b = network.weight_gradient(
            b1(ws.given(f"delta{m}")), b1(_prev_activation(ws, m))
        )
        return np.asarray(grad_w if step.kind == "grad_W" else grad_b)[0]
    if step.kind == "update":
        which = "W" if step.key.startswith("new_W") else "b"
        # The contract's rule, updated = value − η·gradient, applied to the user's gradient.
        return _given_param(ex, which, m) - float(ex.learning_rate) * ws.given(f"grad_{which}{m}")
    return None


def _backprop_slips(
    ws: Workspace, step: Step, given: Callable[[str], np.ndarray]
) -> list[tuple[str, np.ndarray]]:
    """(what went wrong, the value it gives) for the slips a teacher looks for at this step.

    ``given(key)`` supplies the earlier values (the user's own, or the true ones).
    """
    from engine import network

    ex = ws.exercise
    m = step.layer
    y = np.asarray(ex.target, dtype=float)[None, :]

    def b1(v) -> np.ndarray:
        return np.asarray(v, dtype=float)[None, ...]

    out: list[tuple[str, np.ndarray]] = []
    if step.kind == "z":
        a_prev = np.asarray(ex.x, dtype=float) if m == 1 else given(f"a{m - 1}")
        z, _ = network.layer_forward(
            b1(_given_param(ex, "W", m)), b1(np.zeros(step.expected.shape)), b1(a_prev), "linear"
        )
        out.append((f"the bias b{sup(m)} is missing: z = W·a + b", z[0]))
    elif step.kind == "a":
        out.append((f"this is z{sup(m)}: the activation function is not applied", given(f"z{m}")))
    elif step.kind == "delta_output" and ex.output_activation not in ("linear", "softmax"):
        d = network.output_delta(b1(given(f"z{m}")), b1(given(f"a{m}")), y, "linear", ex.loss)
        out.append((f"the factor f′(z{sup(m)}) is missing: δ = ∂L/∂a ∘ f′(z)", d[0]))
    elif step.kind == "delta_hidden" and ex.activation != "linear":
        d = network.hidden_delta(
            b1(_given_param(ex, "W", m + 1)),
            b1(given(f"delta{m + 1}")),
            b1(given(f"z{m}")),
            "linear",
        )
        out.append((f"the factor f′(z{sup(m)}) is missing: δ = (Wᵀδ) ∘ f′(z)", d[0]))
    elif step.kind == "update":
        which = "W" if step.key.startswith("new_W") else "b"
        param, grad = _given_param(ex, which, m), given(f"grad_{which}{m}")
        eta = float(ex.learning_rate)
        out.append(
            ("the gradient was added: a descent step subtracts η·gradient", param + eta * grad)
        )
        out.append((f"the learning rate η = {fmt_number(eta)} is missing", param - grad))
    return out


def _backprop_hint(ws: Workspace, step: Step, level: int) -> str:
    """Level 1: the formula. Level 2: the same with the numbers to use (the user's own values)."""
    ex = ws.exercise
    big_l = len(ex.weights)
    m = step.layer
    prev = "x" if m == 1 else f"a{sup((m or 1) - 1)}"
    act_name = (ex.output_activation if m == big_l else ex.activation) if m else ""
    lines: list[str] = []
    nums: list[str] = []
    v = fmt_value
    if step.kind == "z":
        lines.append(f"z{sup(m)} = W{sup(m)}·{prev} + b{sup(m)}")
        nums.append(
            f"z{sup(m)} = {v(_given_param(ex, 'W', m))}·{v(_prev_activation(ws, m))}"
            f" + {v(_given_param(ex, 'b', m))}"
        )
    elif step.kind == "a":
        f, _ = ACTIVATION_FORMULAS.get(act_name, (act_name, ""))
        lines.append(f"a{sup(m)} = {act_name}(z{sup(m)}), element-wise;  {act_name}: {f}")
        nums.append(f"a{sup(m)} = {act_name}({v(ws.given(f'z{m}'))})")
    elif step.kind == "loss":
        f, _ = LOSS_FORMULAS.get(ex.loss, (ex.loss, ""))
        lines.append(f"{f}   (a = a{sup(big_l)}, y = target)")
        nums.append(f"a = {v(ws.given(f'a{big_l}'))},  y = {v(ex.target)}")
    elif step.kind == "delta_output":
        _, dl = LOSS_FORMULAS.get(ex.loss, ("", ""))
        _, da = ACTIVATION_FORMULAS.get(act_name, ("", ""))
        if act_name == "softmax" and ex.loss == "cce":
            lines.append(
                f"δ{sup(m)} = a{sup(m)} − y   (softmax with cross-entropy: the Jacobian and "
                "∂L/∂a cancel)"
            )
        elif act_name == "softmax":
            lines.append(f"δ{sup(m)} = J(z{sup(m)})ᵀ·∂L/∂a{sup(m)}, J the softmax Jacobian;  {dl}")
        else:
            lines.append(f"δ{sup(m)} = ∂L/∂a{sup(m)} ∘ f′(z{sup(m)});  {dl};  {da}")
        nums.extend(_output_delta_numbers(ws, m, act_name))
    elif step.kind == "delta_hidden":
        _, da = ACTIVATION_FORMULAS.get(act_name, ("", ""))
        lines.append(f"δ{sup(m)} = (W{sup(m + 1)}ᵀ·δ{sup(m + 1)}) ∘ f′(z{sup(m)});  {da}")
        w_next = _given_param(ex, "W", m + 1)
        d_next = ws.given(f"delta{m + 1}")
        nums.append(
            f"W{sup(m + 1)}ᵀ·δ{sup(m + 1)} = {v(w_next.T)}·{v(d_next)} = {v(w_next.T @ d_next)}"
        )
        nums.append(
            f"f′(z{sup(m)}) at z{sup(m)} = {v(ws.given(f'z{m}'))}: "
            f"{v(_activation_derivative(act_name, ws.given(f'z{m}')))}"
        )
    elif step.kind == "grad_W":
        lines.append(
            f"∂L/∂W{sup(m)} = δ{sup(m)}·({prev})ᵀ  (outer product: row j = δ{sup(m)}_j·{prev}ᵀ)"
        )
        nums.append(
            f"δ{sup(m)} = {v(ws.given(f'delta{m}'))} (a column), "
            f"{prev} = {v(_prev_activation(ws, m))} (a row): entry (j, k) = δ{sup(m)}_j·{prev}_k"
        )
    elif step.kind == "grad_b":
        lines.append(f"∂L/∂b{sup(m)} = δ{sup(m)}")
        nums.append(f"∂L/∂b{sup(m)} = {v(ws.given(f'delta{m}'))}")
    elif step.kind == "update":
        which = "W" if step.key.startswith("new_W") else "b"
        eta = fmt_number(ex.learning_rate)
        lines.append(f"{which}{sup(m)} ← {which}{sup(m)} − η·∂L/∂{which}{sup(m)},  η = {eta}")
        nums.append(
            f"{which}{sup(m)} new = {v(_given_param(ex, which, m))} − {eta}·"
            f"{v(ws.given(f'grad_{which}{m}'))}"
        )
    text = "\n".join(lines)
    if level >= 2:
        text += "\nwith your numbers: " + "\n".join(nums)
    return text


def _activation_derivative(name: str, z: np.ndarray) -> np.ndarray:
    from engine.activations import ACTIVATIONS

    return np.asarray(ACTIVATIONS[name].derivative(np.asarray(z, dtype=float)[None, ...]))[0]


def _output_delta_numbers(ws: Workspace, m: int, act_name: str) -> list[str]:
    from engine.losses import LOSSES as ENGINE_LOSSES

    ex = ws.exercise
    a = ws.given(f"a{m}")
    y = np.asarray(ex.target, dtype=float)
    dl = np.asarray(ENGINE_LOSSES[ex.loss].grad(a[None, :], y[None, :]))[0]
    out = [f"a{sup(m)} = {fmt_value(a)}, y = {fmt_value(y)}, ∂L/∂a = {fmt_value(dl)}"]
    if act_name != "softmax":
        out.append(
            f"f′(z{sup(m)}) at z{sup(m)} = {fmt_value(ws.given(f'z{m}'))}: "
            f"{fmt_value(_activation_derivative(act_name, ws.given(f'z{m}')))}"
        )
    return out


# ---------------------------------------------------------------------------------------------
# Optimizer steps


def _optimizer_steps(ex: OptimizerExercise) -> list[Step]:
    ans = ex.answers
    name = ex.optimizer
    state, inter = ans.state, ans.intermediates
    from engine.optimizers import STAGES

    # the engine's own order of stages is the order a student works in
    preferred = [k for k, _ in STAGES.get(name, []) if k != "params"]
    order = [k for k in preferred if k in state or k in inter]
    order += [k for k in list(state) + list(inter) if k not in order]  # anything the engine adds
    steps = []
    for key in order:
        kind = "opt_state" if key in state else "opt_intermediate"
        value = state[key] if key in state else inter[key]
        steps.append(
            Step(
                key,
                kind,
                QUANTITY_LABEL.get(key, key),
                f"{name}: {key} after step t",
                np.asarray(value, dtype=float),
            )
        )
    steps.append(
        Step(
            "params",
            "opt_params",
            "θ new",
            f"{name}: parameters after step t",
            np.asarray(ans.params, dtype=float),
        )
    )
    return steps


def _optimizer_recompute(ws: Workspace, step: Step) -> np.ndarray | None:
    """The optimizer stage of ``step`` run by the engine (``engine.optimizers.STAGES``) over the
    given values and the user's own results of the earlier stages."""
    from engine.optimizers import OPTIMIZERS as ENGINE_OPTIMIZERS
    from engine.optimizers import STAGES

    ex = ws.exercise
    name = ex.optimizer
    env: dict[str, Any] = {**ENGINE_OPTIMIZERS[name].defaults, **ex.hyperparameters}
    env.update({k: np.asarray(v, dtype=float) for k, v in ex.state.items()})
    env.update(
        params=np.asarray(ex.params, dtype=float),
        grad=np.asarray(ex.grad, dtype=float),
        t=ex.t,
    )
    for key, fn in STAGES.get(name, []):
        if key == step.key:
            return np.asarray(fn(env), dtype=float)
        env[key] = ws.given(key)  # "params" is always the last stage, so the old θ stays until then
    return None


def _optimizer_hint(ws: Workspace, step: Step, level: int) -> str:
    ex = ws.exercise
    name = ex.optimizer
    text = rule_hint(name, step.key) or f"{step.label}: see the {name} update rule"
    text += f"   (t = {ex.t})"
    if level >= 2:
        hyper = ", ".join(f"{k} = {fmt_number(v)}" for k, v in ex.hyperparameters.items())
        state = ", ".join(f"{k} = {fmt_value(v)}" for k, v in ex.state.items())
        earlier = ", ".join(
            f"{s.label} = {fmt_value(ws.given(s.key))}" for s in ws.steps[: ws.steps.index(step)]
        )
        text += (
            f"\nwith the numbers: θ = {fmt_value(ex.params)}, g = {fmt_value(ex.grad)}, "
            f"{hyper}"
            + (f", before: {state}" if state else "")
            + (f"\nyour values so far: {earlier}" if earlier else "")
        )
    return text
