"""The Question model shared by the quiz CLI, the TUI and the storage of attempts.

A question is plain data: what to show (``prompt``, ``choices``), the reference answer as the
contract's string (``answer``) and what the grader needs (``expected_kind``, ``expected``,
``variables``). ``to_dict()`` gives exactly the contract's JSON object.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

KINDS = ("mcq", "typed", "true_false", "cloze", "matching", "numeric")

# How a question is graded (see grading.grade):
#   "choice"     -> the user gives a choice number/letter or the choice text (mcq)
#   "boolean"    -> true/false, t/f, yes/no
#   "numeric"    -> a number, compared with the checker's tolerance to ``expected`` (float)
#   "expression" -> a formula, equivalent to ``expected`` (checker syntax) over ``variables``
#   "text"       -> a word or phrase, compared loosely with any string in ``expected`` (list)
#   "matching"   -> a pairing such as "1b 2a 3c", compared with ``expected`` (dict left -> right)
EXPECTED_KINDS = ("choice", "boolean", "numeric", "expression", "text", "matching")


@dataclass
class Question:
    """One generated question.

    ``id`` is stable: ``<entry id>::<kind>::<template>`` (numeric questions append
    ``::<variant>``, a short digest of their numbers, so each fresh variant is distinct while the
    prefix ``base_id`` names the family and keeps the history together).
    """

    id: str
    kind: str
    topic: str
    prompt: str
    answer: str
    explanation: str
    source: str
    choices: list[str] = field(default_factory=list)
    expected_kind: str = "text"
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

    @property
    def base_id(self) -> str:
        """The id without the numeric variant: the same for every fresh variant of a family."""
        parts = self.id.split("::")
        return "::".join(parts[:3])

    def to_dict(self) -> dict:
        """The contract's JSON object (keys in the contract's order; ``choices`` only for mcq)."""
        out = {"id": self.id, "kind": self.kind, "topic": self.topic, "prompt": self.prompt}
        if self.kind == "mcq":
            out["choices"] = list(self.choices)
        out.update(answer=self.answer, explanation=self.explanation, source=self.source)
        return out


def make_id(entry_id: str, kind: str, template: str, variant: str | None = None) -> str:
    """The stable id ``entry::kind::template[::variant]``."""
    base = f"{entry_id}::{kind}::{template}"
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
