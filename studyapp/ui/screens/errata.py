"""The corrections to the course notes: a list of errata by title and the details of the selected one
(its kind, where in the notes, what they say, what is correct and why)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from studyapp.core.content import ERRATUM_KINDS
from studyapp.ui.screens.base import StudyScreen
from studyapp.ui.widgets.math_text import escape_markup, readable


class ErrataScreen(StudyScreen):
    """``Content.errata`` listed by title; the selected one shows its kind (error, ambiguous
    notation, …), where in the notes, what they say, what is right and why."""

    CSS_PATH = "errata.tcss"

    SUB_TITLE = "Errata"

    BINDINGS = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="errata-body"):
            yield OptionList(id="errata-list")
            with VerticalScroll(id="errata-details"):
                yield Static("", id="errata-text")
        yield Footer()

    def on_mount(self) -> None:
        content = self.app.content
        errata = list(getattr(content, "errata", []) or [])
        self.errata = errata
        options = self.query_one("#errata-list", OptionList)
        for i, err in enumerate(errata):
            options.add_option(Option(escape_markup(readable(err.title)), id=str(i)))
        if errata:
            options.highlighted = 0
            self.show(0)
        else:
            reason = self.app.load_error or "The notes have no recorded errata."
            self.query_one("#errata-text", Static).update(escape_markup(reason))
        options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id is not None:
            self.show(int(event.option_id))

    def show(self, index: int) -> None:
        err = self.errata[index]
        text = (
            f"[b]{escape_markup(readable(err.title))}[/b]\n"
            f"[i]{escape_markup(err.kind)}: {escape_markup(ERRATUM_KINDS[err.kind])}[/i]\n"
            f"{escape_markup(readable(err.location))}\n\n"
            f"[b]The notes say[/b]\n{escape_markup(readable(err.says))}\n\n"
            f"[b]Correct[/b]\n{escape_markup(readable(err.correct))}\n\n"
            f"[b]Why[/b]\n{escape_markup(readable(err.why))}"
        )
        self.query_one("#errata-text", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()
