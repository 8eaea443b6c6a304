"""The end-of-session summary is a pure function of the ratings given (no database)."""

from __future__ import annotations

from studyapp.core.scheduling import Rating
from studyapp.core.session_summary import SessionSummary


def test_summary_counts_ratings_and_the_share_not_rated_again():
    s = SessionSummary.of([Rating.Again, 3, Rating.Good, 4], seconds=61.26)
    assert (s.reviewed, s.accuracy) == (4, 0.75)
    assert s.by_rating == {1: 1, 2: 0, 3: 2, 4: 1}
    assert s.to_dict() == {
        "reviewed": 4,
        "seconds": 61.3,
        "accuracy": 0.75,
        "by_rating": {1: 1, 2: 0, 3: 2, 4: 1},
    }


def test_summary_of_an_empty_session_has_no_accuracy():
    s = SessionSummary.of([], seconds=0.0)
    assert (s.reviewed, s.accuracy, s.by_rating) == (0, None, {1: 0, 2: 0, 3: 0, 4: 0})


def test_next_due_line_minutes_then_tomorrow():
    from datetime import UTC, datetime, timedelta

    from studyapp.core.session_summary import next_due_line

    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    end = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    soon = now + timedelta(minutes=9)
    assert next_due_line(now, end, soon, 3, 2) == "next card in 9 min"
    assert next_due_line(now, end, now, 0, 0) == "next card: now"
    later = end + timedelta(hours=2)  # a learning card due tomorrow counts with tomorrow's
    assert next_due_line(now, end, later, 18, 5) == "tomorrow: 23 due (18 reviews, 5 new)"
    assert next_due_line(now, end, None, 0, 0) == "nothing due tomorrow"
