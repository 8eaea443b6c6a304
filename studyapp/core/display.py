"""How figures and texts read on screen: durations as people write them (``10 min``, ``3 d``,
``2.1 mo``: browse, card info, the end of a session; the rating buttons keep Anki's tighter
labels, :func:`scheduling.format_interval`), and texts cut to a width with "…"."""

from __future__ import annotations

from datetime import timedelta

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
MONTH, YEAR = 30 * DAY, 365 * DAY


def _number(x: float) -> str:
    """One decimal below 10 (``2.1``, ``3``), whole numbers above (``14``)."""
    if x >= 9.95:
        return str(round(x))
    return f"{x:.1f}".removesuffix(".0")


def interval_text(delta: timedelta | float) -> str:
    """A duration (timedelta, or days as a float) in the largest unit that reads well:
    ``40 s``, ``10 min``, ``1.5 h``, ``3 d``, ``2.1 mo``, ``1.3 y``. Negative durations read as
    their size (the caller says whether it is past or to come)."""
    seconds = abs(delta.total_seconds() if isinstance(delta, timedelta) else float(delta) * DAY)
    if round(seconds) < MINUTE:
        return f"{round(seconds)} s"
    if round(seconds / MINUTE) < 60:
        return f"{round(seconds / MINUTE)} min"
    for unit, name in ((YEAR, "y"), (MONTH, "mo"), (DAY, "d"), (HOUR, "h")):
        if seconds >= unit * 0.995:  # 23 h 59 min reads as 1 d, not 24 h
            return f"{_number(seconds / unit)} {name}"
    return f"{_number(seconds / HOUR)} h"


def shorten(text: object, width: int) -> str:
    """``text`` on one line (whitespace collapsed), cut to ``width`` characters with "…" when
    it is longer, so a cut never goes unnoticed."""
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: max(width - 1, 0)].rstrip() + "…"


__all__ = ["interval_text", "shorten"]
