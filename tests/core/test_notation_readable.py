"""People read the notes' E[g²] and E[Δx²]: Eg2 and Edx2 are the JSON's names for programs and
never appear in a text a learner reads (worked solutions, worksheets, quiz questions, cards)."""

from __future__ import annotations

import random

import pytest

from engine.exercise_types import exercise_from_dict
from engine.exercises import generate_optimizer
from studyapp.core import worked
from studyapp.core.notation import rule_lines

PROGRAM_NAMES = ("Eg2", "Edx2")


def _readable(text: str) -> bool:
    return not any(name in text for name in PROGRAM_NAMES)


@pytest.mark.parametrize("optimizer", ["rmsprop", "adadelta"])
def test_worked_solutions_and_rules_write_the_notes_names(optimizer):
    ex = exercise_from_dict(generate_optimizer(4, count=1, optimizer=optimizer)[0])
    for fmt in ("text", "md"):
        assert _readable(worked.render_optimizer(ex, fmt))
    assert _readable(" ".join(rule_lines(optimizer)))
    assert "E[g²]" in " ".join(rule_lines(optimizer))


def test_quiz_optimizer_steps_write_the_notes_names():
    from studyapp.core.questions.numeric import optimizer_step

    rng = random.Random(7)
    drafts = [optimizer_step(rng) for _ in range(60)]
    assert any("E[g²]" in d.prompt for d in drafts)  # rmsprop and adadelta were drawn
    for d in drafts:
        assert _readable(d.prompt) and _readable(d.explanation), d.prompt


def test_cards_write_the_notes_names():
    from studyapp.core.cards import build_cards

    for card in build_cards():
        assert _readable(card.front) and _readable(card.back), card.key
