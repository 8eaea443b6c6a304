"""The flag menu (``f``): Anki's four flags by number, reachable in every terminal and browser
(ctrl+1…4 are not: tmux and xterm.js send some ctrl+digits as escape or NUL)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from studyapp.core.flags import FLAGS
from studyapp.ui.widgets.flag_mark import flag_text


class FlagMenu(ModalScreen[int | None]):
    """Dismisses with the flag picked (1-4, 0 for none), or None on escape.

    ``current``: the card's flag now, marked in the list (picking it again takes it off)."""

    DEFAULT_CSS = """
    FlagMenu { align: center middle; }
    #flag-dialog { width: 34; height: auto; border: thick $primary; background: $surface;
                   padding: 0 1; }
    #flag-title { text-style: bold; padding-bottom: 1; }
    #flag-options { height: auto; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        *(Binding(str(n), f"pick({n})", f"Flag {FLAGS[n]}", show=False) for n in FLAGS),
        Binding("0", "pick(0)", "No flag", show=False),
    ]

    def __init__(self, current: int = 0) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="flag-dialog"):
            yield Label("Flag this card  [dim](1-4, 0, esc)[/dim]", id="flag-title")
            options = []
            for n in (*FLAGS, 0):
                text = Text(f"{n}  ")
                text.append_text(flag_text(n) if n else Text("no flag"))
                if n == self.current and n:
                    text.append("  (set: picking it takes it off)", style="dim")
                options.append(Option(text, id=str(n)))
            yield OptionList(*options, id="flag-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option_id or 0))

    def action_pick(self, flag: int) -> None:
        self.dismiss(flag)

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_flag(screen, current: int, apply: Callable[[int], None]) -> None:
    """Open the flag menu over ``screen`` for a card whose flag is ``current``; a pick calls
    ``apply`` with the flag to toggle: 1-4 as picked, and "no flag" as the current flag (the
    same flag again takes it off)."""

    def chosen(flag: int | None) -> None:
        if flag is not None:
            apply(flag or current)

    screen.app.push_screen(FlagMenu(current), chosen)
