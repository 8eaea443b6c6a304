"""`studyapp playground train|race` run the way a user runs them."""

import json

import pytest


def strict_json(text: str):
    """json.loads that fails on NaN / Infinity (which plain json.loads would accept)."""

    def refuse(name):
        raise AssertionError(f"non-finite number {name} in the JSON")

    return json.loads(text, parse_constant=refuse)


def test_train_json_follows_the_contract_and_repeats_per_seed(cli):
    args = ("playground", "train", "--steps", "250", "--seed", "4", "--format", "json")
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == cli(*args).stdout
    log = strict_json(first.stdout)
    assert log["schema"] == 1 and log["seed"] == 4
    assert (log["dataset"], log["layers"], log["activation"], log["output_activation"]) == (
        "xor",
        [2, 8, 1],
        "tanh",
        "sigmoid",
    )
    assert (log["loss_function"], log["optimizer"], log["lr"]) == ("bce", "adam", 0.01)
    assert (log["points"], log["batch"]) == (200, 200)
    assert log["steps"] == [*range(0, 250, 2), 250]  # K = max(1, 250 // 100)
    assert len(log["loss"]) == len(log["accuracy"]) == len(log["grad_norms"]) == len(log["steps"])
    assert all(len(norms) == 2 for norms in log["grad_norms"])
    assert log["final"] == {
        "loss": log["loss"][-1],
        "accuracy": log["accuracy"][-1],
        "diverged": False,
    }
    assert log["loss"][-1] < log["loss"][0]


def test_train_text_is_a_small_table_and_its_fresh_seed_repeats_the_run(cli):
    args = ("playground", "train", "--dataset", "circles", "--steps", "300", "--batch", "50")
    out = cli(*args)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "circles" in lines[0] and "batch 50" in lines[0]
    assert lines[2].split()[:3] == ["step", "loss", "accuracy"]
    assert 5 <= len(lines) <= 20
    assert lines[-1].startswith("Final after 300 steps: loss ")
    seed = lines[0].rsplit("seed ", 1)[1]
    assert cli(*args, "--seed", seed).stdout == out.stdout


def test_race_json_paths_and_divergence(cli):
    out = cli(
        "playground", "race", "--surface", "rosenbrock", "--lr", "0.01", "--steps", "50",
        "--start", "-1.2,1", "--format", "json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    race = strict_json(out.stdout)
    assert race["schema"] == 1 and race["start"] == [-1.2, 1.0] and race["steps"] == 50
    assert list(race["paths"]) == [
        "sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam",
    ]  # fmt: skip
    assert race["hyperparameters"]["adam"]["lr"] == 0.01
    assert "lr" not in race["hyperparameters"]["adadelta"]
    for name, path in race["paths"].items():
        assert path[0] == [-1.2, 1.0]
        end = race["final"][name]
        assert [end["x"], end["y"]] == path[-1]
        assert (len(path) < 51) == end["diverged"]
    assert race["final"]["sgd"]["diverged"]  # lr 0.01 is far too large for this valley


def test_race_text_has_a_line_per_optimizer(cli):
    out = cli("playground", "race", "--optimizers", "sgd,adam", "--start", "-3,1")
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0]: line.split() for line in out.stdout.splitlines()[3:]}
    assert set(rows) == {"sgd", "adam"}
    assert "from (-3, 1), 200 steps" in out.stdout.splitlines()[0]
    assert rows["sgd"][-4] == "200"  # steps kept, then final x, y, f


@pytest.mark.parametrize(
    "args,names",
    [
        (("train", "--layers", "2,4,3"), "--layers"),
        (("train", "--batch", "0"), "--batch"),
        (("train", "--lr", "-0.1"), "--lr"),
        (("race", "--optimizers", "sgd,lbfgs"), "lbfgs"),
        (("race", "--start", "1,2,3"), "--start"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(cli, args, names):
    out = cli("playground", *args)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and names in out.stderr
