"""Anki-style review: front, ``space`` reveals the back, ``1``–``4`` rate.

The screen drives :class:`studyapp.study.session.ReviewSession`, which saves each rating with
``Storage.record_review`` (one committed transaction) *before* it fetches the next card, so
quitting at any moment loses nothing.  The screen only shows what the session says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Label, ProgressBar, Static

from studyapp.core.preset_links import preset_name_for_entry
from studyapp.ui.messages import RatingChosen
from studyapp.ui.screens.watch import WATCH, WatchScreen
from studyapp.ui.widgets.card_view import CardView
from studyapp.ui.widgets.math_text import escape_markup
from studyapp.ui.widgets.rating_bar import RATINGS, RatingBar

if TYPE_CHECKING:  # pragma: no cover - typing only (the session is imported on mount)
    from studyapp.storage import CardRow
    from studyapp.study.session import ReviewSession


class ReviewScreen(WatchScreen):
    """One review session over the cards that are due (learning, then reviews, then new)."""

    CSS_PATH = "review.tcss"

    SUB_TITLE = "Review"

    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("1", "rate(1)", "Again", show=False),  # on the buttons
        Binding("2", "rate(2)", "Hard", show=False),  # on the buttons
        Binding("3", "rate(3)", "Good", show=False),  # on the buttons
        Binding("4", "rate(4)", "Easy", show=False),  # on the buttons
        Binding("u", "undo", "Undo"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        WATCH,  # the card's playground preset, once the answer shows
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.session: ReviewSession | None = None
        self.suspended = 0
        self.buried = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review-body"):
            yield Label("", id="review-progress")
            yield ProgressBar(id="review-bar", show_eta=False, show_percentage=False)
            yield Label("", id="review-deck", classes="muted")
            yield CardView(id="review-card")
            yield Static("press [b]space[/b] to show the answer", id="review-hint")
            yield RatingBar(id="rating-bar")
            yield Static("", id="review-summary")
        yield Footer()

    def on_mount(self) -> None:
        storage = self.app.storage
        if storage is None:
            self._show_summary(f"Cannot open the study data: {self.app.load_error}")
            return
        from studyapp.study.session import ReviewSession

        try:
            self.session = ReviewSession(storage, clock=self.app.now)
        except Exception as exc:
            self._show_summary(f"Cannot start the review: {exc}")
            return
        self._show_current()
        # Learning cards come due minutes after they were rated: while the summary is up, look
        # again now and then, as Anki does, instead of making the user leave and come back.
        self.set_interval(20, self._poll_for_due_cards)

    def _poll_for_due_cards(self) -> None:
        if self.session is None or self.card is not None:
            return
        try:
            card = self.session.refresh()
        except Exception:
            return
        if card is not None:
            self._show_current()

    @property
    def card(self) -> CardRow | None:
        """The CardRow on screen (None when the session is over)."""
        return self.session.current if self.session is not None else None

    def _session_with_card(self) -> ReviewSession | None:
        """The session while a card is on screen (what rating, suspending, burying act on)."""
        if self.session is None or self.session.current is None:
            return None
        return self.session

    @property
    def revealed(self) -> bool:
        return bool(self.session is not None and self.session.revealed)

    # ---------------------------------------------------------------- showing
    def _show_current(self) -> None:
        card = self.card
        if card is None:
            self._show_summary()
            return
        self.query_one("#review-deck", Label).update(escape_markup(card.deck))
        view = self.query_one(CardView)
        view.show(card.front, card.back, revealed=False)
        view.display = True
        self.query_one("#review-summary", Static).display = False
        self.query_one("#review-hint", Static).display = True
        self.query_one(RatingBar).display = False
        self._update_progress()
        self.refresh_bindings()

    def _update_progress(self) -> None:
        done = len(self.session.history) if self.session is not None else 0
        try:
            remaining = (
                sum(int(v) for v in self.session.remaining().values()) if self.session else 0
            )
        except Exception:
            remaining = 0
        self.query_one("#review-progress", Label).update(f"done {done} · remaining {remaining}")
        self.query_one("#review-bar", ProgressBar).update(
            total=max(done + remaining, 1), progress=done
        )

    def _show_summary(self, note: str = "") -> None:
        self.refresh_bindings()
        self.query_one(CardView).display = False
        self.query_one(RatingBar).display = False
        self.query_one("#review-hint", Static).display = False
        self.query_one("#review-deck", Label).update("")
        lines = []
        if self.session is not None:
            self._update_progress()
            summary = self.session.summary()
            minutes, seconds = divmod(int(summary.seconds), 60)
            accuracy = "—" if summary.accuracy is None else f"{summary.accuracy:.0%}"
            ratings = "  ".join(
                f"{RATINGS[r][0]} {n}" for r, n in sorted(summary.by_rating.items()) if r in RATINGS
            )
            lines += [
                "[b]Session finished[/b]"
                if summary.reviewed
                else "[b]Nothing to review right now[/b]",
                "",
                f"cards reviewed   {summary.reviewed}",
                f"time             {minutes}m {seconds:02d}s",
                f"accuracy         {accuracy}  (not Again)",
                f"ratings          {ratings}",
            ]
            if self.suspended or self.buried:
                lines.append(f"suspended {self.suspended} · buried {self.buried}")
            if not summary.reviewed:
                lines += ["", "New cards come back tomorrow; try a quiz or an exercise meanwhile."]
        if note:
            lines += ["", escape_markup(note)]
        lines += ["", "[dim]u undo the last rating · escape back to the dashboard[/dim]"]
        summary_box = self.query_one("#review-summary", Static)
        summary_box.update("\n".join(lines))
        summary_box.display = True

    # ---------------------------------------------------------------- actions
    def action_reveal(self) -> None:
        session = self._session_with_card()
        if session is None or self.revealed:
            return
        session.reveal()
        self.query_one(CardView).revealed = True
        self.query_one("#review-hint", Static).display = False
        bar = self.query_one(RatingBar)
        try:
            bar.show_intervals(session.button_labels())
        except Exception as exc:
            self.notify(f"Cannot preview intervals: {exc}", severity="warning", markup=False)
        bar.display = True
        self.query_one("#rate-3").focus()
        self.refresh_bindings()  # "w Watch it" when a preset shows this card

    def action_rate(self, rating: int) -> None:
        session = self._session_with_card()
        if session is None:
            return
        if not self.revealed:
            self.notify("Press space to see the answer first.", timeout=2)
            return
        try:
            session.rate(rating)  # committed before the next card is fetched
        except Exception as exc:
            self.notify(f"Could not save the review: {exc}", severity="error", markup=False)
            return
        self._show_current()

    def on_rating_chosen(self, message: RatingChosen) -> None:
        self.action_rate(message.rating)

    def action_undo(self) -> None:
        if self.session is None or not self.session.history:
            self.notify("Nothing to undo in this session.", timeout=2)
            return
        try:
            self.session.undo()
        except Exception as exc:
            self.notify(f"Could not undo: {exc}", severity="error", markup=False)
            return
        self.notify("Last rating undone.", timeout=2)
        self._show_current()

    def action_suspend(self) -> None:
        session = self._session_with_card()
        if session is None:
            return
        try:
            session.suspend()
        except Exception as exc:
            self.notify(f"Could not suspend: {exc}", severity="error", markup=False)
            return
        self.suspended += 1
        self.notify("Card suspended (unsuspend it in Browse with s).", timeout=2)
        self._show_current()

    def action_bury(self) -> None:
        session = self._session_with_card()
        if session is None:
            return
        try:
            session.bury()
        except Exception as exc:
            self.notify(f"Could not bury: {exc}", severity="error", markup=False)
            return
        self.buried += 1
        self.notify("Card buried until tomorrow.", timeout=2)
        self._show_current()

    @property
    def preset(self) -> str | None:
        """The playground preset that shows the card on screen, once its answer is shown."""
        card = self.card
        return preset_name_for_entry(card.entry_id) if card is not None and self.revealed else None

    def action_back(self) -> None:
        self.app.pop_screen()
