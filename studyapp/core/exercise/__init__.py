"""Worked exercises solved step by step: the workspace that grades them like a teacher.

Modules: ``numbers`` (reading, writing and comparing the numbers a learner types), ``model``
(steps, statuses, results, and the ``ExerciseRules`` protocol of one kind of exercise),
``backprop`` and ``optimizer`` (the rules of each kind), ``settings`` (what the learner chose, and
the engine exercise it gives), ``workspace`` (the ``Workspace``, the same for every kind).
"""

from studyapp.core.exercise.model import Feedback, Reply, Step, StepResult, StepStatus
from studyapp.core.exercise.numbers import fmt_number, fmt_value, parse_numbers, step_abs_tol
from studyapp.core.exercise.settings import (
    LOSSES,
    OPTIMIZERS,
    ExerciseSettings,
    generate,
    parse_layers,
    randomize_settings,
)
from studyapp.core.exercise.workspace import CREDIT_NUMBERS_HINT, Workspace

__all__ = [
    "CREDIT_NUMBERS_HINT",
    "LOSSES",
    "OPTIMIZERS",
    "ExerciseSettings",
    "Feedback",
    "Reply",
    "Step",
    "StepResult",
    "StepStatus",
    "Workspace",
    "fmt_number",
    "fmt_value",
    "generate",
    "parse_layers",
    "parse_numbers",
    "randomize_settings",
    "step_abs_tol",
]
