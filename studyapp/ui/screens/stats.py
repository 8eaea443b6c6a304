"""Statistics: reviews per day, the 30-day forecast, retention, and accuracy per topic.

``compute_stats`` reads the whole review log, so it runs in a worker thread over the
thread-safe Storage; the plots fill in when it is done.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from studyapp.ui.screens.base import StudyScreen
from studyapp.ui.widgets.deck_table import DECK_NAMES
from studyapp.ui.widgets.math_text import escape_markup


def _series(value) -> list[float]:
    """A list of numbers from a list, a ``{day: n}`` dict, or a list of ``{date, count}`` dicts."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [float(v or 0) for _k, v in sorted(value.items())]
    out = []
    for item in value:
        if isinstance(item, dict):
            number = next(
                (item[k] for k in ("count", "reviews", "due", "value", "retention") if k in item), 0
            )
            out.append(float(number or 0))
        elif isinstance(item, (list, tuple)):
            out.append(float(item[-1] or 0))
        else:
            out.append(float(item or 0))
    return out


def weekly_retention(storage, now, weeks: int = 12) -> list[float | None]:
    """Share of passed reviews (of cards in review) in each of the last ``weeks`` weeks, oldest
    first; None for a week without such reviews.

    Built from ``Storage.review_retention(since)`` (cumulative since a time): the difference of
    two cumulative counts is one week's count.
    """
    from datetime import timedelta

    cumulative = [storage.review_retention(now - timedelta(weeks=k)) for k in range(weeks, -1, -1)]
    out: list[float | None] = []
    for (p0, t0), (p1, t1) in zip(cumulative, cumulative[1:], strict=False):
        passed, total = p0 - p1, t0 - t1
        out.append(passed / total if total else None)
    return out


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

            now = self.app.now()
            stats = compute_stats(storage, now)
            stats.setdefault("retention_by_week", weekly_retention(storage, now))
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
        """Fill the summary line, the three plots and the accuracy table."""
        retention = stats.get("retention_30d")
        summary = (
            f"[b]{stats.get('cards_total', 0)}[/b] cards · [b]{stats.get('cards_new', 0)}[/b] new · "
            f"[b]{stats.get('due_today', 0)}[/b] to study today · [b]{stats.get('reviews_today', 0)}[/b] reviews today · "
            f"[b]{stats.get('reviews_total', 0)}[/b] in total · streak [b]{stats.get('streak_days', 0)}[/b] d · "
            f"retention 30d [b]{'—' if retention is None else f'{retention:.0%}'}[/b]"
        )
        self.query_one("#stats-summary", Static).update(summary)

        # The last 30 days of the 12-week series: one bar per day still fits a half-width plot.
        reviews = _series(stats.get("reviews_per_day_12w"))[-30:]
        self._bars(
            "#plot-reviews", "Reviews per day (last 30 days)", reviews, "days ago", reverse=True
        )
        forecast = _series(stats.get("forecast_30d"))
        self._bars("#plot-forecast", "Due per day (next 30 days)", forecast, "days ahead")

        plot = self.query_one("#plot-retention", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        weekly = list(stats.get("retention_by_week") or [])
        points = [(i - len(weekly) + 1, 100 * v) for i, v in enumerate(weekly) if v is not None]
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
        self._show_steps(stats.get("accuracy_by_step") or {})

    def _show_steps(self, accuracy: dict) -> None:
        """Accuracy per exercise step type, weakest first, under a sentence naming the weakest."""
        from studyapp.core.steps import STEP_TYPES, weakest_step

        weak = weakest_step(accuracy)
        self.query_one("#stats-weak", Static).update(escape_markup(weak + ".") if weak else "")
        table = self.query_one("#stats-steps", DataTable)
        table.clear()
        if not accuracy:
            table.add_row("no exercise steps answered yet", "", "", "")
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
