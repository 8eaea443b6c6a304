"""`studyapp exercise` run the way a user runs it."""

import json

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
