"""The end-of-session summary of a review session, computed from the ratings given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from studyapp.core.display import interval_text
from studyapp.core.scheduling import Rating


@dataclass
class SessionSummary:
    """End-of-session figures: cards reviewed, seconds spent, share not rated Again, per rating."""

    reviewed: int
    seconds: float
    accuracy: float | None  # fraction of ratings other than Again; None if nothing was rated
    by_rating: dict[int, int]

    @classmethod
    def of(cls, ratings: Iterable[Rating | int], seconds: float) -> SessionSummary:
        """The summary of a session that gave ``ratings`` (1-4, in any order) over ``seconds``."""
        by_rating = {int(r): 0 for r in Rating}
        for rating in ratings:
            by_rating[int(rating)] += 1
        n = sum(by_rating.values())
        return cls(
            reviewed=n,
            seconds=seconds,
            accuracy=None if n == 0 else 1 - by_rating[int(Rating.Again)] / n,
            by_rating=by_rating,
        )

    def to_dict(self) -> dict:
        return {
            "reviewed": self.reviewed,
            "seconds": round(self.seconds, 1),
            "accuracy": self.accuracy,
            "by_rating": dict(self.by_rating),
        }


def next_due_line(
    now: datetime,
    day_end: datetime,
    next_learning: datetime | None,
    tomorrow_due: int,
    tomorrow_new: int,
) -> str:
    """When the next card comes, as the end of a session says it: ``next card in 9 min`` when a
    learning card comes due today, else ``tomorrow: 23 due (18 reviews, 5 new)``.

    ``day_end``: when the study day ends; ``tomorrow_due`` / ``tomorrow_new``: studied cards due
    and new cards available by the end of the next study day (UTC datetimes throughout)."""
    if next_learning is not None and next_learning < day_end:
        wait = next_learning - now
        return (
            "next card: now" if wait.total_seconds() <= 0 else f"next card in {interval_text(wait)}"
        )
    total = tomorrow_due + tomorrow_new
    if total == 0:
        return "nothing due tomorrow"
    return f"tomorrow: {total} due ({tomorrow_due} reviews, {tomorrow_new} new)"


__all__ = ["SessionSummary", "next_due_line"]
