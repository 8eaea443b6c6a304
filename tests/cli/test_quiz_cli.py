"""``studyapp quiz`` end to end: the JSON contract, one-line errors, text and interactive modes,
and weighting by the accuracy stored in the database."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from studyapp.core.questions import TOPICS

KEYS = ["id", "kind", "topic", "prompt", "choices", "answer", "explanation", "source"]


def _quiz(cli, *args):
    result = cli("quiz", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_follows_the_contract(cli, data_dir):
    out = _quiz(cli, "--count", "25", "--seed", "3", "--format", "json")
    assert list(out) == ["schema", "seed", "questions"]
    assert out["schema"] == 1 and out["seed"] == 3
    qs = out["questions"]
    assert len(qs) == 25
    assert len({q["id"] for q in qs}) == 25
    for q in qs:
        assert list(q) == (KEYS if q["kind"] == "mcq" else [k for k in KEYS if k != "choices"])
        assert q["kind"] in ("mcq", "typed", "true_false", "cloze", "numeric", "matching")
        assert all(isinstance(q[k], str) and q[k] for k in q if k != "choices")
        if q["kind"] == "mcq":
            assert len(q["choices"]) >= 4 and len(set(q["choices"])) == len(q["choices"])
            assert q["choices"].count(q["answer"]) == 1
        else:
            assert "choices" not in q
        if q["kind"] == "true_false":
            assert q["answer"] in ("True", "False")
        if q["kind"] == "numeric":
            float(q["answer"])
        if q["kind"] == "matching":
            assert isinstance(json.loads(q["answer"]), dict)
    # reading weights never creates the database
    assert not (data_dir / "studyapp.db").exists()


def test_same_seed_gives_identical_output(cli):
    a = cli("quiz", "--count", "15", "--seed", "42", "--format", "json").stdout
    b = cli("quiz", "--count", "15", "--seed", "42", "--format", "json").stdout
    c = cli("quiz", "--count", "15", "--seed", "43", "--format", "json").stdout
    assert a == b
    assert a != c


def test_no_seed_picks_one_and_reports_it(cli):
    out = _quiz(cli, "--count", "2", "--format", "json")
    again = _quiz(cli, "--count", "2", "--format", "json", "--seed", str(out["seed"]))
    assert again == out


def test_topic_and_large_counts(cli):
    out = _quiz(cli, "--count", "300", "--seed", "1", "--topic", "terms", "--format", "json")
    assert {q["topic"] for q in out["questions"]} == {"terms"}
    assert len({q["id"] for q in out["questions"]}) == 300


@pytest.mark.parametrize(
    "args, needle",
    [
        (("--topic", "nonsense"), "valid topics: " + ", ".join(TOPICS)),
        (("--count", "0"), "--count"),
        (("--count", "ten"), "--count"),
        (("--format", "xml"), "--format"),
        (("--seed", "x"), "--seed"),
    ],
)
def test_usage_errors_are_one_line_exit_2(cli, args, needle):
    result = cli("quiz", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.stderr


def test_text_format_prints_questions_and_answer_key(cli):
    result = cli("quiz", "--count", "8", "--seed", "2", "--format", "text")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Quiz · seed 2 · 8 questions")
    assert out.count("Answer: ") == 8
    assert out.count("Source: ") == 8
    assert "1/8" in out and "8/8" in out


def test_interactive_quiz_scores_right_and_wrong_answers(cli, data_dir):
    qs = _quiz(cli, "--count", "10", "--seed", "9", "--format", "json")["questions"]
    right = "\n".join(q["answer"] for q in qs) + "\n"
    # --no-history: the first run records attempts, which would re-weight the second
    result = cli(
        "quiz", "--count", "10", "--seed", "9", "--interactive", "--no-history", input=right
    )
    assert result.returncode == 0, result.stderr
    assert "Score: 10/10 (100 %)" in result.stdout
    assert result.stdout.count("✓ correct") == 10

    # every answer wrong (a choice that is not the answer, the opposite truth, a wrong number)
    wrong = []
    for q in qs:
        if q["kind"] == "mcq":
            wrong.append(str(next(i for i, c in enumerate(q["choices"], 1) if c != q["answer"])))
        elif q["kind"] == "true_false":
            wrong.append("False" if q["answer"] == "True" else "True")
        elif q["kind"] == "numeric":
            wrong.append(str(float(q["answer"]) * 3 + 7))
        elif q["kind"] == "matching":
            n = len(json.loads(q["answer"]))  # every item paired (a partial one is asked again)
            wrong.append(" ".join(f"{i}a" for i in range(1, n + 1)))
        else:
            wrong.append("0")  # a readable formula or word that is never the answer
    result = cli(
        "quiz",
        "--count",
        "10",
        "--seed",
        "9",
        "--interactive",
        "--no-history",
        input="\n".join(wrong) + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Score: 0/10 (0 %)" in result.stdout

    # the attempts were recorded for adaptive practice
    from studyapp.storage import Storage

    storage = Storage.open(data_dir / "studyapp.db", backup=False)
    try:
        acc = storage.topic_accuracy()
    finally:
        storage.close()
    assert sum(total for _, total in acc.values()) == 20
    assert sum(correct for correct, _ in acc.values()) == 10


def test_interactive_quiz_stops_at_end_of_input(cli):
    result = cli("quiz", "--count", "5", "--seed", "4", "--interactive", input="")
    assert result.returncode == 0, result.stderr
    assert "Score: 0/0" in result.stdout and "stopped after 0 of 5" in result.stdout


def test_weak_topics_get_more_questions(cli, data_dir):
    from studyapp.storage import Storage

    storage = Storage.open(data_dir / "studyapp.db", backup=False)
    try:
        for i in range(20):
            for topic in TOPICS:
                # losses answered wrong every time, everything else right
                storage.record_attempt(
                    "quiz", f"{topic}.x::mcq::t{i}", topic, topic != "losses", 3.0
                )
    finally:
        storage.close()
    counts = Counter(
        q["topic"]
        for q in _quiz(cli, "--count", "60", "--seed", "1", "--format", "json")["questions"]
    )
    assert counts["losses"] > 2 * max(n for t, n in counts.items() if t != "losses"), counts
    flat = Counter(
        q["topic"]
        for q in _quiz(cli, "--count", "60", "--seed", "1", "--format", "json", "--no-history")[
            "questions"
        ]
    )
    assert set(flat.values()) == {10}


def test_unreadable_database_is_one_line_exit_2(cli, data_dir):
    (data_dir / "studyapp.db").write_bytes(b"this is not a database" * 100)
    result = cli("quiz", "--count", "3", "--seed", "1", "--format", "json")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "studyapp.db" in result.stderr


def test_imported_notes_become_the_user_topic(cli, tmp_path):
    notes = tmp_path / "mynotes.md"
    notes.write_text(
        "| Term | Meaning | Example |\n|---|---|---|\n"
        "| Gradient clipping | Cap the norm of the gradient | clip_grad_norm_ |\n"
        "| Label smoothing | Soften one-hot targets | 0.9 / 0.1 targets |\n"
        "| Warmup | Ramp the learning rate up at the start | linear warmup |\n"
        "| Weight decay | Shrink weights each step | AdamW |\n"
        "| Teacher forcing | Feed the true previous token | seq2seq training |\n"
        "| Squared error | Half the squared distance | $\\frac{1}{2}(y - a)^2$ |\n",
        encoding="utf-8",
    )
    imported = cli("content", "import", str(notes))
    assert imported.returncode == 0, imported.stderr
    out = _quiz(cli, "--count", "40", "--seed", "2", "--topic", "user", "--format", "json")
    qs = out["questions"]
    assert {q["topic"] for q in qs} == {"user"}
    assert {"mcq", "true_false", "typed", "matching"} <= {q["kind"] for q in qs}
    assert all(q["source"].startswith("user.") for q in qs if q["kind"] != "matching")
    # the notes' $…$ math is shown readably, never as raw LaTeX
    shown = " ".join(q["prompt"] + q["explanation"] + " ".join(q.get("choices", [])) for q in qs)
    assert "$" not in shown and "\\frac" not in shown
    assert "½(y − a)²" in shown
    bad = cli("quiz", "--topic", "nope")
    assert bad.returncode == 2 and "user" in bad.stderr


def test_interactive_quiz_asks_again_after_an_unreadable_answer(cli):
    qs = _quiz(cli, "--count", "1", "--seed", "0", "--topic", "losses", "--format", "json")[
        "questions"
    ]
    result = cli(
        "quiz",
        "--count",
        "1",
        "--seed",
        "0",
        "--topic",
        "losses",
        "--interactive",
        "--no-history",
        input="(((\n" + qs[0]["answer"] + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Could not read that" in result.stdout
    assert "Score: 1/1" in result.stdout


def test_user_topic_without_imported_notes_says_how_to_import(cli):
    result = cli("quiz", "--topic", "user", "--format", "json")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "content import" in result.stderr


def _printed(cli, seed=12, count=40):
    """A quiz's questions by kind, exactly as `studyapp quiz --format json` prints them."""
    out = _quiz(cli, "--count", str(count), "--seed", str(seed), "--format", "json")
    by_kind = {}
    for q in out["questions"]:
        by_kind.setdefault(q["kind"], q)
    return by_kind


