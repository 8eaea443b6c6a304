"""Questions about one stored formula (an activation's derivative, an optimizer's update
step): which expression is it (mcq), type it, true/false, fill in a blank.

Wrong formulas come from a pool the table chooses (sibling formulas, slips of this one) and are
kept only when the checker proves them different from the right one and from each other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from studyapp.core.content import Entry
from studyapp.core.questions.builders.common import N_CHOICES
from studyapp.core.questions.builders.shapes import entry_question, mcq, true_false
from studyapp.core.questions.formulas import cloze_options, display, distinct_formulas
from studyapp.core.questions.model import ExpectedKind, Question, QuestionKind


@dataclass(frozen=True)
class StoredFormula:
    """``value`` (checker syntax) of ``entry``, stored at ``field`` (``derivative``,
    ``steps[1]``); questions about it are named ``template`` in ``topic``."""

    entry: Entry
    topic: str
    template: str
    field: str
    value: str


def formula_mcq(
    f: StoredFormula, prompt: str, pool: list[str], explanation: str, rng: random.Random
) -> Question | None:
    """Which expression is ``f``? Wrong options: the first distinct wrong ones of ``pool``."""
    wrong = distinct_formulas(f.value, pool, N_CHOICES - 1)
    shown = [display(w) for w in wrong]
    q = mcq(f.entry, f.topic, f.template, prompt, display(f.value), shown, explanation, rng)
    if q is not None:  # which stored formula is behind each displayed choice
        q.data = {"field": f.field, "raw": {display(r): r for r in [f.value, *wrong]}}
    return q


def formula_typed(f: StoredFormula, prompt: str, explanation: str) -> Question:
    """Type ``f``: any equivalent formula is right."""
    return entry_question(
        f.entry,
        f.topic,
        QuestionKind.TYPED,
        f.template,
        prompt=prompt,
        answer=f.value,
        explanation=explanation,
        expected_kind=ExpectedKind.EXPRESSION,
        expected=f.value,
    )


def formula_tf(
    f: StoredFormula,
    statement: str,
    shown: str,
    truth: bool | None,
    explanation: str,
) -> Question:
    """``statement`` shows ``shown``: ``f`` itself when ``truth``, else a wrong formula."""
    q = true_false(f.entry, f.topic, f.template, statement, bool(truth), explanation)
    q.data = {"field": f.field, "shown": shown, "true": f.value}
    return q


def wrong_formula(value: str, pool: list[str], rng: random.Random) -> str | None:
    """One formula of ``pool`` (shuffled) that is provably not ``value``, or None."""
    rng.shuffle(pool)
    wrong = distinct_formulas(value, pool, 1)
    return wrong[0] if wrong else None


def formula_cloze(f: StoredFormula, lhs: str, rng: random.Random, what: str) -> Question | None:
    """Blank one operand of ``f``'s outermost sum (else product), a node of its formula tree, so
    the rest renders with its brackets where precedence needs them; graded by putting the answer
    back in its place (``cloze_template``) and comparing whole formulas."""
    options = cloze_options(f.value)
    if not options:
        return None
    cloze = rng.choice(options)
    return entry_question(
        f.entry,
        f.topic,
        QuestionKind.CLOZE,
        f.template,
        prompt=f"Fill in the blank ({what}): {lhs} = {cloze.shown}",
        answer=cloze.answer,
        explanation=f"{lhs} = {display(f.value)}; the blank is {display(cloze.answer)}.",
        expected_kind=ExpectedKind.EXPRESSION,
        expected=f.value,
        cloze_template=cloze.template,
    )
