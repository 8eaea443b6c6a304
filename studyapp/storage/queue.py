"""Queue rules: which card to show next, and how many are left today.

A card is available when it is not suspended, orphaned or buried. Queues are served in
:func:`studyapp.core.scheduling.queue_order` (Anki's order); the daily limits count the new and
review cards already done since the study day started. Named parameters: ``:now``, ``:end``
(end of the study day) and ``:ahead`` (now plus the learn-ahead limit), UTC ms.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from studyapp.core import scheduling as sch
from studyapp.core.scheduling import Settings
from studyapp.storage.rows import SELECT_CARDS, CardRow, card_from_row, to_ms

AVAILABLE = "suspended = 0 AND orphaned = 0 AND (buried_until IS NULL OR buried_until <= :now)"

# New cards introduced and review-state cards reviewed since the day started (? = its start).
DONE_TODAY = (
    "SELECT coalesce(sum(queue = 0), 0), coalesce(sum(queue = 2), 0) FROM review_log"
    " WHERE reviewed_at >= ?"
)

# One query per queue, each returning the first card of that queue. New cards are mixed across
# topics: round-robin by each card's position within its topic (new_rank, content order), so a
# day's 20 new cards are not all activations.
NEXT_IN_QUEUE = {
    "learning": f"{SELECT_CARDS} WHERE {AVAILABLE}"
    " AND state IN (1, 3) AND due <= :now ORDER BY due, id LIMIT 1",
    "review": f"{SELECT_CARDS} WHERE {AVAILABLE} AND state = 2 AND due < :end ORDER BY due, id LIMIT 1",
    "new": f"{SELECT_CARDS} WHERE state = 0 AND {AVAILABLE} ORDER BY new_rank, id LIMIT 1",
    "learn_ahead": f"{SELECT_CARDS} WHERE {AVAILABLE}"
    " AND state IN (1, 3) AND due <= :ahead ORDER BY due, id LIMIT 1",
}

# Available cards per (topic, state) that count today: every new card, and (re)learning and
# review cards due before the day ends. A count(*) over the covering partial index
# cards_available (MIGRATION_4), not a sum of expressions over every row of the wide cards table:
# after importing 16,000 rows of notes that is 4 ms instead of 40.
COUNTS_BY_TOPIC_STATE = (
    f"SELECT topic, state, count(*) FROM cards WHERE {AVAILABLE}"
    " AND (state = 0 OR due < :end) GROUP BY topic, state"
)
# Every topic with a live card (even if all of them are suspended), from cards_tally.
LIVE_TOPICS = "SELECT DISTINCT topic FROM cards WHERE orphaned = 0"
# which count each state adds to
_QUEUE_OF_STATE = {0: "new", 1: "learning", 3: "learning", 2: "due"}


def _uncapped_counts(
    conn: sqlite3.Connection, now: datetime, day_end: datetime
) -> dict[str, dict[str, int]]:
    """{topic: {"new", "learning", "due"}} available today, before the daily limits; every topic
    with a live card appears, in name order."""
    out = {
        topic: {"new": 0, "learning": 0, "due": 0}
        for topic in sorted(r[0] for r in conn.execute(LIVE_TOPICS))
    }
    params = {"now": to_ms(now), "end": to_ms(day_end)}
    for topic, state, n in conn.execute(COUNTS_BY_TOPIC_STATE, params):
        queue = _QUEUE_OF_STATE.get(state)
        if queue is not None:
            out.setdefault(topic, {"new": 0, "learning": 0, "due": 0})[queue] += n
    return out


def remaining_limits(
    conn: sqlite3.Connection, settings: Settings, day_start: datetime
) -> tuple[int, int]:
    """(new cards, review cards) the daily limits still allow today."""
    r = conn.execute(DONE_TODAY, (to_ms(day_start),)).fetchone()
    return sch.remaining_limits(settings, int(r[0]), int(r[1]))


def next_card(
    conn: sqlite3.Connection, settings: Settings, now: datetime, day: tuple[datetime, datetime]
) -> CardRow | None:
    """The first card of the first non-empty open queue, or None. ``day``: (start, end) of the
    study day; the review and new queues are closed once their daily limit is reached."""
    new_left, rev_left = remaining_limits(conn, settings, day[0])
    closed = {"review": rev_left <= 0, "new": new_left <= 0}
    params = {"now": to_ms(now), "end": to_ms(day[1]), "ahead": to_ms(now + sch.LEARN_AHEAD)}
    for queue in sch.queue_order():
        if closed.get(queue):
            continue
        row = conn.execute(NEXT_IN_QUEUE[queue], params).fetchone()
        if row is not None:
            return card_from_row(row)
    return None


def counts_by_topic(
    conn: sqlite3.Connection, settings: Settings, now: datetime, day: tuple[datetime, datetime]
) -> dict[str, dict[str, int]]:
    """{topic: {"new", "learning", "due"}} for today, new and due each capped by its limit."""
    new_left, rev_left = remaining_limits(conn, settings, day[0])
    return {
        topic: {
            "new": min(c["new"], new_left),
            "learning": c["learning"],
            "due": min(c["due"], rev_left),
        }
        for topic, c in _uncapped_counts(conn, now, day[1]).items()
    }


def totals(
    conn: sqlite3.Connection, settings: Settings, now: datetime, day: tuple[datetime, datetime]
) -> dict[str, int]:
    """Overall {"new", "learning", "due"} for today, with the daily limits applied once."""
    new_left, rev_left = remaining_limits(conn, settings, day[0])
    per_topic = _uncapped_counts(conn, now, day[1]).values()
    new, learning, due = (sum(c[k] for c in per_topic) for k in ("new", "learning", "due"))
    return {"new": min(new, new_left), "learning": learning, "due": min(due, rev_left)}


__all__ = ["AVAILABLE", "counts_by_topic", "next_card", "remaining_limits", "totals"]
