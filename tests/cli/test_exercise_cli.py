"""`studyapp exercise` run the way a user runs it."""

import json
from collections import Counter

import pytest


def test_preset_prints_the_notes_example(cli):
    out = cli("exercise", "backprop", "--preset", "seed-2-2-1")
    assert out.returncode == 0, out.stderr
    for text in (
        "z¹ = W¹x + b¹ = (0.52, 0.91)",
        "(0.7391)",
        "0.03403",
        "(−0.0503)",
        "−0.03155  −0.03587",
        "∂L/∂W¹",
    ):
        assert text in out.stdout


def test_json_is_deterministic_and_matches_the_contract(cli):
    args = ("exercise", "backprop", "--layers", "2,3,1", "--seed", "7", "--format", "json")
    first, second = cli(*args), cli(*args)
    assert first.stdout == second.stdout
    ex = json.loads(first.stdout)
    assert {
        "schema",
        "seed",
        "index",
        "layers",
        "activation",
        "output_activation",
        "loss",
        "learning_rate",
        "x",
        "target",
        "weights",
        "biases",
        "answers",
    } <= set(ex)
    assert set(ex["answers"]) == {
        "z",
        "a",
        "loss",
        "delta",
        "grad_weights",
        "grad_biases",
        "updated_weights",
        "updated_biases",
    }
    assert len(ex["weights"][0]) == 3 and len(ex["weights"][0][0]) == 2
    assert cli(*args[:-4], "--seed", "8", "--format", "json").stdout != first.stdout


def test_count_gives_an_array_and_jsonl_matches(cli):
    arr = json.loads(
        cli("exercise", "backprop", "--seed", "3", "--count", "3", "--format", "json").stdout
    )
    lines = cli(
        "exercise", "backprop", "--seed", "3", "--count", "3", "--format", "jsonl"
    ).stdout.splitlines()
    assert [e["index"] for e in arr] == [0, 1, 2]
    assert [json.loads(line) for line in lines] == arr


def test_optimizer_exercise(cli):
    out = cli("exercise", "optimizer", "--optimizer", "adam", "--seed", "5", "--format", "json")
    ex = json.loads(out.stdout)
    assert ex["t"] >= 2 and set(ex["state"]) == {"m", "v"}
    assert set(ex["answers"]["intermediates"]) == {"m_hat", "v_hat"}
    text = cli("exercise", "optimizer", "--optimizer", "rmsprop", "--seed", "5").stdout
    assert "θ (new)" in text
    # People read the notes' E[g²]; Eg2 is the JSON's name for programs.
    assert "E[g²] ← ρ·E[g²]" in text and "√(E[g²] + ε)" in text and "Eg2" not in text


@pytest.mark.parametrize(
    "args,needle",
    [
        (("--layers", "2,0,1"), "--layers"),
        (("--layers", "a,b"), "--layers"),
        (("--activation", "foo"), "--activation"),
        (("--loss", "cce"), "--loss"),
        (("--output-activation", "tanh", "--loss", "bce"), "--loss"),
        (("--count", "0"), "--count"),
        (("--decimals", "x"), "--decimals"),
        (("--preset", "nope"), "--preset"),
    ],
)
def test_bad_options_exit_2_with_one_line(cli, args, needle):
    out = cli("exercise", "backprop", *args)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and needle in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "text", "md"])
def test_streamed_output_is_byte_identical_across_chunk_sizes(fmt, monkeypatch, capsysbinary):
    """Every format is written chunk by chunk (a JSON array too); with chunks of 2 or 3 the bytes
    are those of one chunk holding everything (what the CLI printed before it streamed)."""
    from engine import exercises
    from studyapp.cli import main

    outputs = set()
    for size in (2, 3, 1000):
        monkeypatch.setattr(exercises, "CHUNK", size)
        for kind in (["backprop", "--layers", "2,3,2"], ["optimizer", "--optimizer", "rmsprop"]):
            main(["exercise", *kind, "--seed", "4", "--count", "7", "--format", fmt])
        outputs.add(capsysbinary.readouterr().out)
    assert len(outputs) == 1


