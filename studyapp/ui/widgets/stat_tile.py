"""A small labelled number on the dashboard (streak, retention, leeches …)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatTile(Static):
    """``value`` (bold) over ``label`` (dim), centred; ``set_value`` updates the number.

    One widget rather than a container of labels: the dashboard is the first screen, and every
    widget costs start-up time.
    """

    def __init__(self, label: str, value: str = "…", **kwargs) -> None:
        super().__init__(**kwargs)
        self._label = label
        self._value = value
        self._show()

    def set_value(self, value: str) -> None:
        self._value = value
        self._show()

    @property
    def value(self) -> str:
        return self._value

    def _show(self) -> None:
        text = Text(justify="center")
        text.append(self._value, style="bold")
        text.append("\n")
        text.append(self._label, style="dim")
        self.update(text)
