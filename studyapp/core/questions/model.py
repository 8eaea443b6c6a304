"""The Question model shared by the quiz CLI, the TUI and the storage of attempts.

A question is plain data: what to show (``prompt``, ``choices``), the reference answer as the
contract's string (``answer``) and what the grader needs (``expected_kind``, ``expected``,
``variables``). ``to_dict()`` gives exactly the contract's JSON object.

``QuestionKind`` names what the learner is asked (the contract's ``kind`` words) and
``ExpectedKind`` how the answer is graded; both are ``StrEnum``s, so they compare equal to (and
print as) their words.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class QuestionKind(StrEnum):
    """The contract's question kinds (the ``kind`` of ``studyapp quiz --format json``)."""

    MCQ = "mcq"
    TYPED = "typed"
    TRUE_FALSE = "true_false"
    CLOZE = "cloze"
    NUMERIC = "numeric"
    MATCHING = "matching"


KINDS: tuple[QuestionKind, ...] = tuple(QuestionKind)

#: the message of an empty answer: a skip ("don't know"), graded incorrect
SKIPPED = "skipped"


class ExpectedKind(StrEnum):
    """How a question is graded (see ``grading.grade``)."""

    CHOICE = "choice"  # a choice number/letter or the choice text (mcq)
    BOOLEAN = "boolean"  # true/false, t/f, yes/no
    NUMERIC = "numeric"  # a number, within the checker's tolerance of ``expected`` (float)
    EXPRESSION = "expression"  # a formula equivalent to ``expected`` (checker syntax)
    TEXT = "text"  # a word or phrase, loosely equal to a string in ``expected`` (list)
    MATCHING = "matching"  # a pairing such as "1b 2a 3c" (``expected``: pairs and key)


EXPECTED_KINDS: tuple[ExpectedKind, ...] = tuple(ExpectedKind)


@dataclass
class Question:
    """One generated question.

    ``id`` is stable: ``<entry id>::<kind>::<template>`` (numeric questions append
    ``::<variant>``, a short digest of their numbers, so each fresh variant is distinct while the
    prefix ``base_id`` names the family and keeps the history together).
    """

    id: str
    kind: QuestionKind
    topic: str
    prompt: str
    answer: str
    explanation: str
    source: str
    choices: list[str] = field(default_factory=list)
    expected_kind: ExpectedKind = ExpectedKind.TEXT
    expected: Any = None
    variables: tuple[str, ...] | None = None
    template: str = ""
    entry_id: str = ""
    # For cloze questions over a formula: the full formula with ``____`` where the blank is;
    # the user's text is substituted and the whole is compared (any equivalent filling counts).
    cloze_template: str | None = None
    # What the question was made from (family inputs, raw formulas behind displayed choices,
    # the formula shown in a true/false statement): lets tests and the UI recompute answers.
    data: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # the words are accepted too (tests, saved questions); anything else is a ValueError
        self.kind = QuestionKind(self.kind)
        self.expected_kind = ExpectedKind(self.expected_kind)

    @property
    def base_id(self) -> str:
        """The id without the numeric variant: the same for every fresh variant of a family."""
        parts = self.id.split("::")
        return "::".join(parts[:3])

    def to_dict(self) -> dict:
        """The contract's JSON object (keys in the contract's order; ``choices`` only for mcq)."""
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "topic": self.topic,
            "prompt": self.prompt,
        }
        if self.kind == QuestionKind.MCQ:
            out["choices"] = list(self.choices)
        out.update(answer=self.answer, explanation=self.explanation, source=self.source)
        return out


def make_id(entry_id: str, kind: QuestionKind, template: str, variant: str | None = None) -> str:
    """The stable id ``entry::kind::template[::variant]``."""
    base = f"{entry_id}::{QuestionKind(kind).value}::{template}"
    return f"{base}::{variant}" if variant else base


def digest(*parts: Any, length: int = 8) -> str:
    """A short, stable hex digest of the given values (never Python's salted ``hash``)."""
    text = "|".join(repr(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def format_number(x: float, digits: int = 6) -> str:
    """A decimal string with ``digits`` significant digits, never in exponent notation.

    ``-0`` prints as ``0`` and integers print without a trailing ``.0``.
    """
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x}")
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def fmt(x: float, decimals: int = 4) -> str:
    """A number for prompts and explanations: at most ``decimals`` places, trailing zeros cut."""
    text = f"{float(x):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_vec(values, decimals: int = 4) -> str:
    """``(0.5, -0.3)`` for a vector."""
    return "(" + ", ".join(fmt(v, decimals) for v in values) + ")"


def fmt_mat(rows, decimals: int = 4) -> str:
    """``[[0.2, 0.4], [0.3, 0.7]]`` for a matrix given as rows."""
    return (
        "[" + ", ".join("[" + ", ".join(fmt(v, decimals) for v in row) + "]" for row in rows) + "]"
    )
