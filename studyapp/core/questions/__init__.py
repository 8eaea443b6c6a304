"""Question generation for quizzes: ``generate_quiz``, ``grade``, ``Question``, ``TOPICS``.

- Kinds: ``mcq``, ``typed``, ``true_false``, ``cloze``, ``matching`` (built from content/ by
  ``from_content``) and ``numeric`` (fresh numbers from the families in ``numeric``: activation
  value and derivative, loss value and dL/da, softmax, an optimizer step t ≥ 2 and a backprop
  quantity drawn by the engine, perceptron update, McCulloch-Pitts AND/OR/NOT, a gradient-
  descent step on a quadratic, the chain rule through one neuron, an exponentially weighted
  average). A quarter of the numeric drafts are asked as mcq, with classic slips as options.
- Ids: ``<entry id>::<kind>::<template>``, plus ``::<digest of the numbers>`` for fresh
  numbers (``Question.base_id`` drops it), so the same question keeps its history.
- Wrong options and false statements are checked with the answer checker (formulas: never
  equivalent; numbers: never within the grading tolerance).
- ``generate_quiz(seed, count, topic=None, weights=None)`` is deterministic for its arguments;
  ``weights`` is ``Storage.topic_accuracy()`` and gives weak topics proportionally more questions.
- ``grade(question, text) -> Verdict`` (the checker's Verdict) for every kind.
"""

from studyapp.core.questions.generate import (
    TOPICS,
    allocate,
    generate_quiz,
    topic_weights,
    valid_topics,
)
from studyapp.core.questions.grading import choice_index, grade
from studyapp.core.questions.model import KINDS, Question, format_number

__all__ = [
    "KINDS",
    "TOPICS",
    "Question",
    "allocate",
    "choice_index",
    "format_number",
    "generate_quiz",
    "grade",
    "topic_weights",
    "valid_topics",
]
