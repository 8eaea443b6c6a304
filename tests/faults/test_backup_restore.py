"""`studyapp backup list|restore`, and damage noticed at every open.

The trap the restore avoids: a database killed while open leaves a ``-wal`` with committed
changes; copying a backup over the file by hand lets SQLite replay that ``-wal`` onto it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyapp.core.cards import CardSpec
from studyapp.errors import DataError
from studyapp.storage import Storage
from tests.conftest import REPO

T0 = datetime(2026, 4, 6, 9, 0, tzinfo=UTC)
SPECS = [CardSpec.plain(f"k{i}", f"e{i}", "t", "terms", "D", f"q{i}", "a", []) for i in range(12)]

# Reviews 3 cards, then dies without closing: its -wal (3 committed reviews) stays beside the file.
CRASH = """
import os, sys
from datetime import datetime, timedelta, timezone
from studyapp.storage import Storage
s = Storage.open(sys.argv[1], tz=timezone.utc, now=datetime(2026, 4, 9, tzinfo=timezone.utc))
s._conn.execute("PRAGMA wal_autocheckpoint = 0")
for i in range(3):
    s.record_review(f"k{i}", 3, datetime(2026, 4, 9, tzinfo=timezone.utc) + timedelta(minutes=i))
os._exit(0)
"""


def _history(data_dir: Path) -> Path:
    """A database with a backup on each of 3 days (1, 2, 3 reviews), then 3 more reviews left in
    a -wal by a crash."""
    db = data_dir / "studyapp.db"
    for day in range(3):
        with Storage.open(db, tz=UTC, now=T0 + timedelta(days=day)) as s:
            s.sync_cards(SPECS, now=T0)
            s.record_review(SPECS[day].key, 3, T0 + timedelta(days=day))
    subprocess.run([sys.executable, "-c", CRASH, str(db)], cwd=REPO, check=True)
    assert Path(f"{db}-wal").stat().st_size > 0
    return db


def test_list_shows_each_backup_with_its_counts(studyapp, data_dir):
    assert "no backups yet" in studyapp("backup", "list").out
    _history(data_dir)
    listing = json.loads(studyapp("backup", "list", "--json").out)
    assert [(b["date"], b["cards"], b["reviews"]) for b in listing["backups"]] == [
        ("2026-04-07", 12, 1),
        ("2026-04-08", 12, 2),
        ("2026-04-09", 12, 3),
    ]
    (data_dir / "backups" / "studyapp-2026-04-07.db").write_bytes(b"junk" * 1000)
    text = studyapp("backup", "list").out.splitlines()
    assert text[1].startswith("2026-04-07") and "not a database or damaged" in text[1]
    assert text[3].split()[:3] == ["2026-04-09", "12", "3"]


def test_restore_keeps_the_current_database_and_replays_no_stale_wal(studyapp, data_dir):
    db = _history(data_dir)
    result = studyapp("backup", "restore", "2026-04-08")
    assert result.code == 0, result.err
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    with Storage.open(db, tz=UTC, now=T0 + timedelta(days=3)) as s:
        assert s.integrity_check() == "ok" and s.review_count() == 2  # the backup's, exactly
    kept = sorted(data_dir.glob("studyapp.db.before-restore-*"))
    assert len(kept) == 1 and str(kept[0]) in result.out
    assert not Path(f"{kept[0]}-wal").exists()  # folded in
    with Storage.open(kept[0], tz=UTC, backup=False) as before:
        assert before.review_count() == 3 + 3  # the crash's reviews were in its -wal


def test_restore_refuses_a_damaged_backup_and_changes_nothing(studyapp, data_dir, tmp_path):
    db = _history(data_dir)
    files = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes((data_dir / "backups" / "studyapp-2026-04-08.db").read_bytes()[:5000])
    line = studyapp("backup", "restore", damaged).one_error_line()
    assert str(damaged) in line and "nothing was changed" in line
    assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()} == files
    assert (
        studyapp("backup", "restore", "2025-01-01")
        .one_error_line()
        .endswith("(`studyapp backup list` shows them)")
    )
    assert "no such backup file" in studyapp("backup", "restore", tmp_path / "x").err
    assert db.exists()


def test_restore_refuses_while_another_process_has_the_database_open(studyapp, data_dir):
    db = _history(data_dir)
    Storage.open(db, tz=UTC, now=T0 + timedelta(days=3)).close()  # fold the crash's -wal
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        before = db.read_bytes()
        line = studyapp("backup", "restore", "2026-04-07").one_error_line()
        assert "open in another studyapp" in line
        assert db.read_bytes() == before and not list(data_dir.glob("*before-restore*"))
    finally:
        holder.kill()
        holder.communicate()  # reaps it and closes its pipe


HOLD = """
import sys, time
from studyapp.storage import Storage
s = Storage.open(sys.argv[1], backup=False)
s.card_count()
print("open", flush=True)
time.sleep(60)
"""


def test_a_damaged_page_is_noticed_at_the_next_open(tmp_path):
    """Not only at the first open of a day (when the backup is made): every open runs
    PRAGMA quick_check."""
    db = tmp_path / "studyapp.db"
    with Storage.open(db, tz=UTC, now=T0) as s:
        s.sync_cards(SPECS * 1, now=T0)
        s.sync_cards(
            [
                CardSpec.plain(f"x{i}", f"x{i}", "t", "terms", "D", "q" * 900, "a", [])
                for i in range(40)
            ]
        )
    Storage.open(db, tz=UTC, now=T0 + timedelta(days=1)).close()  # today's backup is made
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'review_log'").fetchone()[
        0
    ]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as fh:  # scribble over the header of a table's b-tree page
        fh.seek((root - 1) * size)
        fh.write(b"\xff" * 12)
    started = time.perf_counter()
    with pytest.raises(DataError, match="corrupt") as err:
        Storage.open(db, tz=UTC, now=T0 + timedelta(days=1))
    assert str(db) in str(err.value) and time.perf_counter() - started < 2
