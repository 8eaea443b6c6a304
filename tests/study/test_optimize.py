"""Optimizing FSRS parameters on a history simulated from known parameters (tests/study/learner.py):
the fitted parameters must beat the defaults on the learner's later, held-out reviews."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, timedelta

import fsrs_rs_python
import pytest

from studyapp.core.revlog import training_items
from studyapp.core.scheduling import DEFAULT_PARAMETERS, PARAMETER_BOUNDS, Settings
from studyapp.errors import StudyappError, UsageError
from studyapp.storage import Storage
from studyapp.study import fsrs_rs
from studyapp.study import optimize as opt
from tests.study.learner import SLOW_LEARNER, T0, simulate_into, simulated_log


@pytest.fixture(scope="module")
def history():
    """About 1700 reviews of 200 cards over 60 days by a learner who forgets faster than the
    defaults assume, scheduled by the app with the default parameters."""
    return simulated_log(cards=200, days=60, seed=0)


def test_fitted_parameters_beat_the_defaults_on_later_reviews(history):
    steps = []
    result = opt.optimize(history, Settings(), UTC, progress=lambda *s: steps.append(s[:2]))
    held = result.heldout
    assert held["fitted"].log_loss < held["default"].log_loss
    assert held["fitted"].rmse_bins < held["default"].rmse_bins
    assert result.better and result.current_is_default and not result.applied
    # Every review came from a card first seen as new, and every card gave items.
    assert (result.reviews, result.cards) == (len(history), 200)
    assert result.train_items + result.test_items == result.items
    assert result.test_items == round(0.2 * result.items)
    # The split is in time: every held-out review is later than every review fitted on.
    items = training_items(history, opt.study_day_numbers(Settings(), UTC)).items
    assert max(i.review_time for i in items[: result.train_items]) <= min(
        i.review_time for i in items[result.train_items :]
    )
    assert result.holdout_from.timestamp() * 1000 == items[result.train_items].review_time
    # In-sample (Anki's Evaluate): the parameters fitted on everything beat the current ones.
    assert result.overall["new"].log_loss < result.overall["current"].log_loss
    assert steps == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    # The fitted first-review stabilities moved from the defaults towards the learner's.
    assert result.new[0] < DEFAULT_PARAMETERS[0] or result.new[2] < DEFAULT_PARAMETERS[2]
    text = opt.render(result, UTC, "Run with --apply.")
    assert f"History: {len(history)} reviews of 200 cards" in text
    assert f"{held['fitted'].log_loss:.4f}" in text and "Run with --apply." in text


def test_parameters_no_better_than_the_current_ones_are_not_applied(history):
    # The runner fits the current parameters back: equal log loss is not lower, so they stay.
    current = Settings(fsrs_parameters=SLOW_LEARNER)

    def refit_current(function, *args):
        return list(SLOW_LEARNER) if function is fsrs_rs.fit else function(*args)

    result = opt.optimize(history, current, UTC, run=refit_current)
    assert not result.better
    losses = {k: e.log_loss for k, e in result.heldout.items()}
    assert losses["fitted"] == losses["current"] != losses["default"]
    assert "no better than the current ones" in result.reason and "stay" in result.reason


def test_apply_stores_the_parameters_and_the_scheduler_uses_them(tmp_path, history):
    with Storage.open(tmp_path / "s.db", backup=False) as store:
        simulate_into(store, cards=20, days=10, seed=2)
        before = store.preview_intervals("card1", T0 + timedelta(days=11))
        result = opt.optimize(history, store.settings, UTC)
        with pytest.raises(UsageError, match="not applied"):
            opt.apply(store, replace(result, better=False))
        assert store.settings.fsrs_parameters is None
        applied = opt.apply(store, result)
        assert applied.applied and store.settings.fsrs_parameters == result.new
        after = store.preview_intervals("card1", T0 + timedelta(days=11))
        assert after != before  # the next review is scheduled with the new parameters
    with Storage.open(tmp_path / "s.db", backup=False) as again:
        assert again.settings.parameters == result.new  # stored with the settings
        opt.reset(again)
        assert again.settings.parameters == DEFAULT_PARAMETERS


def test_the_database_log_is_exactly_what_was_rated(tmp_path):
    with Storage.open(tmp_path / "s.db", backup=False) as store:
        simulate_into(store, cards=25, days=12, seed=4)
        assert store.review_log() == sorted(
            simulated_log(cards=25, days=12, seed=4), key=lambda r: (r.card_id, r.review_time)
        )


def test_too_little_history_says_so_and_keeps_the_parameters():
    few = simulated_log(cards=3, days=2, seed=1)
    result = opt.optimize(few, Settings(), UTC)
    assert not result.better and result.heldout == {}
    assert result.reason.startswith(
        f"Nothing to fit yet: {result.items} of your {len(few)} reviews"
    )
    small = opt.optimize(simulated_log(cards=20, days=12, seed=1), Settings(), UTC)
    assert any("below a few hundred" in w for w in small.warnings)
    assert any("fits only the first-review stabilities" in w for w in small.warnings)


@pytest.mark.parametrize("options", [{"holdout": 0.9}, {"holdout": 0.01}, {"epochs": 0}])
def test_bad_options_are_one_line_errors(options, history):
    with pytest.raises(UsageError) as info:
        opt.optimize(history, Settings(), UTC, **options)
    assert "\n" not in str(info.value)


def test_without_fsrs_rs_python_the_optimizer_says_it_is_unavailable(monkeypatch, history):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # import now raises ImportError
    assert not fsrs_rs.available()
    with pytest.raises(fsrs_rs.OptimizerUnavailable, match="needs the fsrs-rs-python package"):
        opt.optimize(history, Settings(), UTC)


def test_an_older_parameter_set_from_fsrs_rs_is_converted_and_said(history):
    def fsrs5(function, *args):
        result = function(*args)
        return result[:19] if function is fsrs_rs.fit else result

    result = opt.optimize(history, Settings(), UTC, run=fsrs5)
    assert len(result.new) == 21 and result.new[19:] == (0.0, 0.5)
    assert any("returned 19 parameters" in w for w in result.warnings)


def test_the_child_process_answers_as_the_functions_do():
    items = [((3, 0), (3, 2)), ((1, 0), (3, 0), (1, 3)), ((4, 0), (3, 5))] * 4
    with fsrs_rs.ChildProcess() as run:
        assert run(fsrs_rs.evaluate, DEFAULT_PARAMETERS, items) == list(
            fsrs_rs.evaluate(DEFAULT_PARAMETERS, items)
        )
        with pytest.raises(StudyappError, match="NotEnoughData"):
            run(fsrs_rs.evaluate, DEFAULT_PARAMETERS, [])  # its error, as one line
        run.close()
        with pytest.raises(StudyappError, match="ended before answering"):
            run(fsrs_rs.evaluate, DEFAULT_PARAMETERS, items)


def test_closing_the_child_process_abandons_a_call_at_once():
    many = [((3, 0), (3, 2), (1, 5), (3, 0), (3, 3))] * 200_000  # about half a second of work
    run = fsrs_rs.ChildProcess()
    outcome: dict = {}

    def call():
        try:
            outcome["result"] = run(fsrs_rs.evaluate, DEFAULT_PARAMETERS, many)
        except StudyappError as exc:
            outcome["error"] = str(exc)

    worker = threading.Thread(target=call)
    worker.start()
    time.sleep(0.2)
    run.close()
    worker.join(timeout=5)
    assert outcome == {"error": "the fsrs-rs process ended before answering"}


def test_fsrs_rs_parameters_become_py_fsrs_parameters():
    # fsrs-rs-python 0.9 and py-fsrs 6 are both FSRS-6: 21 parameters, the same defaults.
    assert len(fsrs_rs_python.DEFAULT_PARAMETERS) == len(DEFAULT_PARAMETERS) == 21
    assert (
        fsrs_rs.to_fsrs6(fsrs_rs_python.DEFAULT_PARAMETERS, PARAMETER_BOUNDS) == DEFAULT_PARAMETERS
    )
    # 32-bit noise above a bound (0.8 in f32 is 0.800000011920929) is rounded back into it.
    raw = list(DEFAULT_PARAMETERS)
    raw[19], raw[20] = 0.800000011920929, 0.80000001
    assert fsrs_rs.to_fsrs6(raw, PARAMETER_BOUNDS)[19:] == (0.8, 0.8)
    # An FSRS-5 set (19 numbers) is converted the way fsrs-rs converts it.
    fsrs5 = fsrs_rs.to_fsrs6(DEFAULT_PARAMETERS[:19], PARAMETER_BOUNDS)
    assert len(fsrs5) == 21 and fsrs5[19:] == (0.0, 0.5)
    Settings(fsrs_parameters=fsrs5).validate()
