"""Snapshots of the study screens at 80×24 and 120×40 (pytest-textual-snapshot): the dashboard
with per-deck counts, review (counts, a flag, the answer shown), the paused summary, custom
study, stats with the calendar heatmap, browse with a flag and a history, and the 3-1-2-1
exercise diagram. Fixed data and clock, as in test_snapshots.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine import exercises

from .conftest import NOW, wait_until
from .test_snapshots import snap_app, wait_until_dashboard_filled  # noqa: F401 (a fixture)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _steady(app, pilot) -> None:
    """No blinking cursor in the picture: a focused Input blinks every 0.5 s, so a busy machine
    would otherwise catch it on or off."""
    from textual.widgets import Input

    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _history(app) -> None:
    """Six weeks of a few reviews a day, one card flagged, one quiz answer: every screen has
    something to show."""
    storage = app.storage
    for day in range(42, 0, -3):
        when = NOW - timedelta(days=day)
        card = storage.next_card(when)
        if card is not None:
            storage.record_review(card.key, 3 if day % 2 else 4, when, 6.0)
    storage.set_flag("loss.mse::formula", 1)
    storage.record_attempt("quiz", "q1", "losses", False, 7.0, now=NOW)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, snap_app, size):  # noqa: F811
    app = snap_app()

    async def ready(pilot):
        _history(app)
        await wait_until_dashboard_filled(app, pilot)
        app.screen.refresh_data()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_review_flagged_answer(snap_compare, snap_app, size):  # noqa: F811
    assert snap_compare(snap_app(start="review"), terminal_size=size, press=["ctrl+1", "space"])


@pytest.mark.parametrize("size", SIZES)
def test_review_paused(snap_compare, snap_app, size):  # noqa: F811
    app = snap_app(start="review")
    assert snap_compare(app, terminal_size=size, press=["space", "1", "space", "3", "escape"])


@pytest.mark.parametrize("size", SIZES)
def test_custom_study(snap_compare, snap_app, size):  # noqa: F811
    app = snap_app()

    async def open_dialog(pilot):
        app.storage.record_attempt("quiz", "q1", "losses", False, 7.0, now=NOW)
        await wait_until_dashboard_filled(app, pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CustomStudyScreen")
        await _steady(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_dialog)


@pytest.mark.parametrize("size", SIZES)
def test_stats_heatmap(snap_compare, snap_app, size):  # noqa: F811
    app = snap_app()

    async def study(pilot):
        _history(app)
        await pilot.press("s")
        box = app.screen.query_one("#stats-summary")
        await wait_until(pilot, lambda: "Computing" not in str(box.render()))

    assert snap_compare(app, terminal_size=size, run_before=study)


@pytest.mark.parametrize("size", SIZES)
def test_browse_flag_and_history(snap_compare, snap_app, size):  # noqa: F811
    app = snap_app()

    async def browse(pilot):
        _history(app)
        await pilot.press("b")
        await pilot.pause()
        app.screen.query_one("#browse-search").value = "topic:losses"
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=browse)


@pytest.mark.parametrize("size", SIZES)
def test_exercise_3_1_2_1(snap_compare, snap_app, size):  # noqa: F811
    from studyapp.ui.screens.exercise import ExerciseScreen

    app = snap_app()

    async def start(pilot):
        ex = exercises.backprop_exercises(1, layers=(3, 1, 2, 1))[0]
        screen = ExerciseScreen(exercise=ex)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.workspace is not None)
        await _steady(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=start)
