"""Study statistics (``studyapp stats`` and the TUI's stats screen) from the database.

All day-based figures use study days (Anki's "next day starts at" hour in the user's time zone).
The text report of these figures is :func:`studyapp.core.stats_report.render_text`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from studyapp.core import scheduling as sch
from studyapp.core.scheduling import Settings
from studyapp.core.streaks import streak_days
from studyapp.storage import Storage, from_ms, to_ms

FORECAST_DAYS = 30
HISTORY_DAYS = 84  # 12 weeks
HEATMAP_WEEKS = 26  # the calendar heatmap: about six months, whole weeks from a Monday
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
    "due"}} available today, as the dashboard shows them), reviews_per_day_26w (the calendar
    heatmap: {"date", "count"} per study day from the Monday 25 weeks before this week's to
    today), review_cards (cards in the Review state, whose reviews retention counts) and
    first_review_due (ISO time the first of them is due, None without any).
    """
    settings = storage.settings
    calendar = _Calendar(settings, storage.tz)
    today = calendar.day_of(now)
    start, _end = storage.day_bounds(now)
    cards = storage.card_count()
    totals = storage.totals(now)
    # Reviews per study day since the heatmap's first Monday, oldest first; the last 12 weeks
    # of them are the bar chart's, with the HISTORY_DAYS + 1 edges between their days.
    heat_first = today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    heat_days = (today - heat_first).days + 1
    per_day = storage.review_counts_between(calendar.starts(heat_first, heat_days + 1))
    first = today - timedelta(days=HISTORY_DAYS - 1)
    day_edges = calendar.starts(first, HISTORY_DAYS + 1)
    passed, total = storage.review_retention(now - timedelta(days=RETENTION_DAYS))
    review_cards, first_review_due = storage.review_state()
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
        "streak_days": _streak(storage, calendar, today),
        "suspended": cards["suspended"],
        "orphaned": cards["orphaned"],
        "forecast_30d": _forecast(storage, calendar, today),
        "reviews_per_day_12w": _dated(first, per_day[-HISTORY_DAYS:], "count"),
        "reviews_per_day_26w": _dated(heat_first, per_day, "count"),
        "review_cards": review_cards,
        "first_review_due": first_review_due.isoformat() if first_review_due else None,
        "retention_by_week": _retention_by_week(storage, first, day_edges),
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


@dataclass(frozen=True)
class _Calendar:
    """The study days of one database (its rollover hour and time zone)."""

    settings: Settings
    tz: tzinfo | None

    def day_of(self, now: datetime) -> date:
        return sch.study_day(now, self.settings, self.tz)

    def start(self, day: date) -> int:
        """UTC ms at which study day ``day`` starts (exact across DST changes)."""
        return to_ms(sch.day_start(day, self.settings, self.tz))

    def starts(self, first: date, n: int) -> list[int]:
        """The starts of ``n`` consecutive study days from ``first`` (UTC ms, ascending)."""
        return [self.start(first + timedelta(days=i)) for i in range(n)]


def _dated(first: date, values: list[int], name: str) -> list[dict]:
    """[{"date": first + i days, name: values[i]}] (ISO dates)."""
    return [
        {"date": (first + timedelta(days=i)).isoformat(), name: v} for i, v in enumerate(values)
    ]


def _forecast(storage: Storage, calendar: _Calendar, today: date) -> list[dict]:
    """Studied cards due on each of the next 30 study days (overdue cards counted today)."""
    edges = calendar.starts(today + timedelta(days=1), FORECAST_DAYS)
    forecast = [0] * FORECAST_DAYS
    for due_ms in storage.due_times():
        i = bisect.bisect_right(edges, due_ms)
        if i < FORECAST_DAYS:
            forecast[i] += 1
    return _dated(today, forecast, "due")


def _retention_by_week(storage: Storage, first: date, day_edges: list[int]) -> list[dict]:
    """Retention per week of the 12 (oldest first); weeks without reviews of mature cards are
    left out. ``day_edges``: the starts of the study days from ``first`` on (UTC ms)."""
    by_week = []
    for w in range(HISTORY_DAYS // 7):
        since, until = from_ms(day_edges[7 * w]), from_ms(day_edges[7 * (w + 1)])
        p, t = storage.review_retention(since, until=until)
        if t:
            by_week.append(
                {"date": (first + timedelta(days=7 * w)).isoformat(), "retention": round(p / t, 4)}
            )
    return by_week


def _streak(storage: Storage, calendar: _Calendar, today: date) -> int:
    """Walk back day by day while there was any review or attempt (indexed lookups)."""

    def studied_on(day: date) -> bool:
        return storage.studied_between(calendar.start(day), calendar.start(day + timedelta(days=1)))

    return streak_days(studied_on, today)


__all__ = ["compute_stats"]
