"""Question generation for quizzes: ``generate_quiz``, ``grade``, ``Question``, ``TOPICS``.

Kinds: mcq, typed, true_false, cloze, matching (from content/) and numeric (fresh numbers from
small formula families and the engine). See ``generate`` for how a quiz is put together.
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

__all__ = ["KINDS", "TOPICS", "Question", "allocate", "choice_index", "format_number",
           "generate_quiz", "grade", "topic_weights", "valid_topics"]
