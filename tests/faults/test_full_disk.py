"""A full disk says "disk full" (never "disk I/O error"), loses nothing that was saved, and
leaves no temporary file behind. On a real full file system (a small tmpfs, where mounting is
possible) and, everywhere, with the error injected at the write boundary."""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyapp.core.cards import CardSpec
from studyapp.errors import DataError, UsageError
from studyapp.export.atomic import atomic_write_text
from studyapp.storage import Storage, backups

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SPECS = [
    CardSpec.plain(f"e{i}::t", f"e{i}", "t", "terms", "Deep Learning::Terms", f"q{i}" * 40, "a", [])
    for i in range(40)
]


def _database(path: Path) -> int:
    """A database with cards and one review; returns its review count."""
    with Storage.open(path, tz=UTC, now=T0) as s:
        s.sync_cards(SPECS, now=T0)
        s.record_review(SPECS[0].key, 3, T0)
        return s.review_count()


def _fill(disk: Path) -> Path:
    """Fill the file system of ``disk`` to the last byte; returns the filler file."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (65536, 512, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    return filler


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(("studyapp", "filler")))


def test_a_full_disk_on_open_review_and_export(tmpfs):
    disk = tmpfs("full", size="2m")
    db = disk / "studyapp.db"
    reviews = _database(db)
    (disk / "export.md").write_text("the previous export")
    filler = _fill(disk)
    # the first open of a new day makes the backup: no space for it
    with pytest.raises(DataError, match="disk full") as err:
        Storage.open(db, tz=UTC, now=T0 + timedelta(days=1))
    assert "I/O error" not in str(err.value) and "\n" not in str(err.value)
    assert not (disk / "backups").exists() or list((disk / "backups").iterdir()) == []
    with pytest.raises(UsageError, match="disk full"):
        atomic_write_text(disk / "export.md", "x" * 100_000)
    assert (disk / "export.md").read_text() == "the previous export"
    assert _leftovers(disk) == ["backups", "export.md"] or _leftovers(disk) == ["export.md"]
    # space again: nothing was lost and the database is sound
    filler.unlink()
    with Storage.open(db, tz=UTC, now=T0 + timedelta(days=1)) as s:
        assert s.review_count() == reviews and s.integrity_check() == "ok"
        # a review when the disk fills up while the database is open
        _fill(disk)
        with pytest.raises(DataError, match="disk full"):
            for spec in SPECS:  # until the write-ahead log needs a new page
                s.record_review(spec.key, 3, T0 + timedelta(days=1))
        (disk / "filler").unlink()
        saved = s.review_count()
        s.record_review(SPECS[1].key, 3, T0 + timedelta(days=1))
        assert s.review_count() == saved + 1 and s.integrity_check() == "ok"


def test_a_full_disk_while_the_backup_is_written(tmp_path, monkeypatch):
    db = tmp_path / "studyapp.db"
    _database(db)

    def full(source, copy):
        copy.execute("CREATE TABLE half_written (x)")  # the temporary file has some content
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backups, "_copy_snapshot", full)
    with pytest.raises(DataError) as err:
        Storage.open(db, tz=UTC, now=T0 + timedelta(days=1))
    assert "disk full" in str(err.value) and "I/O" not in str(err.value)
    assert list((tmp_path / "backups").iterdir()) == []  # no temporary file left behind


def test_a_full_disk_while_an_export_is_written(tmp_path, monkeypatch):
    from studyapp.export import atomic

    target = tmp_path / "cards.csv"
    target.write_text("the previous export")

    def no_space(path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "fsync_path", no_space)
    with pytest.raises(UsageError) as err:
        atomic_write_text(target, "new")
    assert str(err.value) == f"cannot write {target}: disk full (no space left on device)"
    assert target.read_text() == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards.csv"]


def test_sqlite_full_and_io_errors_on_a_full_disk_are_reported_as_disk_full(tmp_path, monkeypatch):
    from studyapp.storage.errors import data_error

    db = tmp_path / "studyapp.db"
    assert "disk full" in str(data_error(db, sqlite3.OperationalError("database or disk is full")))
    io = sqlite3.OperationalError("disk I/O error")
    assert "disk full" not in str(data_error(db, io))
    monkeypatch.setattr(backups, "free_bytes", lambda path: 0)
    assert "disk full" in str(data_error(db, io))
