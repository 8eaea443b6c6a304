"""Settings: desired retention, daily limits, maximum interval and theme, saved via Storage; and
the FSRS parameters, fitted to the learner's reviews by "Optimize parameters"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from studyapp.ui.screens.base import StudyScreen
from studyapp.ui.widgets.math_text import escape_markup

#: field -> (label, type, lower bound, upper bound, help)
FIELDS: dict[str, tuple[str, type, float, float, str]] = {
    "desired_retention": (
        "Desired retention",
        float,
        0.70,
        0.99,
        "share of reviews you want to recall (0.70–0.99); higher means more reviews",
    ),
    "new_per_day": ("New cards per day", int, 0, 9999, "new cards introduced each day"),
    "reviews_per_day": ("Reviews per day", int, 0, 99999, "most reviews shown each day"),
    "maximum_interval": ("Maximum interval (days)", int, 1, 36500, "longest gap between reviews"),
}

THEME_CHOICES = [("Dark", "dark"), ("Light", "light")]


def parse_settings(raw: dict[str, str]) -> dict[str, float | int]:
    """Validate the typed values; raises ValueError with one line naming the bad field."""
    out: dict[str, float | int] = {}
    for name, text in raw.items():
        label, kind, low, high, _help = FIELDS[name]
        try:
            value = kind(text.strip())
        except ValueError:
            raise ValueError(
                f"{label}: {text.strip() or 'nothing'} is not a {'whole ' if kind is int else ''}number"
            ) from None
        if not low <= value <= high:
            raise ValueError(f"{label} must be between {low:g} and {high:g}")
        out[name] = value
    return out


class SettingsScreen(StudyScreen):
    """A small form; ``ctrl+s`` or the Save button validates and writes it."""

    CSS_PATH = "settings.tcss"

    SUB_TITLE = "Settings"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "optimize", "Optimize parameters"),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings-body"):
            with Grid(id="settings-form"):
                for name, (label, _kind, _low, _high, help_text) in FIELDS.items():
                    yield Label(label, classes="field-label")
                    yield Input(id=f"set-{name}", classes="field-input", tooltip=help_text)
                    yield Label(help_text, classes="field-help")
                yield Label("Theme", classes="field-label")
                yield Select(THEME_CHOICES, id="set-theme", allow_blank=False, value="dark")
                yield Label("colours of the whole app", classes="field-help")
            with Horizontal(id="settings-fsrs"):
                yield Button("Optimize parameters", id="settings-optimize")
                yield Static("", id="settings-fsrs-status")
            yield Static("", id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="settings-save", variant="primary")
                yield Button("Cancel", id="settings-cancel")
        yield Footer()

    def on_mount(self) -> None:
        settings = self.app.settings()
        for name in FIELDS:
            value = settings.get(name)
            self.query_one(f"#set-{name}", Input).value = (
                "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
            )
        theme = settings.get("theme") or ("light" if "light" in self.app.theme else "dark")
        select = self.query_one("#set-theme", Select)
        if theme not in dict((v, k) for k, v in THEME_CHOICES):
            select.set_options(THEME_CHOICES + [(theme, theme)])
        select.value = theme
        self._show_parameters()
        self.query_one(f"#set-{next(iter(FIELDS))}", Input).focus()

    def _show_parameters(self) -> None:
        fitted = self.app.settings().get("fsrs_parameters") is not None
        self.query_one("#settings-fsrs-status", Static).update(
            "FSRS parameters: "
            + ("fitted to your reviews." if fitted else "FSRS-6's defaults.")
            + " Optimizing fits them to your review history and applies them only if they"
            " predict your later reviews better."
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "set-theme" and event.value is not Select.NULL:
            self.app.apply_theme(str(event.value))  # preview at once; saved with the rest

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "settings-save":
            self.action_save()
        elif event.button.id == "settings-cancel":
            self.action_back()
        elif event.button.id == "settings-optimize":
            self.action_optimize()

    def action_optimize(self) -> None:
        from studyapp.ui.screens.optimize import OptimizeScreen

        def done(applied: bool | None) -> None:
            if applied:
                self._show_parameters()

        self.app.push_screen(OptimizeScreen(), done)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        error = self.query_one("#settings-error", Static)
        try:
            numbers = parse_settings({n: self.query_one(f"#set-{n}", Input).value for n in FIELDS})
        except ValueError as exc:
            error.update(escape_markup(str(exc)))
            error.add_class("error")
            return
        theme = str(self.query_one("#set-theme", Select).value)
        values: dict[str, float | int | str] = {**numbers, "theme": theme}
        storage = self.app.storage
        if storage is None:
            error.update(escape_markup(f"Cannot save: {self.app.load_error}"))
            return
        try:
            storage.save_settings(values)
        except Exception as exc:
            error.update(
                escape_markup(f"Cannot save: {str(exc).splitlines()[0] if str(exc) else exc!r}")
            )
            error.add_class("error")
            return
        error.remove_class("error")
        error.update("")
        self.app.apply_theme(theme)
        self.notify("Settings saved.", timeout=2)
        self.app.pop_screen()

    def action_back(self) -> None:
        # Leaving without saving: put the saved theme back if the user only previewed one.
        self.app.apply_theme(self.app.settings().get("theme"))
        self.app.pop_screen()
