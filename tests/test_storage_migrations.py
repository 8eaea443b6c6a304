"""Schema migrations by PRAGMA user_version: a v1 database (frozen copy of the first released
schema, with data) upgrades to the current version without losing anything."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from studyapp.core.scheduling import Rating, State
from studyapp.errors import DataError
from studyapp.storage import SCHEMA_VERSION, Storage, to_ms
from studyapp.storage import schema as storage_mod

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)

# Frozen: the v1 schema exactly as the first release wrote it. Do not "fix" this to match the code.
V1_SCHEMA = """
CREATE TABLE cards (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, entry_id TEXT NOT NULL, template TEXT NOT NULL,
    topic TEXT NOT NULL, deck TEXT NOT NULL, front TEXT NOT NULL, back TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]', state INTEGER NOT NULL DEFAULT 0, step INTEGER, stability REAL,
    difficulty REAL, due INTEGER NOT NULL, last_review INTEGER, reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0, suspended INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL
);
CREATE TABLE review_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, card_id INTEGER NOT NULL REFERENCES cards(id),
    reviewed_at INTEGER NOT NULL, rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms INTEGER, state_before TEXT NOT NULL, state_after TEXT NOT NULL
);
CREATE INDEX review_log_time ON review_log(reviewed_at);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
PRAGMA user_version = 1;
"""


def make_v1(path) -> dict:
    """A v1 database with two cards, one reviewed twice, a suspended one, and a setting."""
    c = sqlite3.connect(path)
    c.executescript(V1_SCHEMA)
    t0 = to_ms(T0)
    due_after = to_ms(T0 + timedelta(days=3))
    c.execute(
        "INSERT INTO cards VALUES (1, 'act.relu::formula', 'act.relu', 'formula', 'activations',"
        " 'Deep Learning::Activations', 'ReLU?', 'max(0, z)', '[\"activations\"]', 2, NULL, 3.2, 5.1,"
        " ?, ?, 2, 0, 0, ?)",
        (due_after, t0 + 600_000, t0),
    )
    c.execute(
        "INSERT INTO cards VALUES (2, 'loss.mse::formula', 'loss.mse', 'formula', 'losses',"
        " 'Deep Learning::Losses', 'MSE?', 'mean sq', '[]', 0, NULL, NULL, NULL, ?, NULL, 0, 0, 1, ?)",
        (t0, t0),
    )
    new = {
        "state": 0,
        "step": None,
        "stability": None,
        "difficulty": None,
        "due": t0,
        "last_review": None,
        "reps": 0,
        "lapses": 0,
    }
    learning = {
        "state": 1,
        "step": 1,
        "stability": 2.3,
        "difficulty": 5.0,
        "due": t0 + 600_000,
        "last_review": t0,
        "reps": 1,
        "lapses": 0,
    }
    review = {
        "state": 2,
        "step": None,
        "stability": 3.2,
        "difficulty": 5.1,
        "due": due_after,
        "last_review": t0 + 600_000,
        "reps": 2,
        "lapses": 0,
    }
    c.execute(
        "INSERT INTO review_log (card_id, reviewed_at, rating, duration_ms, state_before, state_after)"
        " VALUES (1, ?, 3, 4000, ?, ?)",
        (t0, json.dumps(new), json.dumps(learning)),
    )
    c.execute(
        "INSERT INTO review_log (card_id, reviewed_at, rating, duration_ms, state_before, state_after)"
        " VALUES (1, ?, 3, 2500, ?, ?)",
        (t0 + 600_000, json.dumps(learning), json.dumps(review)),
    )
    c.execute("INSERT INTO settings VALUES ('new_per_day', '7')")
    c.commit()
    c.close()
    return {"due_after": due_after, "learning": learning}


def test_v1_database_upgrades_cleanly(tmp_path):
    db = tmp_path / "studyapp.db"
    v1 = make_v1(db)
    s = Storage.open(db, tz=UTC, now=T0 + timedelta(days=4))
    assert s.schema_version == SCHEMA_VERSION >= 2
    assert s.integrity_check() == "ok"
    # Cards and flags survive; new columns get their defaults.
    relu = s.get_card("act.relu::formula")
    assert (relu.state, relu.reps, relu.stability, relu.due) == (
        State.Review,
        2,
        3.2,
        T0 + timedelta(days=3),
    )
    assert not relu.leech and not relu.orphaned and relu.buried_until is None
    assert relu.flag == 0 and s.synced_fingerprint() is None  # v4: flags and the meta table
    assert s.get_card("loss.mse::formula").suspended
    assert s.get_settings()["new_per_day"] == 7
    ranks = dict(s._conn.execute("SELECT key, new_rank FROM cards").fetchall())
    assert ranks == {"act.relu::formula": 1, "loss.mse::formula": 1}  # first of their topics
    # The log is intact and its new columns were filled from the JSON snapshots.
    rows = s._conn.execute("SELECT queue, due_after FROM review_log ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(0, v1["learning"]["due"]), (1, v1["due_after"])]
    assert [h["rating"] for h in s.card_history("act.relu::formula")] == [3, 3]
    # The upgraded database works: the due card is served, reviewed, undone, and a v1 row undone too.
    now = T0 + timedelta(days=4)
    assert s.next_card(now).key == "act.relu::formula"
    s.record_review("act.relu::formula", Rating.Good, now)
    s.undo_last_review()
    assert s.get_card("act.relu::formula") == relu
    restored = s.undo_last_review()  # the v1 row has no undo column data: still restores the card
    assert restored.state == State.Learning and restored.reps == 1
    # Append-only protection applies to migrated rows as well.
    with pytest.raises(sqlite3.DatabaseError):
        s._conn.execute("UPDATE review_log SET rating = 1")
    s.close()
    # A backup of the v1 file was taken before migrating.
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1
    b = sqlite3.connect(backups[0])
    assert b.execute("PRAGMA user_version").fetchone()[0] == 1
    b.close()


def test_a_failing_migration_leaves_the_previous_version_intact(tmp_path, monkeypatch):
    db = tmp_path / "studyapp.db"
    make_v1(db)
    broken = [*storage_mod.MIGRATION_2[:3], "THIS IS NOT SQL"]
    monkeypatch.setattr(storage_mod, "MIGRATIONS", [storage_mod.MIGRATION_1, broken])
    with pytest.raises(DataError, match=str(db).replace("\\", "\\\\")):
        Storage.open(db, tz=UTC, now=T0)
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = {r[1] for r in c.execute("PRAGMA table_info(cards)")}
    assert "buried_until" not in columns  # the half-done migration was rolled back
    assert c.execute("SELECT count(*) FROM review_log").fetchone()[0] == 2
    c.close()
    monkeypatch.undo()
    s = Storage.open(db, tz=UTC, now=T0)
    assert s.schema_version == SCHEMA_VERSION
    s.close()


def test_migrations_list_matches_schema_version():
    assert len(storage_mod.MIGRATIONS) == SCHEMA_VERSION
    # v1 in the code is still the frozen v1 (same tables and columns).
    a, b = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    a.executescript(V1_SCHEMA)
    for stmt in storage_mod.MIGRATION_1:
        b.execute(stmt)
    cols = lambda c, t: [r[1] for r in c.execute(f"PRAGMA table_info({t})")]  # noqa: E731
    for table in ("cards", "review_log", "settings"):
        assert cols(a, table) == cols(b, table)
