"""Putting a backup in place of the database (``studyapp backup restore``), safely.

Copying a backup over ``studyapp.db`` by hand is a trap: the ``-wal`` left beside it belongs to the
old database, and SQLite replays it onto the new file on the next open, corrupting it. So
:func:`restore`:

1. verifies the backup (``PRAGMA integrity_check``, a studyapp schema) and copies it, verified
   again, to a temporary file next to the database, so a bad backup changes nothing;
2. refuses while another process has the database open (it holds SQLite's "dead man switch"
   lock in the ``-shm`` file), and holds that lock itself until it is done, so no process opens
   the database half-way through;
3. keeps the current database as ``studyapp.db.before-restore-<timestamp>`` with its ``-wal``
   folded in (a self-contained file; when the current database is too damaged to fold, its raw
   ``-wal`` is kept beside it under the same name);
4. renames the copy into place and deletes the old ``-wal`` and ``-shm``, so nothing stale is
   replayed onto it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from studyapp.errors import DataError, os_reason
from studyapp.fsync import fsync_path
from studyapp.storage import backups
from studyapp.storage.backups import DatabaseSummary, NotUsable

# SQLite's unix VFS: every connection holds a shared lock on this byte of the -shm file for as long
# as it is open (UNIX_SHM_DMS = (22 + SQLITE_SHM_NLOCK) * 4 + SQLITE_SHM_NLOCK in os_unix.c).
SHM_DMS_BYTE = 128


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's contents, where the replaced database was kept (None if
    there was none), and whether its -wal could be folded into that copy."""

    summary: DatabaseSummary
    kept_as: Path | None
    folded: bool


def restore(db_path: Path, source: Path, now: datetime) -> Restored:
    """Replace the database at ``db_path`` by the backup ``source`` (see the module docstring).

    Raises DataError (one line, nothing changed) when the backup is missing or not a sound
    studyapp database, another process has the database open, or a file cannot be written.
    """
    source = Path(source)
    if not os.path.isfile(source):  # os.path: False, not an error, for a name too long
        raise DataError(f"{source}: no such backup file")
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise DataError(f"{source}: that is the database itself, not a backup")
    try:
        backups.summarize_file(source)
    except NotUsable as exc:
        raise DataError(f"{source}: cannot restore it: {exc}; nothing was changed") from None
    tmp = _verified_copy(source, db_path.parent)
    try:
        with _only_user(db_path):
            kept, folded = _keep_current(db_path, now)
            if kept is not None:
                shutil.copymode(kept, tmp)  # the same permissions as the database it replaces
            os.replace(tmp, db_path)
            for suffix in backups.SIDE_FILES:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{db_path}{suffix}")
            fsync_path(db_path.parent)
    except OSError as exc:
        raise DataError(
            f"{db_path}: cannot restore ({os_reason(exc)}); the database was left as it was"
        ) from None
    finally:
        backups.remove_with_side_files(tmp)
    return Restored(backups.summarize_file(db_path, immutable=False), kept, folded)


def _verified_copy(source: Path, folder: Path) -> Path:
    """The backup copied (SQLite backup API, verified) to a new temporary file in ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".studyapp.db.restore-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise DataError(f"{folder}: cannot restore into it ({os_reason(exc)})") from None
    os.close(fd)
    tmp = Path(name)
    src = sqlite3.connect(backups.read_only_uri(source, immutable=True), uri=True)
    try:
        backups.copy_database(src, tmp)
    except OSError as exc:
        backups.remove_with_side_files(tmp)
        raise DataError(f"{source}: cannot restore it ({os_reason(exc)})") from None
    finally:
        src.close()
    return tmp


@contextlib.contextmanager
def _only_user(db_path: Path) -> Iterator[None]:
    """Hold SQLite's dead-man-switch lock of the database: DataError if another process has the
    database open; while held, no process can open it."""
    try:
        import fcntl
    except ImportError:  # no POSIX locks (Windows): SQLite's own locking is all there is
        yield
        return
    shm = Path(f"{db_path}-shm")
    if not db_path.exists():
        yield
        return
    fd = os.open(shm, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS_BYTE)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            raise DataError(
                f"{db_path}: the database is open in another studyapp (the TUI, `studyapp "
                "serve`, …); close it and run the restore again"
            ) from None
        yield
    finally:
        os.close(fd)  # releases the lock; the -shm itself was deleted by the restore


def _keep_current(db_path: Path, now: datetime) -> tuple[Path | None, bool]:
    """Copy the current database (and its -wal) to ``<name>.before-restore-<timestamp>`` and fold
    the -wal into that copy. Returns (the copy or None if there is no database, folded)."""
    if not db_path.exists():
        return None, True
    stamp = now.astimezone().strftime("%Y%m%dT%H%M%S")
    keep = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    n = 2
    while keep.exists():
        keep = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{n}")
        n += 1
    shutil.copy2(db_path, keep)  # permissions too
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copyfile(wal, f"{keep}-wal")
    return keep, _fold(keep)


def _fold(path: Path) -> bool:
    """Checkpoint ``path``'s -wal into it and make it a rollback-journal file (no -wal). False,
    and the -wal left beside it, when SQLite cannot (the database is damaged)."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return not Path(f"{path}-wal").exists()


__all__ = ["Restored", "restore"]
