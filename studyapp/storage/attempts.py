"""Quiz and exercise attempts: one row per answered question or exercise step, and the accuracy
queries over them (by topic, by exercise step type)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import cast

from studyapp.errors import UsageError
from studyapp.storage.rows import to_ms

ATTEMPT_KINDS = ("quiz", "exercise")

INSERT_ATTEMPT = (
    "INSERT INTO attempts (kind, question_id, topic, step, correct, seconds, hints, revealed, at)"
    " VALUES (?,?,?,?,?,?,?,?,?)"
)
# A NULL parameter leaves its filter out (:kind, :since in UTC ms).
ACCURACY_BY_TOPIC = (
    "SELECT topic, sum(correct), count(*) FROM attempts"
    " WHERE (:kind IS NULL OR kind = :kind) AND (:since IS NULL OR at >= :since)"
    " GROUP BY topic ORDER BY topic"
)
ACCURACY_BY_STEP = (
    "SELECT step, sum(correct), count(*) FROM attempts"
    " WHERE step IS NOT NULL AND (:since IS NULL OR at >= :since)"
    " GROUP BY step ORDER BY step"
)


def check_kind(kind: str) -> None:
    """UsageError (one line) unless ``kind`` is one of ATTEMPT_KINDS."""
    if kind not in ATTEMPT_KINDS:
        raise UsageError(f"attempt kind must be 'quiz' or 'exercise', not {kind!r}")


def insert_attempt(
    c: sqlite3.Connection,
    kind: str,
    question_id: str,
    topic: str,
    correct: bool,
    seconds: float | None,
    step: str | None,
    hints: int,
    revealed: bool,
    at: datetime,
) -> int:
    """Store one attempt (inside the caller's transaction); returns its id. UsageError for a
    kind other than "quiz" or "exercise"."""
    check_kind(kind)
    row = (
        kind,
        str(question_id),
        str(topic),
        step,
        int(bool(correct)),
        None if seconds is None else float(seconds),
        int(hints),
        int(bool(revealed)),
        to_ms(at),
    )
    return cast(int, c.execute(INSERT_ATTEMPT, row).lastrowid)  # set by every INSERT


def _since_ms(since: datetime | None) -> int | None:
    return to_ms(since) if since else None


def accuracy_by_topic(
    conn: sqlite3.Connection, kind: str | None, since: datetime | None
) -> dict[str, tuple[int, int]]:
    """{topic: (correct, total)} over attempts (of one kind if given, since a time if given)."""
    params = {"kind": kind or None, "since": _since_ms(since)}
    return {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(ACCURACY_BY_TOPIC, params)}


def accuracy_by_step(
    conn: sqlite3.Connection, since: datetime | None
) -> dict[str, tuple[int, int]]:
    """{exercise step type: (correct, total)} over attempts that name a step."""
    params = {"since": _since_ms(since)}
    return {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(ACCURACY_BY_STEP, params)}


__all__ = ["ATTEMPT_KINDS", "check_kind", "accuracy_by_step", "accuracy_by_topic", "insert_attempt"]
