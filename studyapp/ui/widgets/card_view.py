"""A flashcard face: the front, and after reveal the back, rendered as readable unicode."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Rule, Static

from studyapp.ui.widgets.math_text import escape_markup, readable


class CardView(VerticalScroll):
    """Shows ``front`` always and ``back`` once ``revealed`` is True.

    Text is passed through :func:`readable` (LaTeX → unicode) and escaped, so neither LaTeX
    nor Rich markup can leak into what the user sees.
    """

    revealed: reactive[bool] = reactive(False)

    def __init__(self, front: str = "", back: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._front = front
        self._back = back

    def compose(self) -> ComposeResult:
        yield Static(id="card-front", classes="card-face")
        yield Rule(id="card-rule", line_style="dashed")
        yield Static(id="card-back", classes="card-face")

    def on_mount(self) -> None:
        self._render_faces()

    def show(self, front: str, back: str, revealed: bool = False) -> None:
        """Display a new card (front only unless ``revealed``)."""
        self._front, self._back = front, back
        self.revealed = revealed
        self._render_faces()
        self.scroll_home(animate=False)

    def watch_revealed(self, _revealed: bool) -> None:
        self._render_faces()

    def _render_faces(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#card-front", Static).update(escape_markup(readable(self._front)))
        back = self.query_one("#card-back", Static)
        back.update(escape_markup(readable(self._back)))
        back.display = self.revealed
        self.query_one("#card-rule", Rule).display = self.revealed
