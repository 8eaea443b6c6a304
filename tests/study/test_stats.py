"""compute_stats' calendar heatmap series and why retention is empty (Anki's true retention:
reviews of review-state cards only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from studyapp.core.cards import CardSpec
from studyapp.core.scheduling import Rating
from studyapp.core.stats_report import render_text, retention_note
from studyapp.storage import Storage
from studyapp.study.stats import compute_stats

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def store(tmp_path):
    s = Storage.open(tmp_path / "studyapp.db", tz=UTC, now=T0)
    s.sync_cards(
        [CardSpec.plain(f"c{i}::f", f"c{i}", "f", "terms", "DL", "Q", "A") for i in range(3)],
        now=T0,
    )
    yield s
    s.close()


def test_heatmap_series_is_whole_weeks_from_a_monday_to_today(store):
    store.record_review("c0::f", Rating.Good, T0 - timedelta(days=40))
    store.record_review("c1::f", Rating.Good, T0)
    store.record_review("c2::f", Rating.Good, T0)
    heat = compute_stats(store, T0)["reviews_per_day_26w"]
    first, last = date.fromisoformat(heat[0]["date"]), date.fromisoformat(heat[-1]["date"])
    assert first.weekday() == 0 and last == T0.date() and len(heat) == 25 * 7 + 3
    counts = {d["date"]: d["count"] for d in heat}
    assert counts[T0.date().isoformat()] == 2
    assert counts[(T0 - timedelta(days=40)).date().isoformat()] == 1
    assert sum(counts.values()) == 3
    twelve = compute_stats(store, T0)["reviews_per_day_12w"]
    assert twelve == heat[-84:]


def test_retention_says_why_it_is_empty_and_when_it_fills(store):
    stats = compute_stats(store, T0)
    assert stats["retention_30d"] is None and stats["review_cards"] == 0
    assert retention_note(stats, T0).startswith("no card is in the Review state yet")
    store.record_review("c0::f", Rating.Easy, T0)  # graduates: a review card due in days
    stats = compute_stats(store, T0)
    due = store.get_card("c0::f").due
    assert stats["review_cards"] == 1 and stats["first_review_due"] == due.isoformat()
    note = retention_note(stats, T0)
    assert note == f"no review-state cards reviewed yet: first ones due in {(due - T0).days} d"
    assert "first ones due in" in render_text(stats, T0)
    store.record_review("c0::f", Rating.Good, due)  # its first review as a review card
    later = compute_stats(store, due)
    assert later["retention_30d"] == 1.0 and retention_note(later, due) is None
