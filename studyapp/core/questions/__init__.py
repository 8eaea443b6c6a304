"""Question generation for quizzes: ``generate_quiz``, ``grade``, ``Question``, ``TOPICS``.

- Kinds (``QuestionKind``): ``mcq``, ``typed``, ``true_false``, ``cloze``, ``matching`` (built
  from content/ by the table builders in ``builders``) and ``numeric`` (fresh numbers from the
  families in ``numeric``: activation value and derivative, loss value and dL/da, softmax, an
  optimizer step t ≥ 2 and a backprop quantity drawn by the engine, perceptron update,
  McCulloch-Pitts AND/OR/NOT, a gradient-descent step on a quadratic, the chain rule through
  one neuron, an exponentially weighted average). A quarter of the numeric drafts are asked as
  mcq, with classic slips as options.
- Ids: ``<entry id>::<kind>::<template>``, plus ``::<digest of the numbers>`` for fresh
  numbers (``Question.base_id`` drops it), so the same question keeps its history.
- Wrong options and false statements are checked with the answer checker (formulas: never
  equivalent; numbers: never within the grading tolerance).
- ``generate_quiz(seed, count, topic=None, weights=None)`` is deterministic for its arguments;
  ``weights`` is ``Storage.topic_accuracy()`` and gives weak topics proportionally more questions.
- ``grade(question, text) -> Verdict`` (the checker's Verdict) for every kind.

The names below load their module on first use: ``studyapp.core.questions.model`` (the
``Question`` and its kinds) stays cheap for screens and commands that only read questions,
while generation (NumPy, the engine) loads when a quiz is made.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyapp.core.questions.generate import (
        TOPICS,
        allocate,
        generate_quiz,
        quiz_blocks,
        topic_weights,
        valid_topics,
    )
    from studyapp.core.questions.grading import choice_index, grade
    from studyapp.core.questions.model import (
        KINDS,
        ExpectedKind,
        Question,
        QuestionKind,
        format_number,
    )

#: exported name -> the submodule that defines it
_EXPORTS = {
    "TOPICS": "generate",
    "allocate": "generate",
    "generate_quiz": "generate",
    "quiz_blocks": "generate",
    "topic_weights": "generate",
    "valid_topics": "generate",
    "choice_index": "grading",
    "grade": "grading",
    "KINDS": "model",
    "ExpectedKind": "model",
    "Question": "model",
    "QuestionKind": "model",
    "format_number": "model",
}

__all__ = [
    "KINDS",
    "TOPICS",
    "ExpectedKind",
    "Question",
    "QuestionKind",
    "allocate",
    "choice_index",
    "format_number",
    "generate_quiz",
    "quiz_blocks",
    "grade",
    "topic_weights",
    "valid_topics",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value
