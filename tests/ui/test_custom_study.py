"""Custom study from the dashboard (``c``): each row of the dialog starts one session."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select

from studyapp.ui.screens.custom_study import CustomStudyScreen
from studyapp.ui.screens.review import ReviewScreen

from .conftest import NOW


async def _open_for(app, pilot, topic: str) -> CustomStudyScreen:
    table = app.screen.query_one("#deck-table", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(topic))
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, CustomStudyScreen)
    return app.screen


async def _review_started(app, pilot, title: str) -> ReviewScreen:
    """The review screen the dialog opened, named ``Review · title``."""
    await pilot.pause()
    review = app.screen
    assert isinstance(review, ReviewScreen)
    assert review.sub_title == f"Review · {title}"
    return review


async def test_extra_new_cards_for_one_deck(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.storage.save_settings({"new_per_day": 0})
        dialog = await _open_for(app, pilot, "losses")
        assert "Custom study · Losses" in str(dialog.query_one("#custom-title").render())
        field = dialog.query_one("#extra-count", Input)
        assert app.focused is field
        field.value = "2"
        await pilot.press("enter")
        review = await _review_started(app, pilot, "Losses · 2 more new today")
        assert review.card.key == "loss.mse::formula"
        assert app.storage.totals(NOW, "activations")["new"] == 0  # only losses was raised


async def test_an_empty_choice_says_so_and_a_bad_number_is_refused(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        dialog = await _open_for(app, pilot, "terms")
        await pilot.click("#start-ahead")  # nothing is in review yet
        await pilot.pause()
        assert app.screen is dialog
        dialog.query_one("#extra-count", Input).value = "0"
        await pilot.click("#start-extra")
        await pilot.pause()
        assert app.screen is dialog
        said = [n.message for n in app._notifications]
        assert "No cards for Terms · review ahead 3 d." in said
        assert "Type a whole number from 1 to 1000." in said
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_weak_topic_studies_its_cards_weakest_first(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.storage.record_attempt("quiz", "q1", "optimizers", False, 5.0, now=NOW)
        app.storage.record_attempt("quiz", "q2", "terms", True, 5.0, now=NOW)
        dialog = await _open_for(app, pilot, "activations")
        choice = dialog.query_one("#topic-choice", Select)
        assert choice.value == "optimizers"  # the weakest topic is offered first
        await pilot.click("#start-topic")
        review = await _review_started(app, pilot, "Weak topic · Optimizers")
        assert review.card.key == "opt.adam::update"
        await pilot.press("space", "4")
        assert review.card is None  # one card in that set
