"""Review flow through the real keys: reveal, every rating, undo, suspend, bury, summary."""

from __future__ import annotations

from studyapp.ui.screens.review import ReviewScreen
from studyapp.ui.widgets.rating_bar import RatingBar

from .conftest import SPECS


def _review(app) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen), type(app.screen)
    return app.screen


async def test_start_review_opens_review_over_dashboard(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _review(app)
        assert screen.card is not None
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_every_rating_is_saved_before_the_next_card(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _review(app)
        storage = app.storage
        seen = []
        for rating in ("1", "2", "3", "4"):
            key = screen.card.key
            seen.append(key)
            # Rating before the answer is shown does nothing.
            await pilot.press(rating)
            assert storage.card_history(key) == []
            await pilot.press("space")
            assert screen.revealed
            bar = screen.query_one(RatingBar)
            assert bar.display
            labels = [str(b.label) for b in bar.query("Button")]
            assert all("·" in label for label in labels), labels  # interval on every button
            await pilot.press(rating)
            history = storage.card_history(key)
            assert [h["rating"] for h in history] == [int(rating)]
            if screen.card is not None:
                assert not screen.revealed
        # Four new cards, four different ones, each rated once.
        assert len(set(seen)) == 4
        assert storage.review_count() == 4


async def test_undo_brings_the_card_back(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _review(app)
        first = screen.card.key
        await pilot.press("space", "3")
        assert screen.card.key != first
        assert app.storage.review_count() == 1
        await pilot.press("u")
        assert screen.card.key == first
        assert not screen.revealed
        assert app.storage.review_count() == 0
        assert app.storage.card_history(first) == []


async def test_suspend_and_bury_skip_the_card(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _review(app)
        first = screen.card.key
        await pilot.press("s")
        assert app.storage.get_card(first).suspended
        second = screen.card.key
        assert second != first
        await pilot.press("b")
        assert app.storage.get_card(second).buried_until is not None
        assert screen.card.key not in (first, second)
        assert app.storage.review_count() == 0


async def test_summary_after_the_last_card(make_app):
    app = make_app(start="review", specs=SPECS[:1])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _review(app)
        await pilot.press("space", "4")  # Easy: graduates, due in days
        assert screen.card is None
        summary = str(screen.query_one("#review-summary").render())
        assert "Session finished" in summary
        assert "cards reviewed   1" in summary
        assert "100%" in summary
        # Undo works from the summary too.
        await pilot.press("u")
        assert screen.card is not None and screen.card.key == SPECS[0].key


async def test_clicking_a_rating_button_rates(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _review(app)
        key = screen.card.key
        await pilot.press("space")
        await pilot.click("#rate-2")
        assert [h["rating"] for h in app.storage.card_history(key)] == [2]


async def test_learning_card_comes_back_when_due(make_app):
    from datetime import timedelta

    from .conftest import NOW

    clock = {"now": NOW}
    app = make_app(start="review", specs=SPECS[:1])
    app.clock = lambda: clock["now"]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _review(app)
        await pilot.press("space", "1")  # Again: back in about a minute
        # Within the learn-ahead window the card is shown again at once (Anki's habit), so move
        # past it: rate Good, which schedules the next learning step minutes later.
        while screen.card is not None:
            await pilot.press("space", "3")
        assert "Session finished" in str(screen.query_one("#review-summary").render())
        clock["now"] = NOW + timedelta(days=30)
        screen._poll()
        await pilot.pause()
        assert screen.card is not None and screen.card.key == SPECS[0].key
