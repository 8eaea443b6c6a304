"""`studyapp stats`: contract JSON on a fresh data directory, text output, and the one-line
errors for a database that cannot be used (the file is never touched)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from studyapp.storage import SCHEMA_VERSION

CONTRACT = {
    "cards_total": int,
    "cards_new": int,
    "due_today": int,
    "reviews_today": int,
    "reviews_total": int,
    "streak_days": int,
}
EXTRA = [
    "forecast_30d",
    "reviews_per_day_12w",
    "retention_30d",
    "accuracy_by_topic",
    "accuracy_by_step",
    "leeches",
]


def _one_line_error(result, *needles: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_fresh_data_dir_creates_database_and_cards(cli, data_dir):
    from studyapp.core.cards import build_cards
    from studyapp.core.content import load_content

    expected_cards = len({c.key for c in build_cards(load_content())})
    result = cli("stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    for key, typ in CONTRACT.items():
        assert isinstance(stats[key], typ), key
    assert stats["retention_30d"] is None
    assert all(k in stats for k in EXTRA)
    assert stats["cards_total"] == stats["cards_new"] == expected_cards > 0
    assert stats["new_today"] == min(20, expected_cards)  # new cards available on the first day
    assert stats["due_today"] == stats["new_today"]  # all of today's study is new cards
    assert (
        stats["reviews_due_today"],
        stats["reviews_today"],
        stats["reviews_total"],
        stats["streak_days"],
    ) == (0, 0, 0, 0)
    assert len(stats["forecast_30d"]) == 30 and len(stats["reviews_per_day_12w"]) == 84
    assert (data_dir / "studyapp.db").is_file()
    again = json.loads(cli("stats", "--json").stdout)
    assert again["cards_total"] == expected_cards  # no duplicates on the second start


def test_reviews_show_up_in_stats_text_and_json(cli, data_dir):
    from studyapp.core.scheduling import Rating
    from studyapp.study.session import ReviewSession, open_study

    store = open_study()
    session = ReviewSession(store)
    session.rate(Rating.Good)
    store.record_attempt("quiz", "q-1", "losses", True, 4.0)
    store.record_attempt("exercise", "ex-1", "backprop", False, 30.0, step="delta_hidden")
    store.close()
    stats = json.loads(cli("stats", "--json").stdout)
    assert (stats["reviews_today"], stats["reviews_total"], stats["streak_days"]) == (1, 1, 1)
    assert stats["accuracy_by_topic"]["losses"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert stats["accuracy_by_step"]["delta_hidden"]["total"] == 1
    text = cli("stats")
    assert text.returncode == 0
    assert "1 reviewed" in text.stdout and "Streak       1 day" in text.stdout
    assert "δ of a hidden layer" in text.stdout


def test_corrupt_database_one_line_error_and_file_untouched(cli, data_dir):
    db = data_dir / "studyapp.db"
    junk = bytes(range(256)) * 64
    db.write_bytes(junk)
    line = _one_line_error(cli("stats", "--json"), str(db), "corrupt")
    assert "move it away" in line  # says what to do
    assert db.read_bytes() == junk
    assert not (data_dir / "backups").exists()


def test_truncated_database_is_refused(cli, data_dir):
    assert cli("stats").returncode == 0
    db = data_dir / "studyapp.db"
    for suffix in ("-wal", "-shm"):
        (data_dir / f"studyapp.db{suffix}").unlink(missing_ok=True)
    data = db.read_bytes()
    db.write_bytes(data[:100] + b"\xff" * 3000 + data[3100:])  # header kept, schema page trashed
    before = db.read_bytes()
    _one_line_error(cli("stats", "--json"), str(db))
    assert db.read_bytes() == before


def test_newer_database_one_line_error(cli, data_dir):
    db = data_dir / "studyapp.db"
    c = sqlite3.connect(db)
    c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    _one_line_error(cli("stats"), str(db), "newer")


@pytest.mark.slow
def test_locked_database_one_line_error(cli, data_dir):
    assert cli("stats").returncode == 0
    db = data_dir / "studyapp.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        _one_line_error(cli("stats", "--json"), str(db), "locked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
