"""The quiz's predict questions: every one keyed to its run, the run repeated through the CLI.

Each question is built many times (every candidate, both truths, several random generators, so
every option order and every true/false statement a quiz can draw), and each distinct one is
checked against ``predict_reference``, which repeats its runs with ``studyapp playground`` and
measures them itself.
"""

from __future__ import annotations

import random

import pytest

from studyapp.core.content import load_content
from studyapp.core.playground import PRESETS
from studyapp.core.predictions import Goal, RaceStudy, clear_first, clearly_before
from studyapp.core.questions import generate_quiz, grade
from studyapp.core.questions.builders import predict

from .predict_reference import check, is_predict

TOPICS = ("optimizers", "activations")


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(scope="module")
def built(content) -> dict:
    """{candidate key: [every distinct question its build gives]}."""
    out: dict = {}
    for topic in TOPICS:
        for cand in predict.candidates(content, topic):
            seen = {}
            for truth in (True, False) if cand.kind == "true_false" else (None,):
                for seed in range(12):
                    q = cand.build(random.Random(f"{seed}|{cand.key}"), truth)
                    if q is not None:
                        seen[(q.prompt, tuple(q.choices), q.answer)] = q
            out[cand.key] = list(seen.values())
    return out


def test_every_predict_question_is_asked_on_todays_runs(built):
    """The set-ups are chosen so each run answers clearly (a change to the engine that blurs one
    shows up here, not as a question that silently stops being asked)."""
    assert len(built) == len(predict.ASKS)
    for key, questions in built.items():
        assert questions, f"{key}: the run gives no clear answer any more"
        if "true_false" in key:
            assert {q.answer for q in questions} == {"True", "False"}, key


def test_every_keyed_answer_is_what_the_run_repeated_through_the_cli_gives(built):
    checked = 0
    for questions in built.values():
        for q in questions:
            check(q)
            assert grade(q, q.answer).verdict == "correct", q.id
            checked += 1
    assert checked > 40


def test_questions_name_their_preset_run_and_figures(built):
    for questions in built.values():
        for q in questions:
            preset = q.data["playground"]
            assert preset in PRESETS
            assert f"preset '{preset}'" in q.source and "studyapp playground " in q.source
            assert q.source.startswith(q.entry_id) and q.id.startswith(q.entry_id + "::")
            assert q.prompt.startswith("Predict: ")
            assert "In the run" in q.explanation, q.explanation
            if q.kind == "mcq":
                assert 4 <= len(q.choices) <= 6 and len(set(q.choices)) == len(q.choices)
                assert list(q.data["predict"]["options"]) == q.choices


def test_the_answer_states_the_runs_figures(built):
    q = built["opt.momentum::mcq::predict_ravine_first"][0]
    assert q.answer == "momentum"
    assert "momentum: f < 10⁻³ at step 413" in q.explanation
    assert "Adam: f < 10⁻³ at step 925" in q.explanation
    assert "SGD: not within 1000 steps" in q.explanation
    q = built["opt.sgd::mcq::predict_lr_diverges"][0]
    assert q.answer == "SGD" and "SGD: diverged at step 72" in q.explanation


def test_no_question_when_the_run_gives_no_clear_answer():
    ravine = RaceStudy("ravine", Goal("f_below", 1e-3))
    # momentum, Nesterov and RMSprop reach f < 10⁻³ within 3 % of each other (413, 417, 424)
    steps = {n: ravine.first(n) for n in ("momentum", "nesterov", "rmsprop")}
    assert clear_first(steps) is None
    photo_finish = predict.First("optimizers", "opt.momentum", "t", ravine, "", tuple(steps))
    assert photo_finish.build(random.Random(0), None) is None
    nobody = RaceStudy("ravine", Goal("f_below", 1e-12), steps=50)
    assert (
        predict.First("optimizers", "opt.sgd", "t", nobody, "", ("sgd", "adam", "momentum")).build(
            random.Random(0), None
        )
        is None
    )
    two_diverge = RaceStudy("lr-too-high", Goal("f_below", 1e-3))
    both = predict.Diverges("optimizers", "opt.sgd", "t", two_diverge, "", ("sgd", "nesterov"))
    assert two_diverge.run("nesterov").diverged and both.build(random.Random(0), None) is None


@pytest.mark.parametrize(
    ("steps", "first"),
    [
        ({"a": 10, "b": 20, "c": None}, "a"),
        ({"a": 100, "b": 105}, None),  # a photo finish
        ({"a": 7, "b": 7}, None),  # a tie
        ({"a": None, "b": None}, None),  # nobody
        ({"a": None, "b": 3}, "b"),
        ({"a": 0, "b": 1}, "a"),
    ],
)
def test_clear_first(steps, first):
    assert clear_first(steps) == first


def test_clearly_before():
    assert clearly_before(10, None) is True and clearly_before(None, 10) is False
    assert clearly_before(None, None) is None and clearly_before(100, 104) is None


def test_quizzes_on_both_topics_ask_predict_questions_and_repeat_per_seed(content):
    for topic in TOPICS:
        first = generate_quiz(5, 40, topic=topic, content=content)
        assert [q.to_dict() for q in first] == [
            q.to_dict() for q in generate_quiz(5, 40, topic=topic, content=content)
        ]
        asked = [q for q in first if is_predict(q)]
        assert asked, topic
        for q in asked:
            check(q)
