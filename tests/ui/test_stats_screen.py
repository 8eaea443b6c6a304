"""The stats screen: the calendar heatmap, retention per week from real review-state reviews,
why retention is empty, and plots stacked below 100 columns."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text

from studyapp.core.scheduling import Rating
from studyapp.ui.widgets.calendar_heatmap import SHADES, heatmap_text, shade

from .conftest import NOW, wait_until


def test_heatmap_draws_weeks_as_columns_with_shades_months_and_legend():
    first = date(2026, 6, 1)  # a Monday
    days = [(first + timedelta(days=i), 0) for i in range(38)]  # 5 weeks and 3 days
    days[2] = (days[2][0], 8)  # Wednesday of the first week: the busiest
    days[30] = (days[30][0], 2)  # a Wednesday (July 1st) in week 5
    text = heatmap_text(days)
    lines = text.plain.splitlines()
    assert lines[0].split() == ["Jun", "Jul"]  # July starts in the fifth week
    assert lines[0].index("Jul") == 4 + 2 * 4
    assert lines[3].startswith("Wed ■ · · · ■") and lines[1].startswith("Mon · · · · · ·")
    assert lines[7].rstrip() == "Sun · · · · ·"  # the last week ends today: no Sunday yet
    assert "less · ■ ■ ■ ■ more   10 reviews on 2 of 38 days, at most 8 a day" in lines[-1]
    styles = {str(s.style) for s in text.spans}
    assert SHADES[3] in styles and SHADES[0] in styles  # 8 of 8 is the darkest, 2 of 8 the lightest
    assert [shade(c, 8) for c in (1, 2, 3, 4, 5, 8)] == [0, 0, 1, 1, 2, 3]
    assert heatmap_text([]).plain == "No reviews yet."
    assert isinstance(text, Text)


async def _open_stats(app, pilot):
    await pilot.press("s")
    box = app.screen.query_one("#stats-summary")
    await wait_until(pilot, lambda: "Computing" not in str(box.render()))
    return app.screen


async def test_retention_per_week_from_review_state_cards(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        storage = app.storage
        # Three weeks ago a card graduates; it is reviewed (passed) as a review card since.
        start = NOW - timedelta(days=21)
        storage.record_review("term.epoch::definition", Rating.Easy, start)
        due = storage.get_card("term.epoch::definition").due
        storage.record_review("term.epoch::definition", Rating.Good, due)
        screen = await _open_stats(app, pilot)
        assert "retention 30d 100%" in str(screen.query_one("#stats-summary").render())
        assert not screen.query_one("#stats-retention-note").display
        heat = str(screen.query_one("#stats-heatmap").render())
        assert "2 reviews on 2 of" in heat
        assert not screen.query_one("#stats-plots").has_class("-narrow")


async def test_empty_retention_says_why_and_plots_stack_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_stats(app, pilot)
        note = screen.query_one("#stats-retention-note")
        assert note.display and "no card is in the Review state yet" in str(note.render())
        assert screen.query_one("#stats-plots").has_class("-narrow")
