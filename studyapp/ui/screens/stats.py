"""Statistics: a calendar heatmap of reviews per day (about six months), reviews per day, the
30-day forecast, retention per week, and accuracy per topic and exercise step.

``compute_stats`` reads the whole review log, so it runs in a worker thread over the
thread-safe Storage; the plots fill in when it is done. Below 100 columns the plots stack in
one column, so none is cut ("Accura…").
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Static
from textual_plotext import PlotextPlot

from studyapp.ui.screens.base import StudyScreen
from studyapp.ui.widgets.calendar_heatmap import ReviewHeatmap
from studyapp.ui.widgets.deck_table import DECK_NAMES
from studyapp.ui.widgets.math_text import escape_markup

NARROW = 100  # columns below which the plots stack in one column


def _values(series: list[dict] | None, key: str) -> list[float]:
    """The ``key`` of every ``{"date", key}`` entry of a compute_stats series, in order."""
    return [float(d.get(key) or 0) for d in series or []]


def _round_ticks(top: float, count: int = 4) -> list[float]:
    """About ``count`` whole-number ticks from 0 to at least ``top`` (counts of cards)."""
    import math

    step = max(1, math.ceil(top / count))
    return [float(i * step) for i in range(0, count + 1) if i * step <= top * 1.1 or i == 1]


class StatsScreen(StudyScreen):
    """Plots and tables from :func:`studyapp.study.stats.compute_stats`."""

    CSS_PATH = "stats.tcss"

    SUB_TITLE = "Statistics"

    BINDINGS = [
        Binding("r", "reload", "Reload"),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static("Computing statistics…", id="stats-summary")
            yield Static("", id="stats-retention-note")
            yield Label("Reviews per day, last 26 weeks", classes="section-title")
            yield ReviewHeatmap(id="stats-heatmap")
            with Grid(id="stats-plots"):
                yield PlotextPlot(id="plot-reviews")
                yield PlotextPlot(id="plot-forecast")
                yield PlotextPlot(id="plot-retention")
                yield DataTable(id="stats-accuracy", cursor_type="none", zebra_stripes=True)
            yield Static("", id="stats-weak")
            yield DataTable(id="stats-steps", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        # Fixed widths: auto-sized columns were sometimes measured before the rows arrived
        # (seen as "Activ" for "Activations").
        for selector, first, width in (
            ("#stats-accuracy", "Topic", 14),
            ("#stats-steps", "Exercise step", 24),
        ):
            table = self.query_one(selector, DataTable)
            table.add_column(first, width=width)
            for label in ("Correct", "Total", "Accuracy"):
                table.add_column(label, width=len(label))
        self.action_reload()

    def on_resize(self) -> None:
        self.query_one("#stats-plots").set_class(self.size.width < NARROW, "-narrow")

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="stats")
    def load(self) -> None:
        storage = self.app.storage
        if storage is None:
            self._unavailable(f"Cannot open the study data: {self.app.load_error}")
            return
        try:
            from studyapp.study.stats import compute_stats

            stats = compute_stats(storage, self.app.now())
        except Exception as exc:
            self._unavailable(f"Statistics unavailable: {exc}")
            return
        self.app.call_from_thread(self.show, stats)

    def _unavailable(self, reason: str) -> None:
        """From the worker: one line instead of the statistics."""
        self.app.call_from_thread(
            self.query_one("#stats-summary", Static).update, escape_markup(reason)
        )

    def show(self, stats: dict) -> None:
        """Fill the summary line, the heatmap, the three plots and the accuracy tables."""
        from datetime import date

        from studyapp.core.stats_report import retention_note

        retention = stats.get("retention_30d")
        summary = (
            f"[b]{stats.get('cards_total', 0)}[/b] cards · [b]{stats.get('cards_new', 0)}[/b] new · "
            f"[b]{stats.get('due_today', 0)}[/b] to study today · [b]{stats.get('reviews_today', 0)}[/b] reviews today · "
            f"[b]{stats.get('reviews_total', 0)}[/b] in total · streak [b]{stats.get('streak_days', 0)}[/b] d · "
            f"retention 30d [b]{'—' if retention is None else f'{retention:.0%}'}[/b]"
        )
        self.query_one("#stats-summary", Static).update(summary)
        note = retention_note(stats, self.app.now())
        note_box = self.query_one("#stats-retention-note", Static)
        note_box.display = bool(note)
        note_box.update(escape_markup(f"Retention 30d is empty: {note}.") if note else "")
        heat = stats.get("reviews_per_day_26w") or []
        self.query_one(ReviewHeatmap).show(
            [(date.fromisoformat(d["date"]), int(d["count"])) for d in heat]
        )

        # The last 30 days of the 12-week series: one bar per day still fits a half-width plot.
        reviews = _values(stats.get("reviews_per_day_12w"), "count")[-30:]
        self._bars(
            "#plot-reviews", "Reviews per day (last 30 days)", reviews, "days ago", reverse=True
        )
        forecast = _values(stats.get("forecast_30d"), "due")
        self._bars("#plot-forecast", "Due per day (next 30 days)", forecast, "days ahead")
        self._retention(stats)
        self._accuracy(stats.get("accuracy_by_topic") or {})
        self._show_steps(stats.get("accuracy_by_step") or {})

    def _retention(self, stats: dict) -> None:
        """Retention per week of the last 12 (weeks without reviews of review-state cards have
        no point), against the desired retention."""
        from datetime import date, timedelta

        plot = self.query_one("#plot-retention", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        days = stats.get("reviews_per_day_12w") or []
        # The 12 weeks end today: the last one started 6 days ago. x is weeks ago, 0 the last.
        last = date.fromisoformat(days[-1]["date"]) - timedelta(days=6) if days else None
        points = [
            (-((last - date.fromisoformat(w["date"])).days // 7), 100 * w["retention"])
            for w in stats.get("retention_by_week") or []
            if last is not None
        ]
        weekly = range(len(days) // 7)
        desired = 100 * float(self.app.settings().get("desired_retention", 0.9) or 0.9)
        plt.title("Retention % per week" if points else "Retention % per week (no data yet)")
        if points:
            plt.plot(
                [x for x, _ in points], [y for _, y in points], marker="braille", label="actual"
            )
        # The target line, so the user sees whether the schedule is keeping its promise.
        plt.plot([-len(weekly) + 1, 0], [desired, desired], marker="braille", label="desired")
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        plt.xlabel("weeks ago")
        weeks: list[float] = [-w for w in range(len(weekly) - 1, -1, -1) if w % 2 == 0]
        plt.xticks(weeks, [str(w) for w in weeks])
        plot.refresh()

    def _accuracy(self, accuracy: dict) -> None:
        table = self.query_one("#stats-accuracy", DataTable)
        table.clear()
        if not accuracy:
            table.add_row("no answers yet", "", "", "")
        for topic, value in sorted(accuracy.items()):
            if isinstance(value, dict):
                correct, total = value.get("correct", 0), value.get("total", 0)
            else:
                correct, total = value
            share = f"{correct / total:.0%}" if total else "—"
            table.add_row(DECK_NAMES.get(topic, topic), str(correct), str(total), share)

    def _show_steps(self, accuracy: dict) -> None:
        """Accuracy per exercise step type, weakest first, under a sentence naming the weakest."""
        from studyapp.core.steps import STEP_TYPES, weakest_step

        weak = weakest_step(accuracy)
        self.query_one("#stats-weak", Static).update(escape_markup(weak + ".") if weak else "")
        table = self.query_one("#stats-steps", DataTable)
        table.clear()
        if not accuracy:
            table.add_row("no answers yet", "", "", "")
        rows = [(v["correct"], v["total"], step) for step, v in accuracy.items()]
        for correct, total, step in sorted(rows, key=lambda r: r[0] / r[1] if r[1] else 1.0):
            share = f"{correct / total:.0%}" if total else "—"
            table.add_row(STEP_TYPES.get(step, step), str(correct), str(total), share)

    def _bars(
        self, selector: str, title: str, values: list[float], x_label: str, reverse: bool = False
    ) -> None:
        """One bar per day; x is days ago (``reverse``) or days ahead."""
        plot = self.query_one(selector, PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        xs = (
            [-(len(values) - 1 - i) for i in range(len(values))]
            if reverse
            else list(range(len(values)))
        )
        if values and max(values) > 0:
            plt.title(title)
            # plotext's own y range (setting ylim makes it draw stubs for zero bars).
            plt.bar(xs, values, width=0.6)
            plt.yticks(_round_ticks(max(values)))
        else:
            plt.title(f"{title}: none yet")
            plt.ylim(0, 1)
            plt.yticks([0, 1])
        if xs:
            plt.xlim(min(xs) - 0.5, max(xs) + 0.5)
            # Fixed, round ticks (5-day steps): plotext's automatic ones depend on the size of
            # the previous render.
            ticks: list[float] = [x for x in xs if x % 5 == 0]
            plt.xticks(ticks, [str(t) for t in ticks])
        plt.xlabel(x_label)
        plot.refresh()

    def action_back(self) -> None:
        self.app.pop_screen()
