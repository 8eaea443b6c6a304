"""Anki-style review: front, ``space`` (or ``enter``) reveals the back, ``1``–``4`` rate, and once
the answer is shown ``space`` or ``enter`` rate Good.

The screen drives :class:`studyapp.study.session.ReviewSession`, which saves each rating with
``Storage.record_review`` (one committed transaction) *before* it fetches the next card, so
quitting at any moment loses nothing. The screen only shows what the session says: the new /
learning / review counts (the current card's queue underlined, as Anki does), the card, its flag,
and at the end (or on ``escape``) the session summary with when the next card comes.

The footer follows the state: ``check_action`` hides what cannot be done now (no "Show answer"
once the answer is shown), and every change of state calls ``refresh_bindings``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Label, ProgressBar, Static

from studyapp.core.preset_links import preset_name_for_entry
from studyapp.ui.messages import RatingChosen
from studyapp.ui.screens.watch import WATCH, WatchScreen
from studyapp.ui.widgets.card_view import CardView
from studyapp.ui.widgets.flag_mark import FLAG_BINDINGS, flag_text
from studyapp.ui.widgets.math_text import escape_markup
from studyapp.ui.widgets.rating_bar import RATINGS, RatingBar

if TYPE_CHECKING:  # pragma: no cover - typing only (the session is imported on mount)
    from studyapp.storage import CardRow
    from studyapp.study.session import ReviewSession, StudyScope

#: queue -> (colour, label) of the three counts, Anki's colours.
COUNT_STYLES = {
    "new": ("blue", "new"),
    "learning": ("red", "learning"),
    "review": ("green", "review"),
}
POLL_SECONDS = 20  # learning cards come due while the screen is open: look again this often


def _left_now(counts: dict[str, int]) -> str:
    return (
        f"left now: {counts['new']} new · {counts['learning']} learning · {counts['review']} review"
    )


def counts_text(counts: dict[str, int], current: str | None) -> Text:
    """``12 new · 3 learning · 45 review``, each number in its colour, the current card's queue
    underlined and bold."""
    text = Text()
    for i, (queue, (colour, label)) in enumerate(COUNT_STYLES.items()):
        if i:
            text.append(" · ", style="dim")
        style = f"bold underline {colour}" if queue == current else colour
        text.append(str(counts.get(queue, 0)), style=style)
        text.append(f" {label}", style="bold" if queue == current else "dim")
    return text


class ReviewScreen(WatchScreen):
    """One review session: of all decks, of one deck (``scope.topic``), or a custom study set."""

    CSS_PATH = "review.tcss"

    SUB_TITLE = "Review"

    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        # Once the answer is shown, space and enter rate Good (Anki); check_action picks the
        # binding that applies, and the footer shows only that one.
        Binding("space", "good", "Good"),
        Binding("enter", "good", "Good", show=False),
        Binding("enter", "go_on", "Go on studying"),
        Binding("1", "rate(1)", "Again", show=False),  # on the buttons
        Binding("2", "rate(2)", "Hard", show=False),  # on the buttons
        Binding("3", "rate(3)", "Good", show=False),  # on the buttons
        Binding("4", "rate(4)", "Easy", show=False),  # on the buttons
        Binding("u", "undo", "Undo"),
        # Anki keeps these under "More"; here they are in the help (?) and the palette, so that
        # the footer fits 80 columns with "esc Back" and "? Help" still on it
        Binding("s", "suspend", "Suspend", show=False),
        Binding("b", "bury", "Bury", show=False),
        WATCH,  # the card's playground preset, once the answer shows
        *FLAG_BINDINGS,
        Binding("i", "card_info", "Info"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, scope: StudyScope | None = None) -> None:
        """``scope``: what to study (None: all decks)."""
        super().__init__()
        self.scope = scope
        self.session: ReviewSession | None = None
        self.suspended = 0
        self.buried = 0
        self.paused = False  # the summary is shown mid-session (escape); enter goes on

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review-body"):
            with Horizontal(id="review-top"):
                yield Label("", id="review-deck", classes="muted")
                yield Label("", id="review-counts")
            yield ProgressBar(id="review-bar", show_eta=False, show_percentage=False)
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
        from studyapp.study.session import ReviewSession, StudyScope

        self.scope = self.scope or StudyScope()
        if self.scope.title:
            self.sub_title = f"Review · {self.scope.title}"
        elif self.scope.topic:
            from studyapp.core.catalog import topic_title

            self.sub_title = f"Review · {topic_title(self.scope.topic)}"
        try:
            self.session = ReviewSession(storage, clock=self.app.now, scope=self.scope)
        except Exception as exc:
            self._show_summary(f"Cannot start the review: {exc}")
            return
        self._show_current()
        self.set_interval(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        """Counts change as learning cards come due; after the last card, a learning card that
        comes due is shown, as Anki does, instead of making the user leave and come back."""
        if self.session is None or self.paused:
            return
        try:
            if self.card is None:
                if self.session.refresh() is not None:
                    self._show_current()
            else:
                self._update_counts()
        except Exception:
            return

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

    # ---------------------------------------------------------------- the footer follows state
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        showing = self.card is not None and not self.paused
        if action == "reveal":
            return showing and not self.revealed
        if action == "good":
            return showing and self.revealed
        if action == "go_on":
            return self.paused and self.card is not None
        if action in ("rate", "suspend", "bury", "flag_menu", "flag", "card_info"):
            return showing
        return super().check_action(action, parameters)  # "w Watch it"

    # ---------------------------------------------------------------- showing
    def _show_current(self) -> None:
        card = self.card
        if card is None:
            self._show_summary()
            return
        self.paused = False
        self._show_deck_line()
        view = self.query_one(CardView)
        view.show(card.front, card.back, revealed=False)
        view.display = True
        view.focus()  # so up/down/pgup/pgdn scroll a long card
        self.query_one("#review-summary", Static).display = False
        self.query_one("#review-hint", Static).display = True
        self.query_one(RatingBar).display = False
        self._update_counts()
        self.refresh_bindings()

    def _show_deck_line(self) -> None:
        card = self.card
        line = Text(card.deck if card is not None else "")
        if card is not None and card.flag:
            line.append("  ")
            line.append_text(flag_text(card.flag))
        self.query_one("#review-deck", Label).update(line)
        view = self.query_one(CardView)
        for flag in range(1, 5):
            view.set_class(card is not None and card.flag == flag, f"flag-{flag}")

    def _update_counts(self) -> None:
        """The three counts (the current card's queue marked) and the progress bar."""
        from studyapp.study.session import queue_of

        done = len(self.session.history) if self.session is not None else 0
        try:
            counts = self.session.counts() if self.session is not None else {}
        except Exception:
            counts = {}
        current = queue_of(self.card) if self.card is not None and not self.paused else None
        self.query_one("#review-counts", Label).update(counts_text(counts, current))
        left = sum(counts.values())
        self.query_one("#review-bar", ProgressBar).update(total=max(done + left, 1), progress=done)

    def _show_summary(self, note: str = "") -> None:
        self.refresh_bindings()
        self.query_one(CardView).display = False
        self.query_one(RatingBar).display = False
        self.query_one("#review-hint", Static).display = False
        self.query_one("#review-deck", Label).update("")
        lines = []
        if self.session is not None:
            self._update_counts()
            lines += self._summary_lines(self.session)
        if note:
            lines += ["", escape_markup(note)]
        keys = ["u undo the last rating", "escape back to the dashboard"]
        if self.paused:
            keys.insert(0, "enter go on studying")
        lines += ["", f"[dim]{' · '.join(keys)}[/dim]"]
        summary_box = self.query_one("#review-summary", Static)
        summary_box.update("\n".join(lines))
        summary_box.display = True
        self.set_focus(None)
        self.refresh_bindings()

    def _summary_lines(self, session: ReviewSession) -> list[str]:
        summary = session.summary()
        minutes, seconds = divmod(int(summary.seconds), 60)
        accuracy = "—" if summary.accuracy is None else f"{summary.accuracy:.0%}"
        ratings = "  ".join(
            f"{RATINGS[r][0]} {n}" for r, n in sorted(summary.by_rating.items()) if r in RATINGS
        )
        if self.paused:
            title = "[b]Session paused[/b]"
        elif summary.reviewed:
            title = "[b]Session finished[/b]"
        else:
            title = "[b]Nothing to review right now[/b]"
        lines = [
            title,
            "",
            f"cards reviewed   {summary.reviewed}",
            f"time             {minutes}m {seconds:02d}s",
            f"accuracy         {accuracy}  (not Again)",
            f"ratings          {ratings}",
        ]
        if self.suspended or self.buried:
            lines.append(f"suspended {self.suspended} · buried {self.buried}")
        try:
            coming = session.next_due() if not self.paused else _left_now(session.counts())
        except Exception as exc:
            coming = f"next card: unknown ({exc})"
        lines += ["", f"[b]{escape_markup(coming)}[/b]"]
        if not summary.reviewed and not self.paused:
            lines += [
                "",
                "Try a quiz (z) or an exercise (e), or custom study (c) on the dashboard.",
            ]
        return lines

    # ---------------------------------------------------------------- actions
    def action_reveal(self) -> None:
        session = self._session_with_card()
        if session is None or session.revealed:
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
        self.refresh_bindings()  # "w Watch it" when a preset shows this card

    def action_good(self) -> None:
        self.action_rate(3)

    def action_rate(self, rating: int) -> None:
        session = self._session_with_card()
        if session is None or self.paused:
            return
        if not session.revealed:
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
        if self._card_action(lambda session: session.suspend(), "suspend"):
            self.suspended += 1
            self.notify("Card suspended (unsuspend it in Browse with s).", timeout=2)
            self._show_current()

    def action_bury(self) -> None:
        if self._card_action(lambda session: session.bury(), "bury"):
            self.buried += 1
            self.notify("Card buried until tomorrow.", timeout=2)
            self._show_current()

    def _card_action(self, do: Callable[[ReviewSession], object], what: str) -> bool:
        """Do ``do`` to the session while a card is on screen; one line if it fails."""
        session = self._session_with_card()
        if session is None:
            return False
        try:
            do(session)
        except Exception as exc:
            self.notify(f"Could not {what}: {exc}", severity="error", markup=False)
            return False
        return True

    def action_flag(self, flag: int) -> None:
        """Set flag 1-4 on the card on screen; the same flag again takes it off."""
        if not self._card_action(lambda session: session.flag(flag), "flag the card"):
            return
        self._show_deck_line()

    def action_flag_menu(self) -> None:
        from studyapp.ui.screens.flag_menu import ask_flag

        if self.card is not None:
            ask_flag(self, self.card.flag, self.action_flag)

    def action_card_info(self) -> None:
        from studyapp.ui.screens.card_info import CardInfoScreen

        if self.card is not None:
            self.app.push_screen(CardInfoScreen(self.card.key))

    def action_go_on(self) -> None:
        if self.card is not None:
            self._show_current()

    @property
    def preset(self) -> str | None:
        """The playground preset that shows the card on screen, once its answer is shown."""
        card = self.card
        return preset_name_for_entry(card.entry_id) if card is not None and self.revealed else None

    def action_back(self) -> None:
        """Mid-session, escape shows the summary first (a second escape leaves); with nothing
        rated yet, or from the summary, it goes back to the dashboard."""
        session = self._session_with_card()
        if session is not None and not self.paused and session.history:
            self.paused = True
            self._show_summary()
            return
        self.app.pop_screen()