def test_quiz_grade_grades_one_printed_question(cli, tmp_path):
    """The printed question as JSON text, @FILE or stdin; right, wrong, skipped and unreadable."""
    qs = _printed(cli)
    mcq, tf, matching = qs["mcq"], qs["true_false"], qs["matching"]
    right = str(mcq["choices"].index(mcq["answer"]) + 1)
    out = cli("quiz", "grade", "--question", json.dumps(mcq), "--answer", right)
    assert out.returncode == 0 and json.loads(out.stdout)["verdict"] == "correct", out.stderr
    assert list(json.loads(out.stdout)) == ["verdict", "message", "expected", "answer", "diagnosis"]
    path = tmp_path / "q.json"
    path.write_text(json.dumps(tf))
    wrong = "f" if tf["answer"] == "True" else "yes"
    out = cli("quiz", "grade", "--question", f"@{path}", "--answer", wrong)
    assert out.returncode == 1 and json.loads(out.stdout)["verdict"] == "incorrect"
    out = cli("quiz", "grade", "--question", "-", "--answer", "", input=json.dumps(matching))
    assert out.returncode == 1 and json.loads(out.stdout)["message"] == "skipped"
    out = cli("quiz", "grade", "--question", "-", "--answer", "1a", input=json.dumps(matching))
    assert out.returncode == 2 and json.loads(out.stdout)["verdict"] == "invalid"
    assert out.stderr.count("\n") == 1 and "missing pairs for 2, 3, 4" in out.stderr


