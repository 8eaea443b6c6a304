"""Commands that only read work on a database they cannot write: `quiz` (its history) and
`stats` open it read-only (``mode=ro``; ``immutable`` where not even a ``-shm`` can be made)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from studyapp.errors import DataError
from studyapp.storage import Storage
from tests.faults.conftest import remount_read_only

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def test_quiz_and_stats_on_a_read_only_file_system(studyapp, monkeypatch, tmpfs):
    disk = tmpfs("ro", size="8m")
    monkeypatch.setenv("STUDYAPP_DATA_DIR", str(disk))
    assert studyapp("stats", "--json").code == 0  # creates the database and its cards
    with Storage.open(disk / "studyapp.db", backup=False) as s:
        s.record_attempt("quiz", "q1", "losses", False, 3.0)
    remount_read_only(disk)
    quiz = studyapp("quiz", "--count", "3", "--seed", "5", "--format", "json")
    assert quiz.code == 0 and len(json.loads(quiz.out)["questions"]) == 3, quiz.err
    stats = studyapp("stats", "--json")
    assert stats.code == 0, stats.err
    assert json.loads(stats.out)["accuracy_by_topic"]["losses"]["total"] == 1
    assert stats.err.startswith("studyapp stats: note:") and "cannot be written" in stats.err
    line = studyapp("review").one_error_line()  # reviewing writes: one line, not a traceback
    assert "read-only file system" in line


def test_a_read_only_storage_reads_and_refuses_every_write(tmp_path):
    db = tmp_path / "studyapp.db"
    with Storage.open(db, tz=UTC, now=NOW) as s:
        s.record_attempt("quiz", "q1", "losses", True, 1.0)
    before = db.read_bytes()
    with Storage.open(db, read_only=True) as s:
        assert s.read_only and s.topic_accuracy() == {"losses": (1, 1)}
        with pytest.raises(DataError, match="cannot write the database"):
            s.record_attempt("quiz", "q2", "losses", True, 1.0)
    # no backup, no upgrade, no change (SQLite may leave an empty -wal and its -shm)
    assert db.read_bytes() == before and not (tmp_path / "backups").exists()
    with pytest.raises(DataError, match="no database here yet"):
        Storage.open(tmp_path / "missing.db", read_only=True)
