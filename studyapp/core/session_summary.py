"""The end-of-session summary of a review session, computed from the ratings given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


__all__ = ["SessionSummary"]
