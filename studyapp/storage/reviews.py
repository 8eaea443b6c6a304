"""Reviews: rating a card (one log row plus the card's new state), undoing the latest rating,
and a card's review history.

The review log is append-only (a trigger forbids updates) and only its latest row may be
deleted, which is what undo does. Each row keeps a snapshot of the card before and after (times
in ms), and in ``undo`` the siblings it buried with their previous ``buried_until``, so undo
restores everything exactly.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any, cast

from studyapp.core import scheduling as sch
from studyapp.core.revlog import LoggedReview
from studyapp.core.scheduling import Rating, ReviewOutcome, Settings, State
from studyapp.errors import UsageError
from studyapp.storage.rows import (
    CARD_BY_ID,
    CARD_BY_KEY,
    CardRow,
    RecordedReview,
    card_from_row,
    from_ms,
    to_ms,
)

# Everything undo must restore about a card, in the order the snapshots are written.
SNAPSHOT_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "suspended",
    "leech",
    "buried_until",
)

# New and review cards of the same entry wait until tomorrow (Anki buries them so one card does
# not give away another's answer the same day). ? = entry, the rated card's id, end of day.
SIBLINGS_TO_BURY = (
    "SELECT id, buried_until FROM cards WHERE entry_id = ? AND id <> ? AND orphaned = 0"
    " AND state IN (0, 2) AND (buried_until IS NULL OR buried_until < ?)"
)
BURY_BY_ID = "UPDATE cards SET buried_until=? WHERE id=?"
INSERT_LOG = (
    "INSERT INTO review_log (card_id, reviewed_at, rating, duration_ms, state_before,"
    " state_after, queue, due_after, undo) VALUES (?,?,?,?,?,?,?,?,?)"
)
SET_CARD_AFTER_REVIEW = (
    "UPDATE cards SET state=:state, step=:step, stability=:stability, difficulty=:difficulty,"
    " due=:due, last_review=:last_review, reps=:reps, lapses=:lapses, suspended=:suspended,"
    " leech=:leech, buried_until=NULL, updated=:updated WHERE id=:id"
)
LATEST_LOG = "SELECT id, card_id, state_before, undo FROM review_log ORDER BY id DESC LIMIT 1"
RESTORE_CARD = (
    "UPDATE cards SET state=:state, step=:step, stability=:stability, difficulty=:difficulty,"
    " due=:due, last_review=:last_review, reps=:reps, lapses=:lapses, suspended=:suspended,"
    " leech=:leech, buried_until=:buried_until WHERE id=:id"
)
DELETE_LOG = "DELETE FROM review_log WHERE id = ?"
# The whole log in the FSRS tools' columns; ``queue`` is the card's state before the review.
WHOLE_LOG = (
    "SELECT card_id, reviewed_at, rating, coalesce(queue, json_extract(state_before, '$.state')),"
    " duration_ms FROM review_log ORDER BY card_id, reviewed_at, id"
)
CARD_LOG = (
    "SELECT id, reviewed_at, rating, duration_ms, state_before, state_after FROM review_log"
    " WHERE card_id = ? ORDER BY id"
)


def parse_rating(rating: Rating | int) -> Rating:
    """The Rating of 1-4; UsageError (one line) for anything else."""
    try:
        return Rating(int(rating))
    except (ValueError, TypeError):
        raise UsageError(
            f"rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not {rating!r}"
        ) from None


def snapshot(row: sqlite3.Row) -> dict[str, Any]:
    """The SNAPSHOT_FIELDS of a card row, JSON-ready (times in ms)."""
    snap = {k: row[k] for k in SNAPSHOT_FIELDS}
    for k in ("state", "suspended", "leech"):
        snap[k] = int(snap[k])
    return snap


def snapshot_after(before: dict[str, Any], outcome: ReviewOutcome, now_ms: int) -> dict[str, Any]:
    """The card's snapshot after ``outcome``: a new leech is also suspended."""
    after = outcome.after
    return {
        **before,
        "state": int(after.state),
        "step": after.step,
        "stability": after.stability,
        "difficulty": after.difficulty,
        "due": to_ms(after.due),
        "last_review": now_ms,
        "reps": after.reps,
        "lapses": after.lapses,
        "suspended": 1 if outcome.became_leech else before["suspended"],
        "leech": 1 if outcome.became_leech else before["leech"],
    }


