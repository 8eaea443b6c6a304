"""The first screen: decks with due/new counts, streak, retention, leeches and the way out to
every other screen. Enter on a deck reviews that deck, ``b`` browses it, ``c`` opens custom
study for it ("All decks", the last row, means every deck)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from studyapp.ui.screens.base import StudyScreen
from studyapp.ui.widgets.deck_table import DeckTable
from studyapp.ui.widgets.math_text import escape_markup
from studyapp.ui.widgets.stat_tile import StatTile

#: (place, label, key); the place is what StudyApp.action_open understands.
MENU = [
    ("review", "Review due cards", "r"),
    ("custom", "Custom study", "c"),
    ("quiz", "Quiz (10 questions)", "z"),
    ("exercises", "Backprop exercises", "e"),
    ("playground", "Playground", "p"),
    ("browse", "Browse cards", "b"),
    ("stats", "Statistics", "s"),
    ("errata", "Errata of the notes", "x"),
    ("settings", "Settings", ","),
]


class DashboardScreen(StudyScreen):
    """Due and new cards per topic deck, streak, 30-day retention, leeches and the menu."""

    _filled = False  # the counts have been shown once

    BINDINGS = [
        Binding("r", "app.open('review')", "Review"),
        Binding("enter", "review_deck", "Review deck", show=False),
        Binding("z", "app.open('quiz')", "Quiz"),
        Binding("e", "app.open('exercises')", "Exercises"),
        # Shown on the menu buttons; left out of the footer so it fits 80 columns.
        Binding("b", "browse_deck", "Browse deck", show=False),
        Binding("c", "custom_study", "Custom study", show=False),
        Binding("s", "app.open('stats')", "Stats", show=False),
        Binding("x", "app.open('errata')", "Errata", show=False),
        Binding("comma", "app.open('settings')", "Settings", key_display=",", show=False),
        Binding("l", "app.open('browse:is:leech')", "Leeches", show=False),
        Binding("p", "app.open('playground')", "Playground", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dash-body"):
            with Vertical(id="dash-decks"):
                yield Label("Decks · Deep Learning", classes="section-title")
                yield DeckTable(id="deck-table")
                yield Static("", id="dash-message")
                yield Static("", id="dash-weak")
            with Vertical(id="dash-side"):
                with Grid(id="dash-tiles"):
                    yield StatTile("reviews due", id="tile-due")
                    yield StatTile("day streak", id="tile-streak")
                    yield StatTile("retention 30d", id="tile-retention")
                    yield StatTile("leeches (l)", id="tile-leeches")
                # One OptionList rather than seven Buttons: the dashboard is the first screen
                # and every widget costs start-up time.
                yield OptionList(
                    *(Option(f"[b]{key}[/b]  {label}", id=place) for place, label, key in MENU),
                    id="dash-menu",
                )
        yield Footer()

    def on_mount(self) -> None:
        # A warm start opens the database at once, so the first frame has the real counts.
        if self.app.storage_ready or self.app.open_if_synced():
            self.refresh_data()
        else:
            # The app opens the database after the first frame and then calls study_data_loaded.
            self.query_one("#dash-message", Static).update("Loading your cards…")

    def study_data_loaded(self) -> None:
        if not self._filled:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        """Back from another screen: the counts may have changed."""
        if self._filled:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Reload the counts (fast, on the UI thread) and the statistics (in a worker)."""
        app = self.app
        storage = app.storage
        message = self.query_one("#dash-message", Static)
        if storage is None:
            reason = app.load_error or "unknown error"
            message.update(f"[b]Cannot open the study data:[/b] {escape_markup(reason)}")
            return
        try:
            counts = storage.counts(app.now())
        except Exception as exc:
            message.update(f"[b]Cannot read the cards:[/b] {escape_markup(str(exc))}")
            return
        # The daily limits are global, so the overall figures come from totals(), not a sum.
        totals = storage.totals(app.now())
        due = int(totals.get("due", 0)) + int(totals.get("learning", 0))
        new = int(totals.get("new", 0))
        self.query_one(DeckTable).show_counts(counts, totals)
        self._filled = True
        self.query_one("#tile-due", StatTile).set_value(str(due))
        if due + new == 0:
            message.update("Nothing due now. Try a quiz (z) or an exercise (e).")
        else:
            message.update(
                f"{due} to review and {new} new: [b]r[/b] studies all decks, [b]enter[/b] the"
                " highlighted one, [b]c[/b] custom study."
            )
        # After the frame with the counts is on screen: the statistics thread would otherwise
        # compete with the first frame for the interpreter.
        self.call_after_refresh(self.load_stats)

    class StatsLoaded(Message):
        """The statistics computed by :meth:`load_stats` (``compute_stats``' dict)."""

        def __init__(self, stats: dict) -> None:
            super().__init__()
            self.stats = stats

    @work(thread=True, exclusive=True, group="dashboard-stats")
    def load_stats(self) -> None:
        """compute_stats reads the whole review log, so it runs off the UI thread (Storage is
        thread-safe: one connection behind a lock). The result comes back as a message to this
        screen, not a call: a screen already closing (the app quitting, a test ending while the
        worker still runs) drops it instead of querying tiles that are being removed."""
        try:
            from studyapp.study.stats import compute_stats

            storage = self.app.storage
            if storage is None:  # refresh_data has already said why
                return
            stats = compute_stats(storage, self.app.now())
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, f"Statistics unavailable: {exc}", severity="warning", markup=False
            )
            return
        self.post_message(self.StatsLoaded(stats))

    def on_dashboard_screen_stats_loaded(self, message: StatsLoaded) -> None:
        self._show_stats(message.stats)

    def _show_stats(self, stats: dict) -> None:
        streak = int(stats.get("streak_days") or 0)
        self.query_one("#tile-streak", StatTile).set_value(str(streak))
        retention = stats.get("retention_30d")
        self.query_one("#tile-retention", StatTile).set_value(
            "—" if retention is None else f"{retention:.0%}"
        )
        leeches = stats.get("leeches") or []
        count = leeches if isinstance(leeches, int) else len(leeches)
        self.query_one("#tile-leeches", StatTile).set_value(str(count))
        from studyapp.core.steps import weakest_step

        weak = weakest_step(stats.get("accuracy_by_step") or {})
        line = self.query_one("#dash-weak", Static)
        line.display = bool(weak)
        line.update(escape_markup(f"{weak}: practise it with an exercise (e).") if weak else "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a deck reviews that deck; on "All decks", every deck."""
        self.action_review_deck()

    def action_review_deck(self) -> None:
        self.app.open_review(self.query_one(DeckTable).selected_topic)

    def action_browse_deck(self) -> None:
        """Browse the highlighted deck's cards (``topic:NAME``), or every card."""
        topic = self.query_one(DeckTable).selected_topic
        self.app.action_open(f"browse:topic:{topic}" if topic else "browse")

    def action_custom_study(self) -> None:
        self.app.open_custom_study(self.query_one(DeckTable).selected_topic)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id == "custom":
            self.action_custom_study()
        elif event.option_id:
            self.app.action_open(event.option_id)
