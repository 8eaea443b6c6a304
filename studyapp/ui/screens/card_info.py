"""Card info (``i``, as in Anki): the card's memory state (stability, difficulty, retrievability
now), when it is due, and every review it had."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from studyapp.core.display import shorten
from studyapp.ui.screens.base import StudyModalScreen
from studyapp.ui.widgets.flag_mark import flag_text
from studyapp.ui.widgets.math_text import readable

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def _date(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def _figures(info) -> Table:
    """Two columns of name / value: the card's state now."""
    from studyapp.core.display import interval_text

    card = info.card
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    reviewed = [h["reviewed_at"] for h in info.history]
    if card.reps:
        due = card.due - info.now
        when = f"in {interval_text(due)}" if due.total_seconds() > 0 else "now"
        due_text = f"{_date(card.due)}  ({when})"
    else:
        due_text = "new card: not studied yet"
    rows = [
        ("Deck", Text(card.deck)),
        ("State", Text(card.state.name.lower() + (" · suspended" if card.suspended else ""))),
        ("Due", Text(due_text)),
        ("Added", Text(_date(card.created))),
        ("First review", Text(_date(reviewed[0] if reviewed else None))),
        ("Latest review", Text(_date(reviewed[-1] if reviewed else None))),
    ]
    if card.stability is not None:
        rows += [
            ("Stability", Text(f"{interval_text(card.stability)} (FSRS: days to fall to 90 %)")),
            ("Difficulty", Text(f"{card.difficulty:.1f} of 10")),
        ]
    if info.retrievability is not None:
        rows.append(("Retrievability", Text(f"{info.retrievability:.0%} chance of recall now")))
    average = info.total_seconds / len(info.history) if info.history else 0.0
    rows += [
        ("Reviews", Text(f"{card.reps} · lapses {card.lapses}")),
        ("Time", Text(f"{info.total_seconds:.0f} s in all, {average:.0f} s a review")),
    ]
    if card.flag:
        rows.append(("Flag", flag_text(card.flag)))
    for name, value in rows:
        table.add_row(name, value)
    return table


def _history(info) -> Table | Text:
    """One row per review, oldest first: when, rating, the interval it gave, S and D after."""
    from studyapp.core.display import interval_text

    if not info.history:
        return Text("No reviews yet.", style="dim")
    table = Table(box=None, padding=(0, 1), header_style="bold")
    for name in ("Date", "Rating", "Interval", "Stability", "Difficulty", "Time"):
        table.add_column(name, no_wrap=True)
    for h in info.history:
        stability = h.get("stability")
        difficulty = h.get("difficulty")
        table.add_row(
            _date(h["reviewed_at"]),
            RATING_NAMES.get(h["rating"], str(h["rating"])),
            interval_text(h["interval_days"]),
            "—" if stability is None else interval_text(stability),
            "—" if difficulty is None else f"{difficulty:.1f}",
            "—" if h["duration_s"] is None else f"{h['duration_s']:.0f} s",
        )
    return table


class CardInfoScreen(StudyModalScreen):
    """The card info of card ``key``; escape or ``i`` closes it."""

    DEFAULT_CSS = """
    CardInfoScreen { align: center middle; }
    #info-dialog { width: 84; max-width: 96%; height: auto; max-height: 90%;
                   border: thick $primary; background: $surface; padding: 0 1; }
    #info-title { text-style: bold; padding-bottom: 1; width: 100%; }
    #info-scroll { height: auto; max-height: 100%; }
    .info-section { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("i", "close", "Close", show=False),
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        from studyapp.study.card_info import card_info

        with Vertical(id="info-dialog"):
            storage = self.app.storage
            try:
                if storage is None:
                    raise RuntimeError(f"cannot open the study data: {self.app.load_error}")
                info = card_info(storage, self.key, self.app.now())
            except Exception as exc:
                yield Label(Text(f"Card info unavailable: {exc}"), id="info-title")
                return
            title = Text("Card info  ", style="bold")
            title.append(shorten(readable(info.card.front), 60), style="")
            yield Label(title, id="info-title")
            with VerticalScroll(id="info-scroll"):
                yield Static(_figures(info), classes="info-section", id="info-figures")
                yield Static(_history(info), classes="info-section", id="info-history")

    def action_close(self) -> None:
        self.dismiss()
