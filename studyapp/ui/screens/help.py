"""Help: every key binding of every screen, taken from the screens' own BINDINGS."""

from __future__ import annotations

import importlib

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

#: (title, module, class) of every screen the help lists, in the order shown.
SCREENS = [
    ("Dashboard", "studyapp.ui.screens.dashboard", "DashboardScreen"),
    ("Review", "studyapp.ui.screens.review", "ReviewScreen"),
    ("Quiz", "studyapp.ui.screens.quiz", "QuizScreen"),
    ("Exercises", "studyapp.ui.screens.exercise", "ExerciseScreen"),
    ("Browse", "studyapp.ui.screens.browse", "BrowseScreen"),
    ("Statistics", "studyapp.ui.screens.stats", "StatsScreen"),
    ("Errata", "studyapp.ui.screens.errata", "ErrataScreen"),
    ("Settings", "studyapp.ui.screens.settings", "SettingsScreen"),
    ("Export (from the command palette)", "studyapp.ui.screens.export", "ExportScreen"),
    ("Playground", "studyapp.ui.screens.playground", "PlaygroundScreen"),
]

GLOBAL = [
    ("?", "Help (this screen)"),
    ("ctrl+p", "Command palette: every screen and action"),
    ("ctrl+q", "Quit"),
]

#: How to reach the browser view: the help's last section, and the palette's "Open in a browser".
BROWSER_VIEW = (
    "studyapp serve",
    "Open in a browser: run it in a terminal, then open the URL it prints",
)
BROWSER_HINT = "Run `studyapp serve` in a terminal, then open the URL it prints"


def key_label(binding: Binding) -> str:
    """How a binding's key is written for people (``space``, ``?``, ``1``)."""
    if binding.key_display:
        return binding.key_display
    names = {"question_mark": "?", "comma": ",", "slash": "/", "space": "space", "escape": "escape"}
    return ", ".join(names.get(k, k) for k in binding.key.split(","))


def bindings_of(cls) -> list[tuple[str, str]]:
    """(key, description) for every described binding of a screen class (hidden ones too)."""
    rows = []
    for item in getattr(cls, "BINDINGS", []):
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding.description:
            rows.append((key_label(binding), binding.description))
    return rows


def help_sections(current: type | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """(screen title, bindings) for each screen, the current screen first.

    A screen that cannot be imported (e.g. not written yet) is skipped.
    """
    sections = [("Everywhere", GLOBAL)]
    for title, module, name in SCREENS:
        try:
            cls = getattr(importlib.import_module(module), name)
        except Exception:
            continue
        entry = (title, bindings_of(cls))
        if current is not None and cls is current:
            sections.insert(0, entry)
        else:
            sections.append(entry)
    sections.append(("In a web browser", [BROWSER_VIEW]))
    return sections


class HelpScreen(ModalScreen):
    """A scrollable list of key bindings; ``escape``, ``q`` or ``?`` closes it."""

    CSS_PATH = "help.tcss"

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close", show=False),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def __init__(self, current: type | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Label("Keys  [dim](escape closes)[/dim]", id="help-title")
            with VerticalScroll(id="help-scroll"):
                for title, rows in help_sections(self.current):
                    table = Table(
                        title=title,
                        title_justify="left",
                        show_header=False,
                        box=None,
                        title_style="bold",
                        padding=(0, 1),
                    )
                    table.add_column("key", style="bold", min_width=8, no_wrap=True)
                    table.add_column("does", ratio=1)
                    for key, text in rows:
                        table.add_row(key, text)
                    yield Static(table, classes="help-section")
