"""The dashboard's table of decks: new / learning / due per topic, and all decks together."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from studyapp.core.catalog import TOPIC_TITLES

DECK_NAMES = TOPIC_TITLES


ALL_DECKS = "__all__"  # the row key of the last row, all decks together


class DeckTable(DataTable):
    """Rows ``Deck  New  Learn  Due``, one per deck, then "All decks";
    ``show_counts(counts, totals)`` fills it.

    ``counts`` is ``Storage.counts(now)``: ``{topic: {"new": n, "learning": n, "due": n}}``, what
    studying each deck alone shows; ``totals`` (``Storage.totals(now)``) what all decks together
    show. The decks' rows do not add up to it: each deck has its own daily limit, as in Anki.
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("Deck", key="deck", width=12)
        self.add_column("New", key="new", width=6)
        self.add_column("Learn", key="learning", width=6)
        self.add_column("Due", key="due", width=6)

    @property
    def selected_topic(self) -> str | None:
        """The topic of the highlighted row; None for "All decks" (or an empty table)."""
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key in (None, ALL_DECKS) else key

    def show_counts(self, counts: dict, totals: dict | None = None) -> None:
        """Fill the rows, keeping the highlighted row highlighted ("All decks" at first)."""
        selected = self.selected_topic if self.row_count else None
        self.clear()
        summed = {"new": 0, "learning": 0, "due": 0}
        order = list(DECK_NAMES) + sorted(set(counts) - set(DECK_NAMES))
        for topic in order:
            if topic not in counts:
                continue
            row = counts[topic] or {}
            values = [int(row.get(k, 0) or 0) for k in ("new", "learning", "due")]
            for k, v in zip(("new", "learning", "due"), values, strict=True):
                summed[k] += v
            # The "Deep Learning::" prefix is the same for every deck: it is in the title above.
            self.add_row(
                Text(DECK_NAMES.get(topic, topic.title())),
                *(
                    _num(v, style)
                    for v, style in zip(values, ("blue", "red", "green"), strict=True)
                ),
                key=topic,
            )
        # Studying all decks applies their own limit on top of each deck's, so Storage.totals()
        # (when given) is the truth, not the sum of the per-deck figures.
        if totals is not None:
            summed = {k: int(totals.get(k, 0)) for k in ("new", "learning", "due")}
        self.add_row(
            Text("All decks", style="bold"),
            *(_num(summed[k], "bold") for k in ("new", "learning", "due")),
            key=ALL_DECKS,
        )
        row = selected if selected is not None and selected in counts else ALL_DECKS
        self.move_cursor(row=self.get_row_index(row))


def _num(value: int, style: str) -> Text:
    return Text(str(value), style=style if value else "dim", justify="right")
