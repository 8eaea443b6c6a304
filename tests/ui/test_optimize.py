"""The settings screen's "Optimize parameters" (fsrs-rs in a child process, a result panel with
Apply / Keep) and the export dialog's review log, driven with Textual's Pilot; snapshots of the
result panel at 80×24 and 120×40."""

from __future__ import annotations

import csv
import sys

import pytest
from textual.widgets import Button, Input, Select

from studyapp.storage import Storage
from tests.study.learner import simulate_into

from .conftest import NOW, open_export, wait_until


@pytest.fixture
def studied(tmp_path):
    """A database holding a simulated learner's 60 days (about 1700 reviews of 200 cards)."""
    store = Storage.open(tmp_path / "studied.db", backup=False)
    simulate_into(store, cards=200, days=60, seed=0)
    yield store
    store.close()


def app_over(store):
    from studyapp.ui.app import StudyApp

    return StudyApp(clock=lambda: NOW, storage=store)


async def open_optimizer(pilot):
    """Settings, then ctrl+o; returns the optimize dialog."""
    from studyapp.ui.screens.optimize import OptimizeScreen

    await pilot.press("comma")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SettingsScreen")
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, OptimizeScreen))
    return pilot.app.screen


def status_of(screen) -> str:
    return str(screen.query_one("#optimize-status").render())


async def test_optimize_shows_the_figures_and_applies_only_on_request(studied):
    app = app_over(studied)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_optimizer(pilot)
        settings = app.screen_stack[-2]
        await wait_until(pilot, lambda: screen.result is not None)
        await pilot.pause()
        result = screen.result
        assert result.better and status_of(screen) == "Better: apply them?"
        report = str(screen.query_one("#optimize-report").render())
        assert "History: 1726 reviews of 200 cards" in report and "log loss" in report
        assert f"{result.heldout['fitted'].log_loss:.4f}" in report
        assert studied.settings.fsrs_parameters is None  # nothing stored before Apply
        assert not screen.query_one("#optimize-apply", Button).disabled
        await pilot.click("#optimize-apply")
        await wait_until(pilot, lambda: app.screen is settings)
        assert studied.settings.fsrs_parameters == result.new
        assert "fitted to your reviews" in str(settings.query_one("#settings-fsrs-status").render())
        assert screen._child._child.poll() is not None  # the fsrs-rs process has ended


async def test_keep_leaves_the_parameters_and_stops_the_fit(studied):
    app = app_over(studied)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_optimizer(pilot)
        await wait_until(pilot, lambda: screen._child is not None)
        await pilot.press("escape")  # while fitting
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        await pilot.pause(0.2)
        assert screen._child._child.poll() is not None
        assert studied.settings.fsrs_parameters is None


async def test_without_fsrs_rs_python_the_dialog_says_so(studied, monkeypatch):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # import now raises ImportError
    app = app_over(studied)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_optimizer(pilot)
        await wait_until(pilot, lambda: "Cannot optimize" in status_of(screen))
        assert "needs the fsrs-rs-python package" in status_of(screen)
        assert screen.query_one("#optimize-apply", Button).disabled
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")


async def test_the_export_dialog_writes_the_review_log(studied, tmp_path):
    app = app_over(studied)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_export(pilot, "revlog")
        assert screen.query_one("#export-topic", Select).disabled
        path = screen.query_one("#export-path", Input)
        assert path.value.endswith("deep-learning-revlog.csv")
        path.value = str(tmp_path / "revlog.csv")
        await pilot.click("#export-go")
        status = screen.query_one("#export-status")
        await wait_until(pilot, lambda: "Wrote" in str(status.render()))
        assert "Wrote 1726 reviews to" in str(status.render())
    with open(tmp_path / "revlog.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1:] == [[str(v) for v in r.row()] for r in studied.review_log()]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_result_panel_snapshot(snap_compare, studied, size):
    async def optimized(pilot):
        screen = await open_optimizer(pilot)
        await wait_until(pilot, lambda: screen.result is not None)
        await pilot.pause()

    assert snap_compare(app_over(studied), terminal_size=size, run_before=optimized)
