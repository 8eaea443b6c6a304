"""Every question fair: each class of unfair question the issue found, tested at its mechanism
over all the content (not over a sample of quizzes)."""

from __future__ import annotations

import re

import pytest

from studyapp.core.checker import CONTENT_LIMITS, equivalent, parse, render_unicode
from studyapp.core.content import load_content
from studyapp.core.questions.builders.optimizers import steps_of
from studyapp.core.questions.formulas import BLANK, cloze_options


@pytest.fixture(scope="module")
def content():
    return load_content()


def _stored_formulas(content):
    """(entry id, formula) for every formula a cloze can be made of: formulas, derivatives and
    optimizer update steps."""
    for e in content.entries:
        for field in ("formula", "derivative"):
            value = e.fields.get(field)
            if isinstance(value, str) and value.strip():
                yield e.id, value
        for step in steps_of(e):
            yield e.id, str(step["rhs"])


def test_every_formula_cloze_refilled_is_the_formula(content):
    """The blank is a node of the formula tree: every way of blanking every stored formula, its
    answer put back in the blank, is the formula again (the checker's equivalence), and the prompt
    is the formula's own rendering with the blank in place (so no bracket is lost)."""
    covered = 0
    for entry_id, formula in _stored_formulas(content):
        shown_whole = render_unicode(parse(formula, limits=CONTENT_LIMITS))
        for cloze in cloze_options(formula):
            refilled = cloze.template.replace(BLANK, f"({cloze.answer})")
            assert equivalent(formula, refilled), (entry_id, formula, cloze)
            blank_shown = render_unicode(parse(cloze.answer, limits=CONTENT_LIMITS))
            for hole in (blank_shown, f"({blank_shown})"):
                if cloze.shown.replace(BLANK, hole).replace("·", "") == shown_whole.replace(
                    "·", ""
                ):
                    break
            else:
                raise AssertionError((entry_id, cloze.shown, blank_shown, shown_whole))
            assert "lam" not in cloze.shown and "alpha" not in cloze.shown, cloze.shown
            covered += 1
    assert covered >= 85, covered  # 89 with the content of this writing


def test_no_numeric_update_accepts_the_value_before_the_step(content):
    """A quiz number that is a value after an update (a new weight, θ, state, x₁) is asked only
    when the step shows at the grading tolerance: the old value, or one moved half way, is wrong
    (the workspace grades updates on their change; a quiz number has no place to say Δ)."""
    from studyapp.core.questions import format_number, generate_quiz, grade

    checked = 0
    for seed in range(12):
        for topic in ("optimizers", "backprop", "concepts"):
            for q in generate_quiz(seed, 40, topic=topic, content=content):
                before = q.data.get("before")
                if before is None or q.kind != "numeric":
                    continue
                value = float(q.expected)
                assert grade(q, q.answer).verdict == "correct"
                for wrong in (before, (before + value) / 2):
                    assert grade(q, format_number(wrong)).verdict == "incorrect", (q.id, wrong)
                checked += 1
    assert checked > 40, checked


def _text_clozes(content, seeds=12):
    """Every text cloze the builders make (each candidate with several draws): (question, lead
    text shown before the blanked sentence)."""
    import random

    from studyapp.core.questions import TOPICS
    from studyapp.core.questions.builders import candidates_for

    seen = {}
    for topic in TOPICS:
        for c in candidates_for(content, topic):
            if c.kind != "cloze":
                continue
            for s in range(seeds):
                q = c.build(random.Random(f"{s}|{c.key}"), None)
                if q is not None and not q.cloze_template:
                    seen.setdefault((q.id, q.answer), q)
    return list(seen.values())


def test_no_text_cloze_gives_its_answer_away(content):
    """The blanked word (or a plural of it) appears nowhere else in the prompt: not in the
    section title or term name before it, not later in the sentence."""
    from studyapp.core.questions.builders.shapes import _stem

    clozes = _text_clozes(content)
    assert len(clozes) > 150
    for q in clozes:
        shown = [_stem(w) for w in re.findall(r"[\w'-]+", q.prompt.replace(BLANK, " "))]
        words = [_stem(w) for w in re.findall(r"[\w'-]+", q.answer)]
        n = len(words)
        assert not any(shown[i : i + n] == words for i in range(len(shown) - n + 1)), (
            q.id,
            q.prompt,
            q.answer,
        )


def test_text_clozes_accept_the_contents_alternatives(content):
    """A word with ``cloze_accept`` alternatives ("all" for "every") is right in any of them."""
    from studyapp.core.questions import grade

    checked = 0
    for q in _text_clozes(content):
        accept = content.by_id[q.entry_id].fields.get("cloze_accept") or {}
        for key, alternatives in accept.items():
            if key.lower() == q.answer.lower():
                for alt in alternatives:
                    assert grade(q, alt).verdict == "correct", (q.id, alt)
                    checked += 1
    assert checked >= 30, checked
