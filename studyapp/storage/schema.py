"""The schema: migrations keyed by ``PRAGMA user_version``, and the checks made on opening.

Each migration is a list of statements run in one transaction together with the version bump, so
a crash mid-migration leaves the previous version intact. Never edit a released migration: add a
new one (tests/test_storage_migrations.py keeps a frozen copy of v1 and checks that it upgrades).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from studyapp.errors import DataError

MIGRATION_1 = [
    """CREATE TABLE cards (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        entry_id TEXT NOT NULL,
        template TEXT NOT NULL,
        topic TEXT NOT NULL,
        deck TEXT NOT NULL,
        front TEXT NOT NULL,
        back TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        state INTEGER NOT NULL DEFAULT 0,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due INTEGER NOT NULL,
        last_review INTEGER,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL
    )""",
    """CREATE TABLE review_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        card_id INTEGER NOT NULL REFERENCES cards(id),
        reviewed_at INTEGER NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        duration_ms INTEGER,
        state_before TEXT NOT NULL,
        state_after TEXT NOT NULL
    )""",
    "CREATE INDEX review_log_time ON review_log(reviewed_at)",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

MIGRATION_2 = [
    # Anki habits and orphans.
    "ALTER TABLE cards ADD COLUMN buried_until INTEGER",
    "ALTER TABLE cards ADD COLUMN leech INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cards ADD COLUMN orphaned INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cards ADD COLUMN updated INTEGER",
    # Denormalised columns of the log so the daily-limit and stats queries need no JSON parsing.
    "ALTER TABLE review_log ADD COLUMN queue INTEGER",
    "ALTER TABLE review_log ADD COLUMN due_after INTEGER",
    "ALTER TABLE review_log ADD COLUMN undo TEXT",
    "UPDATE review_log SET queue = json_extract(state_before, '$.state'),"
    " due_after = json_extract(state_after, '$.due')",
    "UPDATE cards SET updated = created",
    """CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('quiz', 'exercise')),
        question_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        step TEXT,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        seconds REAL,
        hints INTEGER NOT NULL DEFAULT 0,
        revealed INTEGER NOT NULL DEFAULT 0,
        at INTEGER NOT NULL
    )""",
    "CREATE INDEX attempts_topic ON attempts(topic)",
    "CREATE INDEX attempts_step ON attempts(step) WHERE step IS NOT NULL",
    "CREATE INDEX review_log_card ON review_log(card_id, id)",
    "CREATE INDEX cards_queue ON cards(state, due) WHERE suspended = 0 AND orphaned = 0",
    "CREATE INDEX cards_entry ON cards(entry_id)",
    """CREATE TRIGGER review_log_append_only BEFORE UPDATE ON review_log
       BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
    """CREATE TRIGGER review_log_undo_last_only BEFORE DELETE ON review_log
       WHEN old.id <> (SELECT max(id) FROM review_log)
       BEGIN SELECT RAISE(ABORT, 'only the latest review can be undone'); END""",
    """CREATE TRIGGER cards_never_deleted BEFORE DELETE ON cards
       BEGIN SELECT RAISE(ABORT, 'cards are never deleted (they become orphaned)'); END""",
]

# Position of a card within its topic (content order), so the new-card queue can mix topics
# round-robin through an index instead of ranking every card on every call.
RANK_NEW_CARDS = (
    "UPDATE cards SET new_rank = (SELECT r.rn FROM (SELECT id AS rid, row_number() OVER"
    " (PARTITION BY topic ORDER BY id) AS rn FROM cards) AS r WHERE r.rid = cards.id)"
)

MIGRATION_3 = [
    "ALTER TABLE cards ADD COLUMN new_rank INTEGER NOT NULL DEFAULT 0",
    RANK_NEW_CARDS,
    "CREATE INDEX cards_new ON cards(new_rank, id) WHERE state = 0 AND suspended = 0 AND orphaned = 0",
    "CREATE INDEX attempts_time ON attempts(at)",  # the streak looks up days of attempts too
]

MIGRATION_4 = [
    # Anki's flags: 0 none, 1 red, 2 orange, 3 green, 4 blue (studyapp.core.flags).
    "ALTER TABLE cards ADD COLUMN flag INTEGER NOT NULL DEFAULT 0 CHECK (flag BETWEEN 0 AND 4)",
    "CREATE INDEX cards_flag ON cards(flag) WHERE flag > 0",
    # Custom study's raised limits for one study day (day_start, UTC ms) and deck ('' = all).
    """CREATE TABLE day_extensions (
        day_start INTEGER NOT NULL,
        topic TEXT NOT NULL,
        new INTEGER NOT NULL DEFAULT 0,
        review INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day_start, topic)
    )""",
    # Facts about the database itself, e.g. the content fingerprint of the last card sync.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

MIGRATION_5 = [
    # Narrow covering indexes for the counts the dashboard and stats show on every open, so they
    # stay milliseconds with tens of thousands of imported cards (queue.COUNTS_BY_TOPIC_STATE,
    # stats_queries.CARD_TALLY).
    "CREATE INDEX cards_available ON cards(topic, state, due, buried_until, suspended, orphaned)"
    " WHERE suspended = 0 AND orphaned = 0",
    "CREATE INDEX cards_tally ON cards(state, suspended, leech, orphaned, topic)",
]

MIGRATIONS: list[list[str]] = [MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, MIGRATION_5]
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version written in the file (0 for a new, empty file)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check_version(conn: sqlite3.Connection, path: Path, existed: bool) -> int:
    """The file's schema version, once it is known to be a studyapp database this version can use.

    Reading ``sqlite_master`` makes SQLite read the header (a file that is not a database fails
    here). Raises DataError for a newer schema, or a file with tables but no version (not ours).
    """
    version = user_version(conn)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    if version > SCHEMA_VERSION:
        raise DataError(
            f"{path}: database was written by a newer studyapp (schema v{version}, this "
            f"version knows v{SCHEMA_VERSION}); upgrade studyapp or set STUDYAPP_DATA_DIR "
            "to another directory"
        )
    if version == 0 and existed and _has_tables(conn):
        raise DataError(
            f"{path}: is not a studyapp database (unknown tables); it was "
            "left untouched: move it away or set STUDYAPP_DATA_DIR"
        )
    return version


def _has_tables(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone()
        is not None
    )


def migrate(
    conn: sqlite3.Connection,
    version: int,
    transaction: Callable[[], AbstractContextManager[object]],
    target: int = SCHEMA_VERSION,
) -> None:
    """Run the migrations after ``version`` up to ``target``, each in its own ``transaction()``.

    The version is read again inside each transaction: another process may have migrated meanwhile.
    """
    for number in range(version + 1, target + 1):
        with transaction():
            if user_version(conn) >= number:
                continue
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")


__all__ = [
    "MIGRATIONS",
    "MIGRATION_1",
    "MIGRATION_2",
    "MIGRATION_3",
    "MIGRATION_4",
    "MIGRATION_5",
    "RANK_NEW_CARDS",
    "SCHEMA_VERSION",
    "check_version",
    "migrate",
    "user_version",
]
