"""The dashboard's table of decks: new / learning / due per topic."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from studyapp.core.catalog import TOPIC_TITLES

DECK_NAMES = TOPIC_TITLES


class DeckTable(DataTable):
    """Rows ``Deck  New  Learn  Due`` plus today's total; ``show_counts(counts, totals)`` fills it.

    ``counts`` is ``Storage.counts(now)``: ``{topic: {"new": n, "learning": n, "due": n}}``.
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("Deck", key="deck", width=12)
        self.add_column("New", key="new", width=6)
        self.add_column("Learn", key="learning", width=6)
        self.add_column("Due", key="due", width=6)

    def show_counts(self, counts: dict, totals: dict | None = None) -> None:
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
        # The daily limits apply once overall, so Storage.totals() (when given) is the truth,
        # not the sum of the per-deck figures.
        if totals is not None:
            summed = {k: int(totals.get(k, 0)) for k in ("new", "learning", "due")}
        self.add_row(
            Text("Today", style="bold"),
            *(_num(summed[k], "bold") for k in ("new", "learning", "due")),
            key="__total__",
        )


def _num(value: int, style: str) -> Text:
    return Text(str(value), style=style if value else "dim", justify="right")
