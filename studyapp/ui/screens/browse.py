"""Browse every card: a search box (text, ``topic:``, ``is:due``, ``is:suspended``,
``is:leech``), a table of matches, and a details pane with the rendered card, its review
history, and for activations and losses a plot of the function and its derivative."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from studyapp.core.preset_links import preset_name_for_entry
from studyapp.ui.screens.watch import WATCH, WatchScreen
from studyapp.ui.widgets.function_plot import FunctionPlot, sample_curve
from studyapp.ui.widgets.math_text import escape_markup, readable


def _field(row, name: str, default=None):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _when(value) -> str:
    """A due date as ``YYYY-MM-DD`` (or ``—``)."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


class BrowseScreen(WatchScreen):
    """Search, table, details."""

    CSS_PATH = "browse.tcss"

    SUB_TITLE = "Browse"

    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        WATCH,  # the card's playground preset, if it has one
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.rows: dict[str, object] = {}
        self.shown: str | None = None  # the key of the card in the details pane

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            value=self.initial_query,
            id="browse-search",
            placeholder="search: text  topic:losses  is:due  is:suspended  is:leech",
        )
        with Horizontal(id="browse-body"):
            yield DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="browse-details"):
                yield Static("Select a card to see it here.", id="details-card")
                yield FunctionPlot(id="details-plot")
                yield Static("", id="details-history")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#browse-table", DataTable)
        table.add_column("Topic", key="topic", width=11)
        table.add_column("Card", key="front", width=18)
        table.add_column("State", key="state", width=9)
        table.add_column("Due", key="due", width=10)
        self.query_one(FunctionPlot).display = False
        self.search(self.initial_query)
        table.focus()

    # ---------------------------------------------------------------- search
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "browse-search":
            self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "browse-search":
            self.query_one("#browse-table", DataTable).focus()

    def search(self, query: str) -> None:
        """Fill the table with ``Storage.search_cards(query)``; bad queries show one line."""
        table = self.query_one("#browse-table", DataTable)
        table.clear()
        self.rows = {}
        storage = self.app.storage
        if storage is None:
            self.query_one("#details-card", Static).update(
                escape_markup(f"Cannot open the study data: {self.app.load_error}")
            )
            return
        try:
            found = storage.search_cards(query.strip(), now=self.app.now())
        except Exception as exc:
            self.query_one("#details-card", Static).update(escape_markup(f"Search: {exc}"))
            return
        for row in found:
            key = _field(row, "key")
            self.rows[key] = row
            # Text cells, not strings: a string cell would be read as markup ("[0, 1)").
            table.add_row(
                Text(_field(row, "topic") or ""),
                Text(_short(readable(_field(row, "front") or key), 18)),
                Text(_state(row)),
                Text(_when(_field(row, "due")) if _field(row, "reps") else "new"),
                key=key,
            )
        self.sub_title = f"Browse · {len(found)} card{'s' if len(found) != 1 else ''}"
        if found:
            self.show_details(_field(found[0], "key"))
        else:
            self.show_details(None)
            self.query_one("#details-card", Static).update("No card matches this search.")
            self.query_one("#details-history", Static).update("")
            self.query_one(FunctionPlot).display = False

    # ---------------------------------------------------------------- details
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value in self.rows:
            self.show_details(event.row_key.value)

    def show_details(self, key: str | None) -> None:
        self.shown = key
        self.refresh_bindings()  # "w Watch it" only for a card a preset shows
        if key is None:
            return
        row = self.rows.get(key)
        front = _field(row, "front") or ""
        back = _field(row, "back") or ""
        deck = _field(row, "deck") or ""
        tags = " ".join(_field(row, "tags") or [])
        source = _field(row, "entry_id") or ""
        lines = [
            f"[b]{escape_markup(readable(front))}[/b]",
            "",
            escape_markup(readable(back)),
            "",
            f"[dim]{escape_markup(deck)} · {_state(row)}"
            + (
                f" · due {_when(_field(row, 'due'))} · reviews {_field(row, 'reps', 0)}"
                f" · lapses {_field(row, 'lapses', 0) or 0}"
                if _field(row, "reps")
                else ""
            )
            + "[/dim]",
        ]
        if tags or source:
            lines.append(f"[dim]{escape_markup(tags)}  {escape_markup(source)}[/dim]")
        self.query_one("#details-card", Static).update("\n".join(lines))
        self._show_plot(row)
        self._show_history(key)

    def _show_plot(self, row) -> None:
        plot = self.query_one(FunctionPlot)
        curve = None
        if _field(row, "topic") in ("activations", "losses") and self.app.content is not None:
            entry = self.app.content.by_id.get(_field(row, "entry_id"))
            if entry is not None:
                curve = sample_curve(entry)
        plot.show_curve(curve)

    def _show_history(self, key: str) -> None:
        target = self.query_one("#details-history", Static)
        storage = self.app.storage
        if storage is None:  # no rows to show then: search() has said why
            return
        try:
            history = list(storage.card_history(key))
        except Exception as exc:
            target.update(escape_markup(f"History unavailable: {exc}"))
            return
        if not history:
            target.update("[b]History[/b]\nnot reviewed yet")
            return
        names = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
        lines = ["[b]History[/b]"]
        for entry in history[-12:]:
            when = (
                _field(entry, "reviewed_at")
                or _field(entry, "review_datetime")
                or _field(entry, "when")
            )
            rating = _field(entry, "rating")
            try:
                rating = names.get(int(rating), rating)
            except (TypeError, ValueError):
                pass
            interval = _field(entry, "interval_days") or _field(entry, "scheduled_days")
            extra = f" → {interval} d" if interval not in (None, "") else ""
            lines.append(f"{_when_time(when)}  {rating}{extra}")
        target.update("\n".join(escape_markup(line) if i else line for i, line in enumerate(lines)))

    # ---------------------------------------------------------------- actions
    def action_focus_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_toggle_suspend(self) -> None:
        table = self.query_one("#browse-table", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        storage = self.app.storage
        if key is None or storage is None:  # every row has its card's key; rows need storage
            return
        row = self.rows.get(key)
        try:
            if _field(row, "suspended"):
                storage.unsuspend(key)
                self.notify("Card unsuspended.", timeout=2)
            else:
                storage.suspend(key)
                self.notify("Card suspended.", timeout=2)
        except Exception as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.search(self.query_one("#browse-search", Input).value)

    @property
    def preset(self) -> str | None:
        """The playground preset that shows the card in the details pane, if any."""
        return preset_name_for_entry(_field(self.rows.get(self.shown or ""), "entry_id"))

    def action_back(self) -> None:
        self.app.pop_screen()


def _state(row) -> str:
    if _field(row, "suspended"):
        return "leech" if _field(row, "leech") else "suspended"
    state = _field(row, "state")
    if state is None:
        return "new" if not _field(row, "reps") else "review"
    name = getattr(state, "name", state)
    return str(name).lower()


def _when_time(value) -> str:
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)[:16].replace("T", " ")
