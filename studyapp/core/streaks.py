"""Study streaks: consecutive study days, counted in study days (not calendar days)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta


def streak_days(studied: set[date] | Callable[[date], bool], today: date) -> int:
    """Consecutive study days ending today, or ending yesterday if nothing was studied today yet
    (a streak is not broken until the day is over). ``studied``: the set of study days, or a
    predicate answering "was this a study day?"."""
    was_studied = studied.__contains__ if isinstance(studied, (set, frozenset)) else studied
    day = today if was_studied(today) else today - timedelta(days=1)
    n = 0
    while was_studied(day):
        n += 1
        day -= timedelta(days=1)
    return n


__all__ = ["streak_days"]
