"""Browse search, settings persistence, help, command palette, dashboard."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select

from studyapp.ui.screens.browse import BrowseScreen, columns_for
from studyapp.ui.screens.settings import SettingsScreen

from .conftest import NOW, SPECS, open_export, wait_until


def _keys(table: DataTable) -> list[str]:
    return [row.value for row in table.rows]


async def _browse(app, pilot) -> tuple[BrowseScreen, DataTable]:
    """Press b on the dashboard: the browse screen and its table."""
    await pilot.press("b")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, BrowseScreen)
    return screen, screen.query_one("#browse-table", DataTable)


async def test_browse_search_filters(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await _browse(app, pilot)
        assert _keys(table) == [s.key for s in SPECS]

        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*list("topic:losses"))
        await pilot.pause()
        assert _keys(table) == ["loss.mse::formula"]
        details = str(screen.query_one("#details-card").render())
        assert "Mean squared error" in details

        search = screen.query_one("#browse-search", Input)
        search.value = "epoch"
        await pilot.pause()
        assert _keys(table) == ["term.epoch::definition"]

        search.value = "is:suspended"
        await pilot.pause()
        assert _keys(table) == []

        # Suspend from the table, then the filter finds it.
        search.value = "adam"
        await pilot.pause()
        table.focus()
        await pilot.press("s")
        await pilot.pause()
        assert app.storage.get_card("opt.adam::update").suspended
        search.value = "is:suspended"
        await pilot.pause()
        assert _keys(table) == ["opt.adam::update"]

        # A bad filter is one line in the details pane, not a crash.
        search.value = "is:nonsense"
        await pilot.pause()
        assert "unknown filter" in str(screen.query_one("#details-card").render())


async def test_browse_shows_history_after_a_review(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        key = app.screen.card.key
        await pilot.press("space", "3", "escape", "escape", "b")  # summary, then dashboard
        await pilot.pause()
        screen = app.screen
        screen.query_one("#browse-search", Input).value = f"key:{key}"
        await pilot.pause()
        history = str(screen.query_one("#details-history").render())
        assert "Good" in history


async def test_settings_are_saved(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        retention = screen.query_one("#set-desired_retention", Input)
        assert retention.value == "0.9"
        retention.value = "0.85"
        screen.query_one("#set-new_per_day", Input).value = "7"
        screen.query_one("#set-theme", Select).value = "light"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = app.storage.get_settings()
        assert saved["desired_retention"] == 0.85
        assert saved["new_per_day"] == 7
        assert saved["theme"] == "light"
        assert app.theme == "textual-light"
        assert not isinstance(app.screen, SettingsScreen)


async def test_bad_settings_are_refused_with_one_line(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#set-desired_retention", Input).value = "1.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        error = str(screen.query_one("#settings-error").render())
        assert "Desired retention" in error and "\n" not in error.strip()
        assert app.storage.get_settings()["desired_retention"] == 0.9


async def test_dashboard_counts_and_menu(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        # the tiles may still be mounting, and the statistics come from a worker
        await wait_until(pilot, lambda: app.screen.query("#tile-streak"))
        tile = app.screen.query_one("#tile-streak")
        await wait_until(pilot, lambda: tile.value != "…")
        table = app.screen.query_one("#deck-table", DataTable)
        assert "activations" in _keys(table)
        assert table.get_row("__all__")[0].plain == "All decks"
        assert table.get_row("__all__")[1].plain == str(len(SPECS))  # new cards today
        assert app.screen.query_one("#tile-streak").value == "0"


async def test_help_lists_bindings_of_every_screen(make_app):
    app = make_app(start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        from studyapp.ui.screens.help import HelpScreen, help_sections

        assert isinstance(app.screen, HelpScreen)
        sections = dict(help_sections())
        assert ("u", "Undo") in sections["Review"]
        assert ("space", "Show answer") in sections["Review"]
        assert ("r", "Review") in sections["Dashboard"]
        assert ("q", "Quit") in sections["Dashboard"]
        assert {"Quiz", "Browse", "Statistics", "Errata", "Settings"} <= set(sections)
        # The current screen comes first.
        assert help_sections(type(app.screen_stack[-2]))[0][0] == "Review"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_reaches_every_screen(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "Review",
            "Quiz",
            "Exercises",
            "Browse cards",
            "Statistics",
            "Errata",
            "Settings",
            "Help",
            "Dashboard",
        } <= titles
        for place in ("stats", "errata", "browse", "settings", "review"):
            app.action_open(place)
            await pilot.pause()
            assert app.screen.__class__.__name__ != "DashboardScreen", place
            app.action_open("dashboard")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "DashboardScreen"


async def test_stats_screen_fills_in(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r", "space", "3")
        await pilot.press("escape", "escape", "s")  # the session summary, then the dashboard
        await pilot.pause()
        box = app.screen.query_one("#stats-summary")
        await wait_until(pilot, lambda: "Computing" not in str(box.render()))
        summary = str(box.render())
        assert "1 in total" in summary, summary


async def test_app_with_no_arguments_uses_the_data_dir(data_dir):
    from studyapp.ui.app import StudyApp

    app = StudyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
        # The database opens in a worker after the first frame; then the counts fill in.
        await wait_until(pilot, lambda: app.storage_ready)
        assert app.load_error is None, app.load_error
        message = app.screen.query_one("#dash-message")
        await wait_until(pilot, lambda: "Loading" not in str(message.render()))
        assert "r studies all decks" in str(message.render()) or "Nothing due" in str(
            message.render()
        )
    assert (data_dir / "studyapp.db").exists()


async def test_leeches_key_opens_browse_filtered(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert screen.query_one("#browse-search", Input).value == "is:leech"
        assert _keys(screen.query_one("#browse-table", DataTable)) == []


async def test_unusable_database_is_one_line_not_a_crash(data_dir):
    from studyapp.ui.app import StudyApp

    (data_dir / "studyapp.db").mkdir()  # a directory where the database should be
    app = StudyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.storage_ready)
        assert app.load_error and "is a directory" in app.load_error
        message = app.screen.query_one("#dash-message")
        await wait_until(pilot, lambda: "Cannot open" in str(message.render()))
        await pilot.press("r")  # the review says so too, instead of failing
        await pilot.pause()
        assert "Cannot open the study data" in str(app.screen.query_one("#review-summary").render())
        await pilot.press("escape", "s")  # and so do the statistics, with the reason
        await pilot.pause()
        box = app.screen.query_one("#stats-summary")
        await wait_until(pilot, lambda: "Computing" not in str(box.render()))
        assert "Cannot open the study data" in str(box.render()), str(box.render())
        assert "is a directory" in str(box.render())


async def test_text_that_looks_like_markup_is_shown_as_typed(make_app):
    from studyapp.core.questions.model import Question
    from studyapp.ui.screens.quiz import QuizScreen

    from .conftest import TRICKY

    app = make_app(specs=TRICKY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        details = str(app.screen.query_one("#details-card").render())
        assert "Range: [0, ∞)" in details and "[[1, 2], [3, 4]]" in details and "[/dim]" in details
        await pilot.press("escape", "r", "space")
        await pilot.pause()
        card = app.screen.query_one("#card-back")
        assert "[0, ∞)" in str(card.render())
        await pilot.press("escape")
        q = Question(
            id="q",
            kind="mcq",
            topic="activations",
            prompt="Range of ReLU [b]?",
            answer="[0, ∞)",
            explanation="max(0, z) ≥ 0 [/i]",
            source="act.relu",
            choices=["[0, ∞)", "(0, 1)", "[-1, 1]", "ℝ"],
            expected_kind="choice",
        )
        screen = QuizScreen(questions=[q])
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is not None)
        await pilot.press("1")
        await wait_until(pilot, lambda: screen.graded)
        assert "[/i]" in str(screen.query_one("#quiz-feedback").render())


async def test_export_from_the_palette_writes_a_file(make_app, tmp_path):
    import json

    from studyapp.ui.screens.export import ExportScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_export(pilot, "json")
        assert screen.query_one("#export-path", Input).value.endswith("deep-learning.json")
        target = tmp_path / "cards.json"
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-go")
        status = screen.query_one("#export-status")
        await wait_until(
            pilot, lambda: "Wrote" in str(status.render()) or "Not" in str(status.render())
        )
        assert "Wrote" in str(status.render()), str(status.render())
        assert json.loads(target.read_text())["cards"]
        # A bad path is one line, not a crash; enter in the file box exports too.
        path_box = screen.query_one("#export-path", Input)
        path_box.value = str(tmp_path / "missing" / "dir" / "x.json")
        path_box.focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Not exported" in str(status.render()))
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)


async def test_enter_on_a_deck_reviews_it_and_b_browses_it(make_app):
    from studyapp.ui.screens.review import ReviewScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#deck-table", DataTable)
        table.focus()
        table.move_cursor(
            row=list(table.rows).index(next(k for k in table.rows if k.value == "losses"))
        )
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert _keys(screen.query_one("#browse-table", DataTable)) == ["loss.mse::formula"]
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.card.key == "loss.mse::formula"
        assert app.screen.sub_title == "Review · Losses"


# ---- flags from the table, history intervals, the due column at 80 columns


async def test_flag_from_browse_and_find_it(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await _browse(app, pilot)
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
        screen, _table = await _browse(app, pilot)
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
        _screen, table = await _browse(app, pilot)
        used = sum(c.get_render_width(table) for c in table.columns.values())
        assert "due" in [c.value for c in table.columns] and used <= table.size.width
