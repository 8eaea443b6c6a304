"""Custom study (``c`` on the dashboard, as Anki's dialog): each row starts one session.

- extra new cards today (raises today's new-card limit of the deck),
- review ahead (review cards due in the next N days),
- a weak topic, or the cards that teach a weak exercise step (weakest first in the lists).

The dialog dismisses with the :class:`~studyapp.study.session.StudyScope` to study (None when
cancelled); the rules live in :mod:`studyapp.study.custom`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from studyapp.ui.screens.base import StudyModalScreen

#: row id -> (label, field id); the field holds the row's number or choice.
ROWS = {
    "extra": ("Extra new cards today", "extra-count"),
    "ahead": ("Review ahead (days)", "ahead-days"),
    "topic": ("A weak topic", "topic-choice"),
    "step": ("A weak exercise step", "step-choice"),
}
NUMBERS = {"extra-count": ("10", 1, 1000), "ahead-days": ("3", 1, 365)}


class CustomStudyScreen(StudyModalScreen):
    """The custom study dialog for deck ``topic`` (None: all decks)."""

    DEFAULT_CSS = """
    CustomStudyScreen { align: center middle; }
    #custom-dialog { width: 90; max-width: 98%; height: auto; border: thick $primary;
                     background: $surface; padding: 0 1; }
    #custom-title { text-style: bold; width: 100%; padding-bottom: 1; }
    #custom-rows { grid-size: 3; grid-columns: 24 1fr 9; grid-rows: 3; height: auto;
                   grid-gutter: 0 1; }
    #custom-rows Label { height: 3; content-align: left middle; }
    #custom-rows Button { min-width: 9; width: 9; }
    #custom-hint { color: $text-muted; padding-top: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, topic: str | None = None) -> None:
        super().__init__()
        self.topic = topic

    def compose(self) -> ComposeResult:
        from studyapp.study.custom import deck_title, weak_steps, weak_topics

        storage = self.app.storage
        topics = weak_topics(storage) if storage is not None else []
        steps = weak_steps(storage) if storage is not None else []
        with Vertical(id="custom-dialog"):
            yield Label(f"Custom study · {deck_title(self.topic)}", id="custom-title")
            with Grid(id="custom-rows"):
                for row, (label, field) in ROWS.items():
                    yield Label(label)
                    if field in NUMBERS:
                        yield Input(NUMBERS[field][0], id=field, type="integer")
                    else:
                        choices = topics if row == "topic" else steps
                        yield Select(
                            [(w.label, w.key) for w in choices],
                            id=field,
                            allow_blank=not choices,
                            value=choices[0].key if choices else Select.BLANK,
                        )
                    yield Button("Start", id=f"start-{row}")
            yield Static(
                "Weakest first, from your quiz and exercise answers. enter starts the row you are "
                "on · tab moves · escape cancels",
                id="custom-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#extra-count", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        row = next(r for r, (_label, field) in ROWS.items() if field == event.input.id)
        self.start(row)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("start-"):
            self.start(event.button.id.removeprefix("start-"))

    def _number(self, field: str) -> int | None:
        """The whole number typed in ``field``, or None (with a one-line notice) if it is not
        one within its bounds."""
        _default, low, high = NUMBERS[field]
        text = self.query_one(f"#{field}", Input).value.strip()
        if not text.isdigit() or not low <= int(text) <= high:
            self.notify(f"Type a whole number from {low} to {high}.", severity="warning")
            return None
        return int(text)

    def start(self, row: str) -> None:
        """Build the session of ``row`` and close with it; an empty one says why and stays."""
        from studyapp.study import custom

        storage, now = self.app.storage, self.app.now()
        if storage is None:
            self.notify(f"Cannot open the study data: {self.app.load_error}", severity="error")
            return
        if row in ("extra", "ahead"):
            number = self._number(ROWS[row][1])
            if number is None:
                return
            if row == "extra":
                scope = custom.extra_new(storage, now, self.topic, number)
            else:
                scope = custom.review_ahead(storage, now, number, self.topic)
        else:
            choice = self.query_one(f"#{ROWS[row][1]}", Select).value
            if choice is Select.BLANK:
                return
            build = custom.weak_topic if row == "topic" else custom.weak_step
            scope = build(storage, now, str(choice))
        if scope.keys == ():
            self.notify(f"No cards for {scope.title}.", severity="warning", markup=False)
            return
        self.dismiss(scope)

    def action_cancel(self) -> None:
        self.dismiss(None)
