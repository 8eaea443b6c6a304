"""Numbered answer choices for multiple-choice and true/false questions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button

from studyapp.ui.messages import ChoiceChosen
from studyapp.ui.widgets.math_text import readable


class ChoiceList(Vertical):
    """One button per choice, labelled ``1 …``, ``2 …``; posts :class:`ChoiceChosen`.

    The screen binds the number keys; clicking a button does the same thing.
    """

    def __init__(self, choices: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        for i, choice in enumerate(self.choices):
            label = Content(f"{i + 1}  {readable(choice)}")  # plain Content: "[0, 1)" is not markup
            yield Button(label, id=f"choice-{i}", classes="choice", compact=True)

    def mark(self, chosen: int, correct: int | None) -> None:
        """Colour the chosen and the correct choice once the answer is graded."""
        for i, button in enumerate(self.query(Button)):
            button.disabled = True
            button.set_class(i == correct, "correct")
            button.set_class(i == chosen and i != correct, "wrong")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("choice-"):
            self.post_message(ChoiceChosen(int(event.button.id.removeprefix("choice-"))))
