"""The four Anki-style answer buttons, each showing the interval that rating would give."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from studyapp.ui.messages import RatingChosen

#: rating value -> (label, CSS class)
RATINGS: dict[int, tuple[str, str]] = {
    1: ("Again", "again"),
    2: ("Hard", "hard"),
    3: ("Good", "good"),
    4: ("Easy", "easy"),
}


def format_interval(delta: timedelta | None) -> str:
    """A short human interval like Anki's (``10m``, ``4d``, ``2.5mo``); ``?`` when unknown."""
    from studyapp.core.scheduling import format_interval as short

    return "?" if delta is None else short(delta)


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy buttons; posts :class:`RatingChosen` when one is pressed.

    ``intervals`` maps a rating (1–4, or an IntEnum with those values) to the timedelta the
    scheduler would give; the screen sets it for each card before showing the bar.
    """

    def compose(self) -> ComposeResult:
        for value, (label, css) in RATINGS.items():
            button = Button(f"{value} {label}", id=f"rate-{value}", classes=f"rating {css}")
            # Not focusable: the keys (space, enter, 1-4) belong to the screen, and focus stays
            # on the card so a long one scrolls with the arrow keys.
            button.can_focus = False
            yield button

    def show_intervals(self, intervals: dict) -> None:
        """Write each rating's next interval on its button (``3 Good · 4d``).

        ``intervals`` maps rating -> timedelta or an already formatted string ("10m")."""
        by_value = {int(k): v for k, v in (intervals or {}).items()}
        for value, (label, _css) in RATINGS.items():
            button = self.query_one(f"#rate-{value}", Button)
            interval = by_value.get(value)
            if interval is None:
                button.label = f"{value} {label}"
                continue
            shown = interval if isinstance(interval, str) else format_interval(interval)
            button.label = f"{value} {label} · {shown}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(RatingChosen(int(event.button.id.removeprefix("rate-"))))
