"""A small labelled number on the dashboard (streak, retention, leeches …)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label


class StatTile(Vertical):
    """``value`` over ``label``; ``set_value`` updates the number."""

    def __init__(self, label: str, value: str = "…", **kwargs) -> None:
        super().__init__(**kwargs)
        self._label = label
        self._value = value

    def compose(self) -> ComposeResult:
        yield Label(self._value, classes="tile-value")
        yield Label(self._label, classes="tile-label")

    def set_value(self, value: str) -> None:
        self._value = value
        self.query_one(".tile-value", Label).update(value)

    @property
    def value(self) -> str:
        return self._value