def duration_ms(duration_s: float | None) -> int | None:
    return None if duration_s is None else max(0, int(round(float(duration_s) * 1000)))


def record(
    c: sqlite3.Connection,
    card_key: str,
    rating: Rating,
    now: datetime,
    day_end: datetime,
    duration_s: float | None,
    settings: Settings,
) -> RecordedReview:
    """Rate the card (inside the caller's transaction): append the log row, update the card, bury
    its siblings until ``day_end``. UsageError for an unknown key."""
    row = c.execute(CARD_BY_KEY, (card_key,)).fetchone()
    if row is None:
        raise UsageError(f"no card with key {card_key!r}")
    card = card_from_row(row)
    outcome = sch.review(card.card_state, rating, now, settings, card.key)
    now_ms, end_ms = to_ms(now), to_ms(day_end)
    before = snapshot(row)
    after = snapshot_after(before, outcome, now_ms)
    siblings = c.execute(SIBLINGS_TO_BURY, (card.entry_id, card.id, end_ms)).fetchall()
    undo = {"siblings": [[s["id"], s["buried_until"]] for s in siblings]}
    log_row = (
        card.id,
        now_ms,
        int(rating),
        duration_ms(duration_s),
        json.dumps(before),
        json.dumps(after),
        int(card.state),  # the queue the card was in
        after["due"],
        json.dumps(undo),
    )
    log_id = cast(int, c.execute(INSERT_LOG, log_row).lastrowid)  # set by every INSERT
    c.execute(SET_CARD_AFTER_REVIEW, {**after, "updated": now_ms, "id": card.id})
    c.executemany(BURY_BY_ID, [(end_ms, s["id"]) for s in siblings])
    new_row = c.execute(CARD_BY_ID, (card.id,)).fetchone()
    return RecordedReview(log_id=log_id, card=card_from_row(new_row), outcome=outcome)


def undo_latest(c: sqlite3.Connection) -> CardRow | None:
    """Restore the card of the latest log row (and its buried siblings) exactly as they were and
    delete that row (inside the caller's transaction). None if the log is empty."""
    r = c.execute(LATEST_LOG).fetchone()
    if r is None:
        return None
    before = {"suspended": 0, "leech": 0, "buried_until": None, **json.loads(r["state_before"])}
    c.execute(RESTORE_CARD, {**before, "id": r["card_id"]})
    c.executemany(
        BURY_BY_ID, [(b, i) for i, b in json.loads(r["undo"] or "{}").get("siblings", [])]
    )
    c.execute(DELETE_LOG, (r["id"],))
    return card_from_row(c.execute(CARD_BY_ID, (r["card_id"],)).fetchone())


def history(conn: sqlite3.Connection, card_id: int) -> list[dict]:
    """The card's reviews, oldest first (see :meth:`Storage.card_history` for the keys)."""
    return [_history_entry(r) for r in conn.execute(CARD_LOG, (card_id,))]


def whole_log(conn: sqlite3.Connection) -> list[LoggedReview]:
    """Every review, by card then time (cards are never deleted, so card ids are stable)."""
    return [
        LoggedReview(card_id, at, rating, State(state), duration)
        for card_id, at, rating, state, duration in conn.execute(WHOLE_LOG)
    ]


def _history_entry(r: sqlite3.Row) -> dict:
    before, after = json.loads(r["state_before"]), json.loads(r["state_after"])
    return {
        "id": r["id"],
        "reviewed_at": from_ms(r["reviewed_at"]),
        "rating": r["rating"],
        "duration_s": None if r["duration_ms"] is None else r["duration_ms"] / 1000,
        "state_before": State(before["state"]).name.lower(),
        "state_after": State(after["state"]).name.lower(),
        "interval_days": (after["due"] - r["reviewed_at"]) / 86_400_000,
        "stability": after.get("stability"),
        "difficulty": after.get("difficulty"),
    }


__all__ = ["history", "parse_rating", "record", "undo_latest", "whole_log"]
