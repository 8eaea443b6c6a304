"""The queries behind the statistics (:mod:`studyapp.study.stats`): review times and counts,
retention, study days, due dates, card counts, leeches. Times are UTC ms, ranges half-open
[start, end); each is one indexed query."""

from __future__ import annotations

import sqlite3

from studyapp.storage.rows import SELECT_CARDS, CardRow, card_from_row

REVIEW_TIMES = "SELECT reviewed_at FROM review_log ORDER BY id"
REVIEW_TIMES_SINCE = (
    "SELECT reviewed_at FROM review_log WHERE reviewed_at >= ? ORDER BY reviewed_at"
)
REVIEWS_BETWEEN = "SELECT count(*) FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ?"
STUDIED_BETWEEN = (
    "SELECT EXISTS (SELECT 1 FROM review_log WHERE reviewed_at >= :a AND reviewed_at < :b)"
    " OR EXISTS (SELECT 1 FROM attempts WHERE at >= :a AND at < :b)"
)
ATTEMPT_TIMES = "SELECT at FROM attempts"
# Cards that have been studied and are still live (not new, suspended or orphaned).
DUE_TIMES = "SELECT due FROM cards WHERE state <> 0 AND suspended = 0 AND orphaned = 0"
# Reviews of cards in the Review state (queue 2); rating >= Hard passes.
RETENTION_BETWEEN = (
    "SELECT coalesce(sum(rating >= 2), 0), count(*) FROM review_log WHERE queue = 2"
    " AND reviewed_at >= ? AND reviewed_at < ?"
)
# Cards in the Review state (live, not suspended): how many, and when the first comes due.
REVIEW_STATE = (
    "SELECT count(*), min(due) FROM cards WHERE state = 2 AND suspended = 0 AND orphaned = 0"
)
REVIEW_COUNT = "SELECT count(*) FROM review_log"
REVIEW_COUNT_SINCE = "SELECT count(*) FROM review_log WHERE reviewed_at >= ?"
# Cards per (state, suspended, leech, orphaned), a count(*) over the covering index cards_tally.
CARD_TALLY = "SELECT state, suspended, leech, orphaned, count(*) FROM cards GROUP BY 1, 2, 3, 4"
LEECHES = f"{SELECT_CARDS} WHERE leech = 1 AND orphaned = 0 ORDER BY lapses DESC, id"

# Later than any time stored: the open end of a range.
END_OF_TIME_MS = 2**62


def column(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[int]:
    """The first column of every row of ``sql``."""
    return [r[0] for r in conn.execute(sql, params)]


def scalar(conn: sqlite3.Connection, sql: str, params: tuple | dict = ()) -> int:
    """The first column of the first row of ``sql``."""
    return conn.execute(sql, params).fetchone()[0]


def review_times(conn: sqlite3.Connection, since_ms: int | None) -> list[int]:
    if since_ms is None:
        return column(conn, REVIEW_TIMES)
    return column(conn, REVIEW_TIMES_SINCE, (since_ms,))


def review_counts_between(conn: sqlite3.Connection, edges_ms: list[int]) -> list[int]:
    return [
        scalar(conn, REVIEWS_BETWEEN, (a, b)) for a, b in zip(edges_ms, edges_ms[1:], strict=False)
    ]


def studied_between(conn: sqlite3.Connection, start_ms: int, end_ms: int) -> bool:
    return scalar(conn, STUDIED_BETWEEN, {"a": start_ms, "b": end_ms}) == 1


def review_retention(
    conn: sqlite3.Connection, since_ms: int, until_ms: int | None
) -> tuple[int, int]:
    r = conn.execute(
        RETENTION_BETWEEN, (since_ms, END_OF_TIME_MS if until_ms is None else until_ms)
    ).fetchone()
    return int(r[0]), int(r[1])


def review_count(conn: sqlite3.Connection, since_ms: int | None) -> int:
    if since_ms is None:
        return scalar(conn, REVIEW_COUNT)
    return scalar(conn, REVIEW_COUNT_SINCE, (since_ms,))


def card_count(conn: sqlite3.Connection) -> dict[str, int]:
    """{"total", "new", "suspended", "leech"} (all without orphans) and "orphaned"."""
    out = dict.fromkeys(("total", "new", "suspended", "leech", "orphaned"), 0)
    for state, suspended, leech, orphaned, n in conn.execute(CARD_TALLY):
        if orphaned:
            out["orphaned"] += n
            continue
        out["total"] += n
        out["new"] += n if state == 0 else 0
        out["suspended"] += n if suspended else 0
        out["leech"] += n if leech else 0
    return out


def review_state(conn: sqlite3.Connection) -> tuple[int, int | None]:
    count, first_due = conn.execute(REVIEW_STATE).fetchone()
    return int(count), first_due


def leeches(conn: sqlite3.Connection) -> list[CardRow]:
    return [card_from_row(r) for r in conn.execute(LEECHES)]


__all__ = [
    "ATTEMPT_TIMES",
    "DUE_TIMES",
    "card_count",
    "column",
    "leeches",
    "review_count",
    "review_counts_between",
    "review_retention",
    "review_state",
    "review_times",
    "scalar",
    "studied_between",
]
