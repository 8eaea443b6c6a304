"""Study statistics (``studyapp stats`` and the TUI's stats screen) from the database.

All day-based figures use study days (Anki's "next day starts at" hour in the user's time zone).
The text report of these figures is :func:`studyapp.core.stats_report.render_text`.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime, timedelta

from studyapp.core import scheduling as sch
from studyapp.core.streaks import streak_days
from studyapp.storage import Storage, from_ms, to_ms

FORECAST_DAYS = 30
HISTORY_DAYS = 84  # 12 weeks
RETENTION_DAYS = 30


def _accuracy(pairs: dict[str, tuple[int, int]]) -> dict[str, dict]:
    return {
        k: {"correct": c, "total": t, "accuracy": round(c / t, 4) if t else None}
        for k, (c, t) in pairs.items()
    }


def compute_stats(storage: Storage, now: datetime) -> dict:
    """Everything ``studyapp stats --json`` prints.

    Contract keys: cards_total, cards_new, due_today (every card to study today within the daily
    limits: reviews and learning steps due plus the new cards available, so 20 on a fresh
    database), reviews_today, reviews_total, retention_30d (fraction of reviews of mature-state
    cards not rated Again over 30 days, None without any), streak_days. Plus: reviews_due_today
    (review and learning cards due), new_today (new cards available today), learning_today,
    suspended, orphaned,
    forecast_30d (list of 30 {"date", "due"}; day 0 includes overdue cards), reviews_per_day_12w
    (list of 84 {"date", "count"}, oldest first, ending today), retention_by_week (list of
    {"date": week start, "retention"} for the weeks of those 12 that had reviews), accuracy_by_topic and
    accuracy_by_step ({name: {"correct", "total", "accuracy"}}) from quiz/exercise attempts,
    leeches (list of {"key", "topic", "front", "lapses"}), by_topic ({topic: {"new", "learning",
    "due"}} available today, as the dashboard shows them).
    """
    settings = storage.settings
    tz = storage.tz
    today = sch.study_day(now, settings, tz)
    start, _end = storage.day_bounds(now)
    cards = storage.card_count()
    totals = storage.totals(now)

    def bound(day: date) -> int:
        """UTC ms at which study day ``day`` starts (exact across DST changes)."""
        return to_ms(sch.day_start(day, settings, tz))

    # Forecast: studied cards due on each of the next 30 study days (overdue counted today).
    edges = [bound(today + timedelta(days=i)) for i in range(1, FORECAST_DAYS + 1)]
    forecast = [0] * FORECAST_DAYS
    for due_ms in storage.due_times():
        i = bisect.bisect_right(edges, due_ms)
        if i < FORECAST_DAYS:
            forecast[i] += 1

    # Reviews per day for 12 weeks: one indexed range count per day (no row is read in Python).
    first = today - timedelta(days=HISTORY_DAYS - 1)
    day_edges = [bound(first + timedelta(days=i)) for i in range(HISTORY_DAYS + 1)]
    per_day = storage.review_counts_between(day_edges)

    # Retention per week (12 weeks, oldest first); weeks without reviews of mature cards are left out.
    by_week = []
    for w in range(HISTORY_DAYS // 7):
        p, t = storage.review_retention(
            from_ms(day_edges[7 * w]), until=from_ms(day_edges[7 * (w + 1)])
        )
        if t:
            by_week.append(
                {"date": (first + timedelta(days=7 * w)).isoformat(), "retention": round(p / t, 4)}
            )

    # Streak: walk back day by day while there was any review or attempt (indexed lookups).
    def studied_on(day: date) -> bool:
        return storage.studied_between(bound(day), bound(day + timedelta(days=1)))

    streak = streak_days(studied_on, today)

    passed, total = storage.review_retention(now - timedelta(days=RETENTION_DAYS))

    return {
        "cards_total": cards["total"],
        "cards_new": cards["new"],
        "due_today": totals["due"] + totals["learning"] + totals["new"],
        "reviews_due_today": totals["due"] + totals["learning"],
        "new_today": totals["new"],
        "learning_today": totals["learning"],
        "reviews_today": storage.review_count(since=start),
        "reviews_total": storage.review_count(),
        "retention_30d": round(passed / total, 4) if total else None,
        "streak_days": streak,
        "suspended": cards["suspended"],
        "orphaned": cards["orphaned"],
        "forecast_30d": [
            {"date": (today + timedelta(days=i)).isoformat(), "due": n}
            for i, n in enumerate(forecast)
        ],
        "reviews_per_day_12w": [
            {"date": (first + timedelta(days=i)).isoformat(), "count": n}
            for i, n in enumerate(per_day)
        ],
        "retention_by_week": by_week,
        "by_topic": storage.counts(now),
        "accuracy_by_topic": _accuracy(storage.topic_accuracy()),
        "accuracy_by_step": _accuracy(storage.step_accuracy()),
        "leeches": [
            {"key": c.key, "topic": c.topic, "front": c.front, "lapses": c.lapses}
            for c in storage.leeches()
        ],
        "settings": {
            k: settings.to_dict()[k]
            for k in ("desired_retention", "new_per_day", "reviews_per_day")
        },
    }


__all__ = ["compute_stats"]
