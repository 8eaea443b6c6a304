"""Queue rules: which card to show next, how many are left today, and when the next ones come.

A card is available when it is not suspended, orphaned or buried. Queues are served in
:func:`studyapp.core.scheduling.queue_order` (Anki's order), for all decks or for one deck (a
topic). Named SQL parameters: ``:now``, ``:end`` (end of the study day), ``:ahead`` (now plus the
learn-ahead limit), UTC ms; ``:topic`` (NULL = every deck) and JSON lists of closed decks.

Daily limits work as in Anki's v3 scheduler: every deck limits its own cards (``new_per_day`` and
``reviews_per_day``, counting what was studied *from that deck* today), and the deck you study
enforces its limit on top. So all decks together get ``new_per_day`` new cards, and a deck studied
on its own shows what its own limit still allows - the number the dashboard shows on its row.
Custom study can raise today's limits of one deck or of all decks (:func:`extend_limits`); a raise
of all decks raises every deck's own limit too. All decks share one set of limits, so a deck's own
limit never allows fewer cards than the all-decks limit (it counts a part of the same cards), and
studying all decks needs only the all-decks limit.

Learning cards count (and are shown) once they are due within the learn-ahead limit, as Anki
counts them: a card rated Again joins the learning count at once, a card whose next step is an
hour away joins it when that hour is nearly over.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from studyapp.core import scheduling as sch
from studyapp.core.scheduling import Settings
from studyapp.storage.rows import SELECT_CARDS, CardRow, card_from_row, from_ms, to_ms

AVAILABLE = "suspended = 0 AND orphaned = 0 AND (buried_until IS NULL OR buried_until <= :now)"
IN_SCOPE = "(:topic IS NULL OR topic = :topic)"
LEARNING_DUE = "state IN (1, 3) AND due <= :ahead"

# New cards introduced and review-state cards reviewed since the day started, per deck.
DONE_TODAY = (
    "SELECT c.topic, coalesce(sum(l.queue = 0), 0), coalesce(sum(l.queue = 2), 0)"
    " FROM review_log l JOIN cards c ON c.id = l.card_id WHERE l.reviewed_at >= ? GROUP BY c.topic"
)
# Today's raised limits (custom study), per deck; topic '' means all decks.
EXTENSIONS = "SELECT topic, new, review FROM day_extensions WHERE day_start = ?"
ADD_EXTENSION = (
    "INSERT INTO day_extensions (day_start, topic, new, review) VALUES (?, ?, ?, ?)"
    " ON CONFLICT(day_start, topic) DO UPDATE SET new = new + excluded.new,"
    " review = review + excluded.review"
)

# One query per queue, each returning the first card of that queue. New cards are mixed across
# topics: round-robin by each card's position within its topic (new_rank, content order), so a
# day's 20 new cards are not all activations.
NEXT_IN_QUEUE = {
    "learning": f"{SELECT_CARDS} WHERE {AVAILABLE} AND {IN_SCOPE}"
    " AND state IN (1, 3) AND due <= :now ORDER BY due, id LIMIT 1",
    "review": f"{SELECT_CARDS} WHERE {AVAILABLE} AND {IN_SCOPE} AND state = 2 AND due < :end"
    " ORDER BY due, id LIMIT 1",
    "new": f"{SELECT_CARDS} WHERE state = 0 AND {AVAILABLE} AND {IN_SCOPE}"
    " ORDER BY new_rank, id LIMIT 1",
    "learn_ahead": f"{SELECT_CARDS} WHERE {AVAILABLE} AND {IN_SCOPE}"
    f" AND {LEARNING_DUE} ORDER BY due, id LIMIT 1",
}

# Available cards per (topic, state) that count today: every new card, (re)learning cards due
# within the learn-ahead limit, review cards due before the day ends. A count(*) over the covering
# partial index cards_available (MIGRATION_5), not sums of expressions over every row of the wide
# cards table: after importing 16,000 rows of notes that is 4 ms instead of 40.
COUNTS_BY_TOPIC_STATE = (
    f"SELECT topic, state, count(*) FROM cards WHERE {AVAILABLE}"
    f" AND (state = 0 OR (state = 2 AND due < :end) OR ({LEARNING_DUE}))"
    " GROUP BY topic, state"
)
# Every deck with a live card (even if all of them are suspended), from the index cards_tally.
LIVE_TOPICS = "SELECT DISTINCT topic FROM cards WHERE orphaned = 0"
# which count each state adds to
_COUNT_OF_STATE = {0: "new", 1: "learning", 3: "learning", 2: "due"}


def _uncapped_counts(
    conn: sqlite3.Connection, now: datetime, day: tuple[datetime, datetime]
) -> dict[str, dict[str, int]]:
    """{topic: {"new", "learning", "due"}} available today, before the daily limits; every deck
    with a live card appears, in name order."""
    out = {
        topic: {"new": 0, "learning": 0, "due": 0}
        for topic in sorted(r[0] for r in conn.execute(LIVE_TOPICS))
    }
    for topic, state, n in conn.execute(COUNTS_BY_TOPIC_STATE, _params(now, day, None)):
        count = _COUNT_OF_STATE.get(state)
        if count is not None:
            out.setdefault(topic, {"new": 0, "learning": 0, "due": 0})[count] += n
    return out


# When the next (re)learning card of the scope comes due (any time), and how many studied cards
# fall due before a time and new cards wait, ignoring today's burying (it ends with the day).
NEXT_LEARNING = (
    "SELECT min(due) FROM cards WHERE suspended = 0 AND orphaned = 0 AND state IN (1, 3)"
    f" AND {IN_SCOPE}"
)
DUE_BY = (
    "SELECT coalesce(sum(state <> 0 AND due < :until), 0), coalesce(sum(state = 0), 0)"
    f" FROM cards WHERE suspended = 0 AND orphaned = 0 AND {IN_SCOPE}"
)

# Custom study's "review ahead": review cards not due today but by :until, soonest first.
DUE_AHEAD = (
    f"{SELECT_CARDS} WHERE {AVAILABLE} AND {IN_SCOPE} AND state = 2 AND due >= :end"
    " AND due < :until ORDER BY due, id LIMIT :limit"
)
# Cards by key, for the fixed card sets of custom study (:keys is a JSON list).
CARDS_BY_KEYS = f"{SELECT_CARDS} WHERE key IN (SELECT value FROM json_each(:keys))"


@dataclass(frozen=True)
class Limits:
    """What today's limits still allow: ``new`` and ``review`` for all decks together, and per
    deck what its own limit allows (``by_topic``; a deck not listed studied nothing today and
    has no raised limit, so ``default`` applies)."""

    new: int
    review: int
    default: tuple[int, int]
    by_topic: dict[str, tuple[int, int]] = field(default_factory=dict)

    def of(self, topic: str | None) -> tuple[int, int]:
        """(new, review) the limits of deck ``topic`` (None: all decks) still allow."""
        if topic is None:
            return self.new, self.review
        return self.by_topic.get(topic, self.default)


def limits(conn: sqlite3.Connection, settings: Settings, day_start: datetime) -> Limits:
    """Today's :class:`Limits` (``day_start``: when the study day began, UTC).

    A raised limit of all decks raises every deck's own limit too, so that it takes effect.
    """
    start_ms = to_ms(day_start)
    done = {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(DONE_TODAY, (start_ms,))}
    extra = {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(EXTENSIONS, (start_ms,))}
    all_new, all_review = extra.pop("", (0, 0))

    def left(new_done: int, review_done: int, new_extra: int, review_extra: int):
        # A limit raised by n cards is the same as n fewer cards done.
        return sch.remaining_limits(settings, new_done - new_extra, review_done - review_extra)

    def own(topic: str) -> tuple[int, int]:
        e_new, e_review = extra.get(topic, (0, 0))
        return left(*done.get(topic, (0, 0)), all_new + e_new, all_review + e_review)

    new, review = left(
        sum(d[0] for d in done.values()), sum(d[1] for d in done.values()), all_new, all_review
    )
    return Limits(
        new=new,
        review=review,
        default=left(0, 0, all_new, all_review),
        by_topic={t: own(t) for t in set(done) | set(extra)},
    )


def extend_limits(
    conn: sqlite3.Connection, day_start: datetime, topic: str | None, new: int, review: int = 0
) -> None:
    """Raise today's limits of deck ``topic`` (None: all decks) by ``new`` and ``review`` cards
    (inside the caller's transaction); raises add up."""
    conn.execute(ADD_EXTENSION, (to_ms(day_start), topic or "", int(new), int(review)))


def _params(now: datetime, day: tuple[datetime, datetime], topic: str | None) -> dict:
    return {
        "now": to_ms(now),
        "end": to_ms(day[1]),
        "ahead": to_ms(now + sch.LEARN_AHEAD),
        "topic": topic,
    }


def next_card(
    conn: sqlite3.Connection,
    settings: Settings,
    now: datetime,
    day: tuple[datetime, datetime],
    topic: str | None = None,
) -> CardRow | None:
    """The first card of the first non-empty open queue of deck ``topic`` (None: all decks), or
    None. ``day``: (start, end) of the study day. A queue is closed once the studied deck's limit
    is reached."""
    new_left, review_left = limits(conn, settings, day[0]).of(topic)
    params = _params(now, day, topic)
    closed = {"review": review_left <= 0, "new": new_left <= 0}
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
    """{topic: {"new", "learning", "due"}} for today: what studying that deck alone would show,
    new and due each capped by the deck's own limit."""
    lim = limits(conn, settings, day[0])
    out = {}
    for topic, c in _uncapped_counts(conn, now, day).items():
        new_left, review_left = lim.of(topic)
        out[topic] = {
            "new": min(c["new"], new_left),
            "learning": c["learning"],
            "due": min(c["due"], review_left),
        }
    return out


def totals(
    conn: sqlite3.Connection,
    settings: Settings,
    now: datetime,
    day: tuple[datetime, datetime],
    topic: str | None = None,
) -> dict[str, int]:
    """{"new", "learning", "due"} for today of deck ``topic``, or of all decks (None), within the
    limits that studying it applies."""
    new_left, review_left = limits(conn, settings, day[0]).of(topic)
    counts = _uncapped_counts(conn, now, day)
    decks = [counts.get(topic, {})] if topic is not None else list(counts.values())
    new, learning, due = (sum(c.get(k, 0) for c in decks) for k in ("new", "learning", "due"))
    return {"new": min(new, new_left), "learning": learning, "due": min(due, review_left)}


def due_ahead(
    conn: sqlite3.Connection,
    now: datetime,
    day: tuple[datetime, datetime],
    until: datetime,
    topic: str | None,
    limit: int,
) -> list[CardRow]:
    """Available review cards of deck ``topic`` (None: all) due after today but before ``until``
    (UTC), soonest first, at most ``limit``."""
    params = {**_params(now, day, topic), "until": to_ms(until), "limit": int(limit)}
    return [card_from_row(r) for r in conn.execute(DUE_AHEAD, params)]


def cards_by_keys(conn: sqlite3.Connection, keys: list[str]) -> dict[str, CardRow]:
    """{key: card} of the given keys that exist."""
    rows = conn.execute(CARDS_BY_KEYS, {"keys": json.dumps(list(keys))})
    return {r["key"]: card_from_row(r) for r in rows}


@dataclass(frozen=True)
class Outlook:
    """What comes after today's cards: the next (re)learning card's due time (None if no card is
    in learning), and the next study day's studied cards due and new cards (within the limits)."""

    next_learning: datetime | None
    tomorrow_due: int
    tomorrow_new: int


def outlook(
    conn: sqlite3.Connection,
    settings: Settings,
    day: tuple[datetime, datetime],
    next_day_end: datetime,
    topic: str | None = None,
) -> Outlook:
    """The :class:`Outlook` of deck ``topic`` (None: all decks); ``day``: today's (start, end),
    ``next_day_end``: when the next study day ends (UTC)."""
    params = {"topic": topic, "until": to_ms(next_day_end)}
    next_ms = conn.execute(NEXT_LEARNING, params).fetchone()[0]
    due, new = conn.execute(DUE_BY, params).fetchone()
    return Outlook(
        next_learning=from_ms(next_ms),
        tomorrow_due=min(int(due), settings.reviews_per_day),
        tomorrow_new=min(int(new), settings.new_per_day),
    )


__all__ = [
    "AVAILABLE",
    "Limits",
    "Outlook",
    "cards_by_keys",
    "counts_by_topic",
    "due_ahead",
    "extend_limits",
    "limits",
    "next_card",
    "outlook",
    "totals",
]
