"""How a card's flag looks (a coloured ``⚑ red``: review line, browse, card info), and the keys
that set it on every screen that shows cards."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from studyapp.core.flags import FLAGS

#: flag -> Rich colour, close to Anki's flag colours on dark and light backgrounds.
FLAG_COLOURS: dict[int, str] = {1: "#e5534b", 2: "#f0883e", 3: "#57ab5a", 4: "#539bf5"}
FLAG_SIGN = "⚑"


def flag_text(flag: int, with_name: bool = True) -> Text:
    """``⚑ red`` in red (``⚑`` alone without the name); empty for no flag."""
    if flag not in FLAGS:
        return Text("")
    label = f"{FLAG_SIGN} {FLAGS[flag]}" if with_name else FLAG_SIGN
    return Text(label, style=f"bold {FLAG_COLOURS[flag]}")


#: Anki's ctrl+1..4 flags; many terminals (and tmux, xterm.js) cannot send ctrl+digit, so ``f``
#: opens a small menu (:class:`~studyapp.ui.screens.flag_menu.FlagMenu`) that reaches the same
#: flags everywhere. A screen with these bindings has ``action_flag(n)`` and
#: ``action_flag_menu()``.
FLAG_BINDINGS = [
    Binding("f", "flag_menu", "Flag"),
    *(Binding(f"ctrl+{n}", f"flag({n})", f"Flag {name}", show=False) for n, name in FLAGS.items()),
]
