"""A calendar heatmap of reviews per day, as GitHub's contributions and Anki's heatmap add-on
draw it: weeks as columns (oldest on the left), days Monday to Sunday as rows, a shade per day by
its count, month names over the weeks they start in, and a legend."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static

#: The shades from "some" to "most" (GitHub's greens, readable on dark and light backgrounds).
SHADES = ("#0e4429", "#006d32", "#26a641", "#39d353")
CELL = "■ "  # one day: a square and a gap, 2 columns
EMPTY = "· "  # a day without reviews
DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL_WIDTH = 4


def shade(count: int, most: int) -> int:
    """The shade index (0-3) of a day with ``count`` reviews when the busiest day had ``most``:
    four equal steps of the busiest day's count."""
    return min(len(SHADES) - 1, (len(SHADES) * count - 1) // max(most, 1))


def heatmap_text(days: list[tuple[date, int]]) -> Text:
    """The heatmap of ``days``: (study day, reviews) pairs in order, the first a Monday, the last
    today (the rest of this week is left blank). Height 10 lines: months, 7 days, gap, legend."""
    if not days:
        return Text("No reviews yet.", style="dim")
    first = days[0][0]
    weeks = (len(days) + 6) // 7
    counts = dict(days)
    most = max(counts.values())
    text = Text()
    text.append(_month_line(first, weeks) + "\n", style="dim")
    for weekday in range(7):
        text.append(f"{DAY_LABELS[weekday]:<{LABEL_WIDTH}}", style="dim")
        for week in range(weeks):
            day = first + timedelta(weeks=week, days=weekday)
            if day not in counts:
                text.append("  ")
            elif counts[day] == 0:
                text.append(EMPTY, style="dim")
            else:
                text.append(CELL, style=SHADES[shade(counts[day], most)])
        text.append("\n")
    total = sum(counts.values())
    busy = sum(1 for c in counts.values() if c)
    text.append("\n" + " " * LABEL_WIDTH + "less ", style="dim")
    text.append(EMPTY, style="dim")
    for colour in SHADES:
        text.append(CELL, style=colour)
    text.append(f"more   {total} reviews on {busy} of {len(days)} days", style="dim")
    if most:
        text.append(f", at most {most} a day", style="dim")
    return text


def _month_line(first: date, weeks: int) -> str:
    """Month abbreviations over the first week that has a day 1 of that month (and over the
    first week, for the month the map starts in), each written only where it fits."""
    line = [" "] * (LABEL_WIDTH + 2 * weeks)
    taken = 0
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        starts = week == 0 or any((monday + timedelta(days=d)).day == 1 for d in range(7))
        column = LABEL_WIDTH + 2 * week
        if not starts or column < taken:
            continue
        sunday = monday + timedelta(days=6)
        name = (sunday if week else monday).strftime("%b")
        line[column : column + len(name)] = name
        taken = column + len(name) + 1
    return "".join(line).rstrip()


class ReviewHeatmap(Static):
    """The heatmap widget; ``show(days)`` draws it (see :func:`heatmap_text`)."""

    DEFAULT_CSS = """
    ReviewHeatmap { height: auto; padding: 0 1; }
    """

    def show(self, days: list[tuple[date, int]]) -> None:
        self.update(heatmap_text(days))
