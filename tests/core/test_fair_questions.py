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


def _every_build(content, kind, seeds=5, topics=None):
    """Every question of ``kind`` the content's candidates build over a few draws (and, for
    true/false, both truths)."""
    import random

    from studyapp.core.questions import TOPICS
    from studyapp.core.questions.builders import candidates_for

    for topic in topics or TOPICS:
        for c in candidates_for(content, topic):
            if c.kind != kind:
                continue
            for s in range(seeds):
                for truth in (True, False) if kind == "true_false" else (None,):
                    q = c.build(random.Random(f"{s}|{c.key}"), truth)
                    if q is not None:
                        yield q


def test_no_wrong_option_or_false_statement_is_true_of_the_subject(content):
    """An entry's also_true texts (true of it too: learning rate's "too small: slow …", MSE's
    "penalises large errors") are never a wrong option about it, nor called false of it; nor is
    an option or a false definition that names it ("Dropout randomly zeroes units …" for "How
    does dropout help?", "Regularization that randomly sets …" for "What is Regularization?")."""
    from studyapp.core.questions.builders.shapes import names_in

    checked = 0
    for q in _every_build(content, "mcq"):
        entry = content.by_id.get(q.entry_id)
        if entry is None:
            continue
        for choice in q.choices:
            if choice != q.answer:
                assert not entry.is_also_true(choice), (q.id, choice)
                # (a predict question's options are the runs' contestants, keyed to the run)
                if not q.template.startswith("predict"):
                    assert not names_in(entry, choice), (q.id, choice)
                checked += 1
    for q in _every_build(content, "true_false"):
        entry = content.by_id.get(q.entry_id)
        shown = q.data.get("item") or q.data.get("shown")
        if entry is not None and q.answer == "False" and isinstance(shown, str):
            assert not entry.is_also_true(shown), (q.id, shown)
            if q.template == "definition":
                assert not names_in(entry, shown), (q.id, shown)
    assert checked > 1000


#: (question, options it must never offer): a second right answer in the notes' sections
NEVER_OFFERED = {
    "bp.output_delta::mcq::formula": ["δ^L = a^L − y", "δ² = (a² − y)·a²·(1 − a²) ≈ −0.05030"],
    "bp.hidden_delta::mcq::formula": [
        "δ^(L−1) = ((W^L)ᵀ(a^L − y)) ∘ a^(L−1)(1 − a^(L−1))",
        "δ¹ = (W²)ᵀδ² ∘ a¹(1 − a¹) ≈ (−0.005881, −0.006176)",
    ],
    "bp.sigmoid_ce_example::mcq::formula": ["δ^L = dC/da^L ∘ σ′(z^L)"],
    "bp.algorithm::mcq::formula": ["z^m = W^m a^(m−1) + b^m", "a^m = σ^m(z^m)"],
    "concept.ewa::mcq::formula": ["v̂_t = v_t / (1 − β^t)"],
    "bp.sigmoid_ce_example::mcq::key_point": ["Cross-entropy + sigmoid (or softmax): δ^L = a − y"],
    "bp.output_delta::mcq::key_point": ["δ^L = a^L − y"],
    "bp.hidden_delta::mcq::key_point": [
        "Backprop reuses ∂C/∂z^(m+1) to get ∂C/∂z^m, which makes it efficient"
    ],
    "concept.perceptron_and_or::mcq::key_point": [
        "One neuron with a learning rule learns AND and OR, not XOR"
    ],
    "concept.bias::mcq::key_point": ["Its weight is the (learned) threshold"],
}


def test_section_questions_offer_no_second_right_answer(content):
    """ "Which formula is the output delta?" must not offer another output delta (a worked
    instance, the same label in another section); "which statement comes from section X?" must
    not offer one that says the same as X or comes from a section on the same subject."""
    from studyapp.core.questions.builders.concepts import _same_quantity

    offered: dict[str, set[str]] = {}
    for q in _every_build(content, "mcq", seeds=30, topics=("backprop", "concepts")):
        if q.template in ("formula", "key_point"):
            offered.setdefault(q.id, set()).update(c for c in q.choices if c != q.answer)
            if q.template == "formula":
                assert not any(_same_quantity(c, q.answer) for c in q.choices if c != q.answer)
    for qid, never in NEVER_OFFERED.items():
        assert offered[qid] and not offered[qid] & set(never), (qid, offered[qid] & set(never))


def test_recommendation_questions_name_the_layer(content):
    """The table's activation is the output layer's in most rows, a hidden-layer ReLU in the
    CNN/RNN rows: the mcq keys only output rows with output rows' values; a true/false names the
    layer; the unsupported optimizer column is never asked."""
    rows = {r["id"]: r for r in content.recommendations}
    mcqs = [q for q in _every_build(content, "mcq") if q.template == "recommend_activation"]
    assert mcqs
    hidden = {r["activation"] for r in rows.values() if r["activation_layer"] == "hidden"}
    for q in mcqs:
        assert rows[q.entry_id]["activation_layer"] == "output" and "output" in q.prompt
        assert q.answer == rows[q.entry_id]["activation"] and not set(q.choices) & hidden
    for q in _every_build(content, "true_false"):
        assert q.template != "recommend_optimizer"
        if q.template == "recommend_activation":
            layer = rows[q.entry_id]["activation_layer"]
            assert f"{'output' if layer == 'output' else 'hidden-layer'} activation" in q.prompt


LOSS_TEMPLATES = ("formula", "derivative", "name", "formulas", "derivatives", "value", "gradient")


def test_every_loss_question_states_the_reduction(content):
    """bce, cce and hinge sum over the outputs; mse, mae and huber average: a formula, derivative,
    name, matching or numeric question on a loss says which (it decides L and ∂L/∂a)."""
    from studyapp.core.questions import generate_quiz

    asked = 0
    for seed in range(6):
        for q in generate_quiz(seed, 60, topic="losses", content=content):
            if q.template in LOSS_TEMPLATES:
                assert "summed" in q.prompt or "averaged" in q.prompt, (q.id, q.prompt)
                asked += 1
    for seed in range(6):
        for q in generate_quiz(seed, 30, topic="backprop", content=content):
            if q.data.get("family") == "backprop":
                assert "summed over" in q.prompt or "averaged over" in q.prompt, q.prompt
    assert asked > 150
