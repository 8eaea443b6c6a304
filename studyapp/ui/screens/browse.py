"""Browse every card: a search box (text, ``topic:``, ``is:due``, ``is:flagged``, ``flag:1`` …),
a table of matches, and a details pane with the rendered card, its review history (intervals as
people read them: ``Good → 10 min``), and for activations and losses a plot of the function and
its derivative.

The table's columns follow its width: the card column takes what is left, and below a certain
width the topic column gives way, so the due date always shows (80 columns included).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from studyapp.core.display import shorten
from studyapp.core.preset_links import preset_name_for_entry
from studyapp.storage import CardRow
from studyapp.ui.screens.watch import WATCH, WatchScreen
from studyapp.ui.widgets.flag_mark import FLAG_BINDINGS, flag_text
from studyapp.ui.widgets.function_plot import FunctionPlot, sample_curve
from studyapp.ui.widgets.math_text import escape_markup, readable

#: column key -> (title, width); the card column takes the rest (at least CARD_MIN).
FIXED_COLUMNS = {"topic": ("Topic", 11), "state": ("State", 9), "due": ("Due", 10)}
CARD_MIN = 14
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def columns_for(width: int) -> list[tuple[str, str, int]]:
    """(key, title, width) of the table's columns for a table ``width`` cells wide: card, then
    topic (only if the card column keeps CARD_MIN), state and due. Each column costs 2 cells
    of padding, and 2 go to the scrollbar."""
    keys = ["card", "topic", "state", "due"]
    fixed = sum(w for _t, w in FIXED_COLUMNS.values())
    card = width - 2 - 2 * len(keys) - fixed
    if card < CARD_MIN:
        keys.remove("topic")
        card += FIXED_COLUMNS["topic"][1] + 2
    return [
        (k, *(FIXED_COLUMNS[k] if k in FIXED_COLUMNS else ("Card", max(card, CARD_MIN))))
        for k in keys
    ]


def _when(value, with_time: bool = False) -> str:
    """A UTC datetime as the local ``YYYY-MM-DD`` (``… HH:MM``), or ``—``."""
    if value is None:
        return "—"
    return value.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def state_name(card) -> str:
    if card.suspended:
        return "leech" if card.leech else "suspended"
    return card.state.name.lower()


class BrowseScreen(WatchScreen):
    """Search, table, details."""

    CSS_PATH = "browse.tcss"

    SUB_TITLE = "Browse"

    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        WATCH,  # the card's playground preset, if it has one
        *FLAG_BINDINGS,
        Binding("i", "card_info", "Info"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.rows: dict[str, CardRow] = {}
        self.columns: list[tuple[str, str, int]] = []
        self.shown: str | None = None  # the key of the card in the details pane

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            value=self.initial_query,
            id="browse-search",
            placeholder="search: text  topic:losses  is:due  is:flagged  flag:1  is:leech",
        )
        with Horizontal(id="browse-body"):
            yield DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="browse-details"):
                yield Static("Select a card to see it here.", id="details-card")
                yield FunctionPlot(id="details-plot")
                yield Static("", id="details-history")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FunctionPlot).display = False
        self.query_one("#browse-table", DataTable).focus()

    def on_resize(self) -> None:
        """Lay the columns out for the table's width (also the first layout), then fill it."""
        table = self.query_one("#browse-table", DataTable)
        columns = columns_for(table.size.width)
        if columns == self.columns:
            return
        self.columns = columns
        table.clear(columns=True)
        for key, title, width in columns:
            table.add_column(title, key=key, width=width)
        self.search(self.query_one("#browse-search", Input).value)

    # ---------------------------------------------------------------- search
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "browse-search" and self.columns:
            self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "browse-search":
            self.query_one("#browse-table", DataTable).focus()

    def _cells(self, card) -> list[Text]:
        """The row of ``card`` for the current columns (Text cells: a string would be read as
        markup, "[0, 1)")."""
        width = dict((k, w) for k, _t, w in self.columns)
        cells = {
            "topic": Text(card.topic),
            "state": Text(state_name(card)),
            "due": Text(_when(card.due) if card.reps else "new"),
        }
        front = shorten(readable(card.front or card.key), width["card"] - (2 if card.flag else 0))
        cells["card"] = (
            flag_text(card.flag, with_name=False) + " " + front if card.flag else Text(front)
        )
        return [cells[k] for k, _t, _w in self.columns]

    def search(self, query: str, keep: str | None = None) -> None:
        """Fill the table with ``Storage.search_cards(query)``; bad queries show one line.
        ``keep``: the key of a card to keep highlighted."""
        table = self.query_one("#browse-table", DataTable)
        table.clear()
        self.rows = {}
        self.shown = None
        self.refresh_bindings()
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
        for card in found:
            self.rows[card.key] = card
            table.add_row(*self._cells(card), key=card.key)
        self.sub_title = f"Browse · {len(found)} card{'s' if len(found) != 1 else ''}"
        if keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep))
            self.show_details(keep)
        elif found:
            self.show_details(found[0].key)
        else:
            self.query_one("#details-card", Static).update("No card matches this search.")
            self.query_one("#details-history", Static).update("")
            self.query_one(FunctionPlot).display = False

    @property
    def selected_key(self) -> str | None:
        table = self.query_one("#browse-table", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # ---------------------------------------------------------------- details
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value in self.rows:
            self.show_details(event.row_key.value)

    def show_details(self, key: str) -> None:
        self.shown = key
        self.refresh_bindings()  # "w Watch it" only for a card a preset shows
        card = self.rows[key]
        facts = f"{escape_markup(card.deck)} · {state_name(card)}"
        if card.reps:
            facts += f" · due {_when(card.due)} · reviews {card.reps} · lapses {card.lapses}"
        lines = [
            f"[b]{escape_markup(readable(card.front))}[/b]",
            "",
            escape_markup(readable(card.back)),
            "",
            f"[dim]{facts}[/dim]",
        ]
        tags = " ".join(card.tags)
        lines.append(f"[dim]{escape_markup(tags)}  {escape_markup(card.entry_id)}[/dim]")
        text = Text.from_markup("\n".join(lines))
        if card.flag:
            text.append("\n")
            text.append_text(flag_text(card.flag))
        self.query_one("#details-card", Static).update(text)
        self._show_plot(card)
        self._show_history(key)

    def _show_plot(self, card) -> None:
        plot = self.query_one(FunctionPlot)
        curve = None
        if card.topic in ("activations", "losses") and self.app.content is not None:
            entry = self.app.content.by_id.get(card.entry_id)
            if entry is not None:
                curve = sample_curve(entry)
        plot.show_curve(curve)

    def _show_history(self, key: str) -> None:
        """The last 12 reviews: when, the rating, and the interval it gave (``Good → 10 min``)."""
        from studyapp.core.display import interval_text

        target = self.query_one("#details-history", Static)
        storage = self.app.storage
        if storage is None:  # no rows to show then: search() has said why
            return
        try:
            history = list(storage.card_history(key))
        except Exception as exc:
            target.update(escape_markup(f"History unavailable: {exc}"))
            return
        lines = ["[b]History[/b]"]
        if not history:
            lines.append("not reviewed yet")
        for entry in history[-12:]:
            rating = RATING_NAMES.get(entry["rating"], str(entry["rating"]))
            interval = interval_text(entry["interval_days"])
            lines.append(
                escape_markup(f"{_when(entry['reviewed_at'], True)}  {rating} → {interval}")
            )
        target.update("\n".join(lines))

    # ---------------------------------------------------------------- actions
    def action_focus_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def _refresh_rows(self, key: str) -> None:
        self.search(self.query_one("#browse-search", Input).value, keep=key)

    def action_toggle_suspend(self) -> None:
        key, storage = self.selected_key, self.app.storage
        if key is None or storage is None:  # rows need storage
            return
        try:
            if self.rows[key].suspended:
                storage.unsuspend(key)
                self.notify("Card unsuspended.", timeout=2)
            else:
                storage.suspend(key)
                self.notify("Card suspended.", timeout=2)
        except Exception as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._refresh_rows(key)

    def action_flag(self, flag: int) -> None:
        """Flag the highlighted card (1-4); the same flag again takes it off (Anki)."""
        from studyapp.core.flags import toggled

        key, storage = self.selected_key, self.app.storage
        if key is None or storage is None:
            return
        try:
            storage.set_flag(key, toggled(self.rows[key].flag, flag))
        except Exception as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._refresh_rows(key)

    def action_flag_menu(self) -> None:
        from studyapp.ui.screens.flag_menu import ask_flag

        key = self.selected_key
        if key is not None:
            ask_flag(self, self.rows[key].flag, self.action_flag)

    def action_card_info(self) -> None:
        from studyapp.ui.screens.card_info import CardInfoScreen

        if self.selected_key is not None:
            self.app.push_screen(CardInfoScreen(self.selected_key))

    @property
    def preset(self) -> str | None:
        """The playground preset that shows the card in the details pane, if any."""
        card = self.rows.get(self.shown or "")
        return preset_name_for_entry(card.entry_id) if card is not None else None

    def action_back(self) -> None:
        self.app.pop_screen()