def test_grade_a_learners_worksheet(cli, tmp_path):
    """A teacher grades written answers to the notes' example: steps in the order a learner
    works, error carried forward, missing and unreadable steps, an update graded on its change."""
    exercise = cli("exercise", "backprop", "--preset", "seed-2-2-1", "--format", "json").stdout
    answers = {
        "z": [[0.52, 0.91], [1.041]],
        "a": [[0.6271, 0.7130], [0.7391]],
        "loss": 0.034,
        "delta": [[-0.00588, -0.00618], [-0.06]],  # δ² wrong
        "grad_weights": [None, [[-0.0376, -0.0428]]],  # right from their δ²
        "grad_biases": [[-0.005881, "x"], [-0.06]],
        "updated_weights": [[[0.2, 0.4], [0.3, 0.7]], [[0.50376, 0.60428]]],  # W¹ unchanged
        "updated_biases": [[0.1006, "0.2 + 0.1*0.006176"]],
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    out = cli("exercise", "grade", "--exercise", "-", "--answers", str(path), input=exercise)
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    verdicts = {s["step"]: s["verdict"] for s in report["steps"]}
    assert list(verdicts) == [
        "z[1]", "a[1]", "z[2]", "a[2]", "loss",
        "delta[2]", "grad_weights[2]", "grad_biases[2]",
        "delta[1]", "grad_weights[1]", "grad_biases[1]",
        "updated_weights[1]", "updated_biases[1]", "updated_weights[2]", "updated_biases[2]",
    ]  # fmt: skip
    assert verdicts["delta[2]"] == "incorrect"
    assert verdicts["grad_weights[2]"] == verdicts["grad_biases[2]"] == "correct_given_earlier"
    assert verdicts["grad_weights[1]"] == verdicts["updated_biases[2]"] == "missing"
    assert verdicts["grad_biases[1]"] == "invalid"
    assert verdicts["updated_weights[1]"] == "incorrect"
    assert verdicts["updated_biases[1]"] == "correct"
    assert verdicts["updated_weights[2]"] == "correct_given_earlier"
    by_step = {s["step"]: s for s in report["steps"]}
    assert "digits" in by_step["updated_weights[1]"]["message"]
    assert by_step["grad_weights[2]"]["expected_given_earlier"][0][0] == pytest.approx(
        -0.06 * 0.6271, rel=1e-3
    )
    counts = Counter(verdicts.values())
    assert (report["correct"], report["correct_given_earlier"], report["total"]) == (
        counts["correct"],
        counts["correct_given_earlier"],
        15,
    )


def test_grade_every_step_right_exits_0_in_the_optimizers_order(cli, tmp_path):
    exercise = cli(
        "exercise", "optimizer", "--optimizer", "adadelta", "--seed", "4", "--format", "json"
    )
    path = tmp_path / "ex.json"
    path.write_text(exercise.stdout)
    answers = json.dumps(json.loads(exercise.stdout)["answers"])
    out = cli("exercise", "grade", "--exercise", str(path), "--answers", "-", input=answers)
    assert out.returncode == 0, out.stdout
    report = json.loads(out.stdout)
    assert [s["step"] for s in report["steps"]] == [
        "state.Eg2",
        "intermediates.delta",
        "state.Edx2",
        "params",
    ]
    assert report["correct"] == report["total"] == 4 and report["kind"] == "optimizer"


def test_grade_bad_input_is_one_line_exit_2(cli, tmp_path):
    good = tmp_path / "ex.json"
    good.write_text(cli("exercise", "backprop", "--seed", "1", "--format", "json").stdout)
    broken = tmp_path / "broken.json"
    broken.write_text(good.read_text().replace('"sigmoid"', '"sigmoidal"', 1))
    for args, needle in [
        (("--exercise", str(good), "--answers", str(tmp_path / "none.json")), "--answers"),
        (("--exercise", str(good), "--answers", str(good), "--exercise", "-"), "not JSON"),
        (("--exercise", "-", "--answers", "-"), "both"),
        (("--exercise", str(broken), "--answers", str(good)), "exercise.activation"),
    ]:
        out = cli("exercise", "grade", *args, input="")
        assert out.returncode == 2, (args, out.stdout)
        assert len(out.stderr.strip().splitlines()) == 1 and needle in out.stderr, out.stderr
