"""The TUI names its browser view (`studyapp serve`) in the command palette and in the help."""

import io

from rich.console import Console
from textual.command import CommandList
from textual.widgets import Static

from tests.ui.conftest import wait_until


async def test_palette_says_how_to_open_in_a_browser(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("ctrl+p", *"open in a browser")
        await wait_until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        top = app.screen.query_one(CommandList).get_option_at_index(0)
        assert "Open in a browser" in str(top.prompt)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.screen.query("Toast")) > 0)
        assert "Run `studyapp serve` in a terminal" in str(app.screen.query_one("Toast").render())


async def test_help_names_the_browser_view(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        console = Console(width=96, file=io.StringIO(), record=True)
        for section in app.screen.query(".help-section").results(Static):
            console.print(section.content)
        lines = [line.split() for line in console.export_text().splitlines() if line.strip()]
        # The last section: its title, then `studyapp serve` and what it does.
        assert lines[-2] == ["In", "a", "web", "browser"]
        assert lines[-1][:6] == ["studyapp", "serve", "Open", "in", "a", "browser:"]
