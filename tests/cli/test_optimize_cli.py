"""`studyapp optimize` as a user runs it, on a database holding a simulated learner's history."""

from __future__ import annotations

import json

import pytest

from studyapp.core.scheduling import DEFAULT_PARAMETERS
from studyapp.storage import Storage
from tests.study.learner import simulate_into


@pytest.fixture
def history(data_dir):
    """The learner's 60 days (about 1700 reviews of 200 cards) in the data directory's database."""
    with Storage.open() as store:
        simulate_into(store, cards=200, days=60, seed=0)
        return len(store.review_log())


def test_optimize_reports_then_applies_only_on_request(cli, history):
    shown = cli("optimize", "--json")
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)
    assert (report["reviews"], report["cards"]) == (history, 200)
    assert report["better"] and not report["applied"]
    assert report["heldout"]["fitted"]["log_loss"] < report["heldout"]["default"]["log_loss"]
    assert report["model"] == {"fsrs": "FSRS-6", "parameters": 21}
    with Storage.open() as store:
        assert store.settings.fsrs_parameters is None  # a report changes nothing

    applied = cli("optimize", "--apply")
    assert applied.returncode == 0, applied.stderr
    assert (
        "Applied: the scheduler uses the new parameters from the next review on." in applied.stdout
    )
    assert "log loss" in applied.stdout and "RMSE (bins)" in applied.stdout
    with Storage.open() as store:
        assert store.settings.fsrs_parameters == tuple(report["parameters"]["new"])

    reset = cli("optimize", "--reset")
    assert reset.returncode == 0 and "reset to the defaults" in reset.stdout
    with Storage.open() as store:
        assert store.settings.parameters == DEFAULT_PARAMETERS


def test_a_fresh_database_has_nothing_to_fit(cli):
    result = cli("optimize")
    assert result.returncode == 0, result.stderr
    assert "Nothing to fit yet: 0 of your 0 reviews" in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["--holdout", "2"], "holdout must be between 0.05 and 0.5"),
        (["--epochs", "0"], "epochs must be between 1 and 100"),
        (["--apply", "--reset"], "not allowed with argument"),
    ],
)
def test_bad_usage_is_one_line_exit_2(cli, args, message):
    result = cli("optimize", *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_without_fsrs_rs_python_it_says_so_in_one_line(cli, tmp_path):
    (tmp_path / "fsrs_rs_python.py").write_text("raise ImportError('not built for this machine')\n")
    result = cli("optimize", env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "needs the fsrs-rs-python package" in result.stderr
