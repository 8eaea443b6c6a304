"""Numbered answer choices for multiple-choice and true/false questions."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from studyapp.ui.messages import ChoiceChosen
from studyapp.ui.widgets.math_text import readable


def _label(number: int, text: str, mark: str = " ", style: str = "") -> Table:
    """``✔ 2  text`` with a hanging indent when the text wraps; plain Rich Text (never markup:
    choices may contain ``[0, 1)``)."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(f"{mark} {number}", style="bold"), Text(readable(text), style=style))
    return grid


class ChoiceList(OptionList):
    """One option per choice, numbered ``1 …``, ``2 …``; long choices wrap.

    Enter or a click on a choice posts :class:`ChoiceChosen`; the screen binds the number keys
    to the same thing. :meth:`mark` shows the verdict and locks the list.
    """

    def __init__(self, choices: list[str], **kwargs) -> None:
        self.choices = list(choices)
        super().__init__(
            *(Option(_label(i + 1, c), id=str(i)) for i, c in enumerate(self.choices)), **kwargs
        )
        self.answered = False

    def mark(self, chosen: int, correct: int | None) -> None:
        """Tick the correct choice, cross the wrong pick, and stop taking answers."""
        self.answered = True
        self.clear_options()
        for i, choice in enumerate(self.choices):
            if i == correct:
                label = _label(i + 1, choice, "✔", "bold green")
            elif i == chosen:
                label = _label(i + 1, choice, "✘", "red strike")
            else:
                label = _label(i + 1, choice, " ", "dim")
            self.add_option(Option(label, id=str(i)))
        self.highlighted = None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.answered and event.option_id is not None:
            self.post_message(ChoiceChosen(int(event.option_id)))