def test_quiz_grade_bad_question_is_one_line(cli):
    for question, needle in [
        ("{", "not JSON"),
        ('{"id": "x"}', "missing 'kind'"),
        ("@/nope", "cannot read"),
    ]:
        out = cli("quiz", "grade", "--question", question, "--answer", "1")
        assert out.returncode == 2 and out.stdout == "", out.stdout
        assert out.stderr.count("\n") == 1 and needle in out.stderr, out.stderr


def test_optimizers_and_activations_quizzes_ask_predict_questions_on_the_playground(cli):
    """Each names the preset and the command that repeats its run."""
    out = _quiz(cli, "--topic", "activations", "--count", "40", "--seed", "5", "--format", "json")
    asked = [q for q in out["questions"] if "::predict_" in q["id"]]
    assert asked
    for q in asked:
        assert q["kind"] in ("mcq", "true_false", "numeric") and q["topic"] == "activations"
        assert "playground preset" in q["source"] and "studyapp playground train" in q["source"]
        assert q["prompt"].startswith("Predict: ") and "In the run" in q["explanation"]
    text = cli("quiz", "--topic", "optimizers", "--count", "40", "--seed", "5", "--format", "text")
    assert text.returncode == 0, text.stderr
    assert "Predict: " in text.stdout and "studyapp playground race --surface" in text.stdout
