"""Statistics: reviews per day, the 30-day forecast, retention, and accuracy per topic.

``compute_stats`` reads the whole review log, so it runs in a worker thread over the
thread-safe Storage; the plots fill in when it is done.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from studyapp.ui.widgets.deck_table import DECK_NAMES


def _series(value) -> list[float]:
    """A list of numbers from a list, a ``{day: n}`` dict, or a list of ``{date, count}`` dicts."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [float(v or 0) for _k, v in sorted(value.items())]
    out = []
    for item in value:
        if isinstance(item, dict):
            number = next((item[k] for k in ("count", "reviews", "due", "value", "retention") if k in item), 0)
            out.append(float(number or 0))
        elif isinstance(item, (list, tuple)):
            out.append(float(item[-1] or 0))
        else:
            out.append(float(item or 0))
    return out


class StatsScreen(Screen):
    """Plots and tables from :func:`studyapp.core.stats.compute_stats`."""

    BINDINGS = [
        Binding("r", "reload", "Reload"),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static("Computing statistics…", id="stats-summary")
            with Grid(id="stats-plots"):
                yield PlotextPlot(id="plot-reviews")
                yield PlotextPlot(id="plot-forecast")
                yield PlotextPlot(id="plot-retention")
                yield DataTable(id="stats-accuracy", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#stats-accuracy", DataTable)
        table.add_columns("Topic", "Correct", "Total", "Accuracy")
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="stats")
    def load(self) -> None:
        try:
            from studyapp.core.stats import compute_stats

            stats = compute_stats(self.app.storage, self.app.now())
        except Exception as exc:
            self.app.call_from_thread(
                self.query_one("#stats-summary", Static).update, f"Statistics unavailable: {exc}"
            )
            return
        self.app.call_from_thread(self.show, stats)

    def show(self, stats: dict) -> None:
        """Fill the summary line, the three plots and the accuracy table."""
        retention = stats.get("retention_30d")
        summary = (
            f"[b]{stats.get('cards_total', 0)}[/b] cards · [b]{stats.get('cards_new', 0)}[/b] new · "
            f"[b]{stats.get('due_today', 0)}[/b] due today · [b]{stats.get('reviews_today', 0)}[/b] reviews today · "
            f"[b]{stats.get('reviews_total', 0)}[/b] in total · streak [b]{stats.get('streak_days', 0)}[/b] d · "
            f"retention 30d [b]{'—' if retention is None else f'{retention:.0%}'}[/b]"
        )
        self.query_one("#stats-summary", Static).update(summary)

        reviews = _series(stats.get("reviews_per_day_12w"))
        self._bars("#plot-reviews", "Reviews per day (12 weeks)", reviews, "days ago", reverse=True)
        forecast = _series(stats.get("forecast_30d"))
        self._bars("#plot-forecast", "Due per day (next 30 days)", forecast, "days ahead")

        plot = self.query_one("#plot-retention", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        series = _series(stats.get("retention_by_week") or stats.get("retention_per_week"))
        if series:
            plt.title("Retention per week")
            plt.plot(list(range(-len(series) + 1, 1)), [100 * v if v <= 1 else v for v in series], marker="braille")
            plt.ylim(0, 100)
        else:
            # Only the 30-day figure is known: show it against the desired retention.
            desired = float(self.app.settings().get("desired_retention", 0.9) or 0.9)
            actual = 0.0 if retention is None else float(retention)
            plt.title("Retention, last 30 days (%)")
            plt.bar(["actual", "desired"], [100 * actual, 100 * desired])
            plt.ylim(0, 100)
        plot.refresh()

        table = self.query_one("#stats-accuracy", DataTable)
        table.clear()
        accuracy = stats.get("accuracy_by_topic") or {}
        if not accuracy:
            table.add_row("no quiz answers yet", "", "", "")
        for topic, value in sorted(accuracy.items()):
            if isinstance(value, dict):
                correct, total = value.get("correct", 0), value.get("total", 0)
            else:
                correct, total = value
            share = f"{correct / total:.0%}" if total else "—"
            table.add_row(DECK_NAMES.get(topic, topic), str(correct), str(total), share)

    def _bars(self, selector: str, title: str, values: list[float], x_label: str, reverse: bool = False) -> None:
        plot = self.query_one(selector, PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        if values:
            xs = [-(len(values) - 1 - i) for i in range(len(values))] if reverse else list(range(len(values)))
            plt.bar(xs, values, width=0.6)
            plt.xlabel(x_label)
        plot.refresh()

    def action_back(self) -> None:
        self.app.pop_screen()
