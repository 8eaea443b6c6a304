"""Browse: flags set from the table (ctrl+1..4 and the f menu) show in the table and details and
are found by is:flagged / flag:N; intervals read like "Good → 10 min"; the due column fits at
80 columns."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from studyapp.ui.screens.browse import BrowseScreen, columns_for

from .conftest import NOW


def _keys(table: DataTable) -> list[str]:
    return [row.value for row in table.rows]


async def test_flag_from_browse_and_find_it(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one("#browse-table", DataTable)
        table.move_cursor(row=1)
        key = screen.selected_key
        await pilot.press("ctrl+2")
        assert app.storage.get_card(key).flag == 2
        assert screen.selected_key == key  # the row stays highlighted
        assert str(table.get_row(key)[0]).startswith("⚑ ")
        assert "⚑ orange" in str(screen.query_one("#details-card").render())
        await pilot.press("f", "4")
        await pilot.pause()
        assert app.storage.get_card(key).flag == 4
        search = screen.query_one("#browse-search", Input)
        search.value = "is:flagged"
        await pilot.pause()
        assert _keys(table) == [key]
        search.value = "flag:2"
        await pilot.pause()
        assert _keys(table) == []
        search.value = "flag:9"
        await pilot.pause()
        assert "flag:9 is not a flag" in str(screen.query_one("#details-card").render())


async def test_history_reads_like_people_write_intervals(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.storage.record_review("loss.mse::formula", 3, NOW)  # Good: 10 min learning step
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#browse-search", Input).value = "topic:losses"
        await pilot.pause()
        history = str(screen.query_one("#details-history").render())
        assert "Good → 10 min" in history, history
        assert "0.00" not in history


async def test_the_due_column_fits_at_80_columns(make_app):
    assert [k for k, _t, _w in columns_for(46)] == ["card", "state", "due"]
    assert [k for k, _t, _w in columns_for(60)] == ["card", "topic", "state", "due"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        table = app.screen.query_one("#browse-table", DataTable)
        used = sum(c.get_render_width(table) for c in table.columns.values())
        assert "due" in [c.value for c in table.columns] and used <= table.size.width
