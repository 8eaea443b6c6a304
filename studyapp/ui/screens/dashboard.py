"""The first screen: decks with due/new counts, streak, retention, leeches and the way out to
every other screen."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, Static

from studyapp.ui.widgets.deck_table import DeckTable
from studyapp.ui.widgets.stat_tile import StatTile

#: button id -> (label, place); the place is what StudyApp.action_open understands.
MENU = [
    ("review", "Review", "r"),
    ("quiz", "Quiz", "z"),
    ("exercises", "Exercises", "e"),
    ("browse", "Browse", "b"),
    ("stats", "Stats", "s"),
    ("errata", "Errata", "x"),
    ("settings", "Settings", ","),
]


class DashboardScreen(Screen):
    """Due and new cards per topic deck, streak, 30-day retention, leeches and the menu."""

    BINDINGS = [
        Binding("r", "app.open('review')", "Review"),
        Binding("z", "app.open('quiz')", "Quiz"),
        Binding("e", "app.open('exercises')", "Exercises"),
        Binding("b", "app.open('browse')", "Browse"),
        Binding("s", "app.open('stats')", "Stats"),
        Binding("x", "app.open('errata')", "Errata"),
        Binding("comma", "app.open('settings')", "Settings", key_display=","),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dash-body"):
            with Vertical(id="dash-decks"):
                yield Label("Decks", classes="section-title")
                yield DeckTable(id="deck-table")
                yield Static("", id="dash-message")
            with Vertical(id="dash-side"):
                with Grid(id="dash-tiles"):
                    yield StatTile("due today", id="tile-due")
                    yield StatTile("day streak", id="tile-streak")
                    yield StatTile("retention 30d", id="tile-retention")
                    yield StatTile("leeches", id="tile-leeches")
                with Grid(id="dash-menu"):
                    for place, label, key in MENU:
                        yield Button(f"{label} [dim]{key}[/dim]", id=f"go-{place}",
                                     variant="primary" if place == "review" else "default")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload the counts (fast, on the UI thread) and the statistics (in a worker)."""
        app = self.app
        storage = app.storage
        message = self.query_one("#dash-message", Static)
        if storage is None:
            message.update(f"[b]Cannot open the study data:[/b] {app.load_error}")
            return
        try:
            counts = storage.counts(app.now())
        except Exception as exc:
            message.update(f"[b]Cannot read the cards:[/b] {exc}")
            return
        # The daily limits are global, so the overall figures come from totals(), not a sum.
        totals = storage.totals(app.now())
        due = int(totals.get("due", 0)) + int(totals.get("learning", 0))
        new = int(totals.get("new", 0))
        self.query_one(DeckTable).show_counts(counts, totals)
        self.query_one("#tile-due", StatTile).set_value(str(due))
        if due + new == 0:
            message.update("Nothing due now. Try a quiz (z) or an exercise (e).")
        else:
            message.update(f"{due} to review and {new} new: press [b]r[/b] to start.")
        self.load_stats()

    @work(thread=True, exclusive=True, group="dashboard-stats")
    def load_stats(self) -> None:
        """compute_stats reads the whole review log, so it runs off the UI thread (Storage is
        thread-safe: one connection behind a lock)."""
        try:
            from studyapp.core.stats import compute_stats

            stats = compute_stats(self.app.storage, self.app.now())
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Statistics unavailable: {exc}", severity="warning")
            return
        self.app.call_from_thread(self._show_stats, stats)

    def _show_stats(self, stats: dict) -> None:
        streak = int(stats.get("streak_days") or 0)
        self.query_one("#tile-streak", StatTile).set_value(str(streak))
        retention = stats.get("retention_30d")
        self.query_one("#tile-retention", StatTile).set_value("—" if retention is None else f"{retention:.0%}")
        leeches = stats.get("leeches") or []
        count = leeches if isinstance(leeches, int) else len(leeches)
        self.query_one("#tile-leeches", StatTile).set_value(str(count))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("go-"):
            self.app.action_open(event.button.id.removeprefix("go-"))
