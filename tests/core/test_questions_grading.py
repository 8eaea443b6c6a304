"""grade(): every way a learner may answer each kind, and what counts as unreadable."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.core.questions import Question, generate_quiz, grade


def _mcq():
    return Question(
        id="x::mcq::t",
        kind="mcq",
        topic="terms",
        prompt="?",
        answer="Dropout",
        explanation="e",
        source="s",
        choices=["Epochs", "Dropout", "Batch Size", "Bias"],
        expected_kind="choice",
        expected="Dropout",
    )


def test_mcq_accepts_number_letter_or_text():
    q = _mcq()
    for text in ("2", " 2 ", "b", "(b)", "B", "dropout", "Dropout"):
        assert grade(q, text).verdict == "correct", text
    for text in ("1", "a", "Epochs"):
        assert grade(q, text).verdict == "incorrect", text
    for text in ("7", "zz top", "0.5"):
        assert grade(q, text).verdict == "invalid", text


def test_an_empty_answer_is_a_skip_for_every_kind():
    """ "Don't know": incorrect (a miss), message "skipped", never "invalid" (asked again)."""
    for q in generate_quiz(3, 60):
        verdict = grade(q, "  ")
        assert (verdict.verdict, verdict.message) == ("incorrect", "skipped"), q.id


def test_numeric_options_by_number_letter_or_value():
    q = _mcq()
    q.choices, q.answer, q.expected = ["0.25", "-0.5", "0.5", "2.0"], "0.5", "0.5"
    for text in ("3", "c", "0.5", "0.50", ".5", "+0.5"):
        assert grade(q, text).verdict == "correct", text
    for text in ("2", "-0.5", "−0.5", "4", "2.0", "2.00"):
        assert grade(q, text).verdict == "incorrect", text
    assert grade(q, "0.4").verdict == "invalid"  # not an option: said, not graded


def test_true_false_words():
    q = Question(
        id="x::true_false::t",
        kind="true_false",
        topic="terms",
        prompt="?",
        answer="False",
        explanation="e",
        source="s",
        expected_kind="boolean",
        expected=False,
    )
    for text in ("f", "False", "no", "FALSE", "false.", "F", "2"):
        assert grade(q, text).verdict == "correct", text
    for text in ("t", "true", "yes", "T", "1"):
        assert grade(q, text).verdict == "incorrect", text
    assert grade(q, "maybe").verdict == "invalid"


def test_text_answers_forgive_case_articles_and_small_typos():
    q = Question(
        id="x::typed::term",
        kind="typed",
        topic="terms",
        prompt="?",
        answer="Early Stopping",
        explanation="e",
        source="s",
        expected_kind="text",
        expected=["Early Stopping"],
    )
    for text in ("early stopping", "Early-stopping", "the early stopping", "early stoping"):
        assert grade(q, text).verdict == "correct", text
    for text in ("dropout", "stopping", "late starting"):
        assert grade(q, text).verdict == "incorrect", text
    assert grade(q, "?!").verdict == "invalid"


def _first(kind, topic=None, expected_kind=None):
    for seed in range(50):
        for q in generate_quiz(seed, 30, topic=topic):
            if q.kind == kind and (expected_kind is None or q.expected_kind == expected_kind):
                return q
    raise AssertionError(f"no {kind} question")


def test_matching_accepts_pairs_in_several_forms():
    q = _first("matching", "activations")
    key = q.expected["key"]
    n = len(key)
    assert grade(q, " ".join(f"{i}{key[i]}" for i in key)).verdict == "correct"
    assert grade(q, ", ".join(f"{i}-{key[i].upper()}" for i in key)).verdict == "correct"
    assert grade(q, " ".join(key[str(i)] for i in range(1, n + 1))).verdict == "correct"
    assert grade(q, "".join(f"{i}{key[i]}" for i in key)).verdict == "correct"  # 1c2b3a4d
    assert grade(q, ", ".join(f"{i}-{key[i]}" for i in reversed(key))).verdict == "correct"
    assert grade(q, q.answer).verdict == "correct"  # the JSON object itself
    pairs = json.loads(q.answer)
    first, second = list(pairs)[:2]
    pairs[first], pairs[second] = pairs[second], pairs[first]
    assert grade(q, json.dumps(pairs)).verdict == "incorrect"
    assert grade(q, "no idea").verdict == "invalid"


def test_matching_names_missing_and_wrong_pairs():
    q = _first("matching", "activations")
    key = q.expected["key"]
    n = len(key)
    partial = grade(q, " ".join(f"{i}{key[i]}" for i in list(key)[:2]))
    missing = ", ".join(str(i) for i in range(3, n + 1))
    assert partial.verdict == "invalid" and f"missing pairs for {missing}" in partial.message
    letters = [key[str(i)] for i in range(1, n + 1)]
    swapped = letters[1:2] + letters[:1] + letters[2:]  # items 1 and 2 exchanged
    wrong = grade(q, " ".join(f"{i + 1}{c}" for i, c in enumerate(swapped)))
    assert wrong.verdict == "incorrect"
    assert f"wrong: 1{swapped[0]}, 2{swapped[1]};" in wrong.message
    for text, words in [
        ("1a 1b " + " ".join(f"{i}{key[str(i)]}" for i in range(2, n + 1)), "paired twice"),
        (" ".join(f"{i}{key[str(i)]}" for i in range(1, n + 1)) + f" {n + 1}a", "no item"),
        ("1z", "no option z"),
        ("1b 2a hello", "cannot read"),
    ]:
        verdict = grade(q, text)
        assert verdict.verdict == "invalid" and words in verdict.message, (text, verdict)


def test_typed_formulas_accept_equivalent_forms_and_flag_unknown_names():
    q = next(
        q
        for q in generate_quiz(0, 400, topic="activations")
        if q.kind == "typed" and q.entry_id == "act.sigmoid" and q.template == "derivative"
    )
    assert grade(q, "σ(z)(1 − σ(z))").verdict == "correct"
    assert grade(q, "exp(-z)/(1+exp(-z))^2").verdict == "correct"
    assert grade(q, "sigma(z)*(1+sigma(z))").verdict == "incorrect"
    unknown = grade(q, "a*(1-a)")
    assert unknown.verdict == "invalid" and "a" in unknown.message


def test_formula_cloze_accepts_any_equivalent_filling():
    q = next(
        q
        for q in generate_quiz(0, 400, topic="activations")
        if q.kind == "cloze" and q.cloze_template and "sigma" in q.answer
    )
    assert grade(q, q.answer).verdict == "correct"
    assert grade(q, q.answer + " + 1").verdict == "incorrect"


def test_numeric_answers_within_tolerance():
    q = _first("numeric")
    value = float(q.answer)
    assert grade(q, repr(value * (1 + 0.001))).verdict == "correct"
    assert grade(q, repr(value + 1 + abs(value))).verdict == "incorrect"
    assert grade(q, "abc(").verdict == "invalid"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31 - 1),
    count=st.integers(1, 40),
    topic=st.sampled_from(
        [None, "activations", "losses", "optimizers", "terms", "backprop", "concepts"]
    ),
)
def test_any_seed_and_count_give_a_valid_quiz(seed, count, topic):
    qs = generate_quiz(seed, count, topic=topic)
    assert len(qs) == count
    assert len({q.id for q in qs}) == count
    for q in qs:
        assert topic is None or q.topic == topic
        assert (
            grade(q, q.answer if q.kind != "mcq" else str(q.choices.index(q.answer) + 1)).verdict
            == "correct"
        ), q.id


def test_importing_questions_loads_neither_sympy_nor_textual():
    code = (
        "import sys, studyapp.core.questions as q; q.generate_quiz(1, 20); "
        "print(sorted(m for m in ('sympy', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_small_numeric_answers_need_significant_digits_not_zero():
    q = Question(
        id="x::numeric::t::v",
        kind="numeric",
        topic="backprop",
        prompt="?",
        answer="0.000312",
        explanation="e",
        source="s",
        expected_kind="numeric",
        expected=0.000312,
    )
    assert grade(q, "0.0003120").verdict == "correct"
    assert grade(q, "0").verdict == "incorrect"
    assert grade(q, "0.0004").verdict == "incorrect"
    zero = Question(
        id="x::numeric::t::w",
        kind="numeric",
        topic="backprop",
        prompt="?",
        answer="0",
        explanation="e",
        source="s",
        expected_kind="numeric",
        expected=0.0,
    )
    assert grade(zero, "0").verdict == "correct"
    assert grade(zero, "0.0001").verdict == "correct"


def test_kinds_are_the_contract_words_and_nothing_else():
    import pytest

    from studyapp.commands.quiz import HELP
    from studyapp.core.questions import ExpectedKind, QuestionKind

    q = _mcq()
    assert q.kind is QuestionKind.MCQ and q.expected_kind is ExpectedKind.CHOICE
    d = q.to_dict()
    assert type(d["kind"]) is str and json.loads(json.dumps(d))["kind"] == "mcq"
    assert [k.value for k in QuestionKind] == [
        "mcq",
        "typed",
        "true_false",
        "cloze",
        "numeric",
        "matching",
    ]
    with pytest.raises(ValueError):
        Question(id="x", kind="essay", topic="t", prompt="?", answer="a", explanation="", source="")
    with pytest.raises(ValueError):
        Question(
            id="x",
            kind="typed",
            topic="t",
            prompt="?",
            answer="a",
            explanation="",
            source="",
            expected_kind="vibes",
        )
    assert set(HELP) == set(QuestionKind)  # the interactive quiz says how to answer each kind


def test_the_question_model_loads_without_generation():
    """Screens and commands read ``Question`` and its kinds at import time: that must not pull
    in NumPy, the engine or sympy (generation loads them when a quiz is made)."""
    code = (
        "import sys, studyapp.core.questions.model, studyapp.commands.quiz; "
        "print(sorted(m for m in ('numpy', 'engine', 'sympy', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_printed_question_grades_as_the_generated_one():
    """`quiz grade` reads the printed object back (question_from_dict): every kind, the same
    verdicts as the generated question for the right answer, a wrong one, an alias, a skip."""
    from studyapp.core.questions.restore import question_from_dict

    checked = 0
    for q in generate_quiz(21, 120):
        back = question_from_dict(json.loads(json.dumps(q.to_dict())))
        if q.kind != "numeric":  # printed numbers have 6 digits: graded the same, stored exactly
            assert (back.expected_kind, back.expected, back.cloze_template) == (
                q.expected_kind,
                q.expected,
                q.cloze_template,
            ), q.id
        tries = [q.answer, "", "2", "b", "zz", "1a 2b 3c 4d"] + list(
            q.expected if isinstance(q.expected, list) else []
        )
        for text in tries:
            assert grade(back, text).verdict == grade(q, text).verdict, (q.id, text)
        checked += 1
    assert checked == 120
