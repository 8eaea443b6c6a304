"""The daily backup, and what ``studyapp backup list|restore`` needs to read backups.

Once per local day, on open, the database is copied to ``backups/<name>-YYYY-MM-DD.db`` next to
it; the last :data:`BACKUPS_KEPT` are kept. Several processes may open the database in the same
instant (the first thing in a day), so a backup is made under a temporary name of its own
(``mkstemp``), checked (``PRAGMA integrity_check``, and the same number of cards as the database it
copies), and only then linked into place; a process that finds the day's backup already made by
another keeps that one. Nothing is ever left half-written under a backup's name, and no temporary
file outlives a failure (a full disk included).

A backup is a self-contained SQLite file in rollback-journal mode (no ``-wal`` of its own), so it
can be read, listed and restored without a stale write-ahead log.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from studyapp.fsync import fsync_path
from studyapp.storage.schema import SCHEMA_VERSION

BACKUPS_DIR = "backups"
BACKUPS_KEPT = 7
SIDE_FILES = ("-journal", "-wal", "-shm")  # SQLite's companions of a database file
SQLITE_FULL = 13  # the primary result code of "database or disk is full"


def backup_path(db_path: Path, day: date) -> Path:
    """Where the backup of ``db_path`` made on ``day`` lives."""
    return db_path.parent / BACKUPS_DIR / f"{db_path.stem}-{day.isoformat()}.db"


@dataclass(frozen=True)
class DatabaseSummary:
    """What a sound studyapp database file holds: schema version, card rows, review-log rows."""

    version: int
    cards: int
    reviews: int


class NotUsable(Exception):
    """A database file that fails verification; the message says why, in a few words."""


def read_only_uri(path: Path, immutable: bool = False) -> str:
    """The ``file:`` URI that opens ``path`` read-only (``immutable``: without any locking or
    ``-shm``, for files no process writes, such as backups or a database on a read-only disk)."""
    return path.absolute().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def summarize(conn: sqlite3.Connection, check: str = "integrity_check") -> DatabaseSummary:
    """Verify the open database (``PRAGMA integrity_check`` or ``quick_check``) and count it.

    Raises NotUsable when the check fails, or the file is not a studyapp database this version can
    use (no schema version, or a newer one); sqlite3.DatabaseError when it is not a database.
    """
    result = [row[0] for row in conn.execute(f"PRAGMA {check}").fetchmany(3)]
    if result != ["ok"]:
        raise NotUsable(f"damaged ({'; '.join(map(str, result))})")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if not 1 <= version <= SCHEMA_VERSION:
        raise NotUsable(
            f"not a studyapp database this version can use (schema v{version}, "
            f"this studyapp knows v1 to v{SCHEMA_VERSION})"
        )
    cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    reviews = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    return DatabaseSummary(version, cards, reviews)


def summarize_file(path: Path, immutable: bool = True) -> DatabaseSummary:
    """:func:`summarize` of the database file at ``path``, opened read-only.

    NotUsable (with the reason) for anything that is not a sound studyapp database.
    """
    try:
        conn = sqlite3.connect(read_only_uri(path, immutable), uri=True)
    except sqlite3.Error as exc:
        raise NotUsable(f"cannot be opened ({exc})") from None
    try:
        return summarize(conn)
    except sqlite3.DatabaseError as exc:
        raise NotUsable(f"not a database or damaged ({exc})") from None
    finally:
        conn.close()


def remove_with_side_files(path: Path) -> None:
    """Delete a database file and any ``-journal``/``-wal``/``-shm`` beside it (missing is fine)."""
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def copy_database(source: sqlite3.Connection, dest: Path) -> DatabaseSummary:
    """Copy the open database ``source`` into the (empty) file ``dest`` with SQLite's backup API,
    in rollback-journal mode, then verify the copy: integrity_check, and as many cards and reviews
    as ``source`` had in the same read transaction. Returns the copy's summary.

    OSError (ENOSPC for a full disk) when the copy cannot be written or does not verify; the
    caller removes ``dest``.
    """
    copy = sqlite3.connect(str(dest), isolation_level=None)
    try:
        expected = _copy_snapshot(source, copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal to lose or replay
        got = summarize(copy)
    except sqlite3.Error as exc:
        raise _as_os_error(exc, dest) from None
    except NotUsable as exc:
        raise OSError(errno.EIO, f"the copy did not verify: {exc}") from None
    finally:
        copy.close()
    if (got.cards, got.reviews) != expected:
        raise OSError(
            errno.EIO,
            f"the copy did not verify: {got.cards} cards and {got.reviews} reviews, "
            f"expected {expected[0]} and {expected[1]}",
        )
    return got


def _copy_snapshot(source: sqlite3.Connection, copy: sqlite3.Connection) -> tuple[int, int]:
    """Back ``source`` up into ``copy`` and count its cards and reviews, both inside one read
    transaction of ``source`` (so another process writing meanwhile cannot make them disagree)."""
    began = not source.in_transaction
    if began:
        source.execute("BEGIN")
    try:
        counts = source.execute(
            "SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM review_log)"
        ).fetchone()
        source.backup(copy)
    finally:
        if began:
            source.execute("COMMIT")
    return int(counts[0]), int(counts[1])


def _as_os_error(exc: sqlite3.Error, path: Path) -> OSError:
    """A SQLite error while writing ``path`` as an OSError (ENOSPC when the disk is full)."""
    return OSError(errno.ENOSPC if is_disk_full(exc, path) else errno.EIO, str(exc))


def is_disk_full(exc: BaseException, path: Path) -> bool:
    """Whether a SQLite error writing near ``path`` means the disk is full.

    SQLITE_FULL says so; SQLite reports some failed writes (a file extended by ``fallocate``,
    a write-ahead index) as a plain "disk I/O error", so an I/O error on a file system with no
    space left counts as full too.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF == SQLITE_FULL:
        return True
    if "disk is full" in str(exc).lower():
        return True
    if "i/o error" in str(exc).lower():
        return free_bytes(path) < 1024 * 1024
    return False


def free_bytes(path: Path) -> int:
    """Bytes an unprivileged process may still write on the file system of ``path`` (or of its
    nearest existing parent); a large number when it cannot be known."""
    for candidate in (path, *path.parents):
        try:
            st = os.statvfs(candidate)
        except (OSError, AttributeError):
            continue
        return st.f_bavail * st.f_frsize
    return 1 << 62


def daily_backup(conn: sqlite3.Connection, db_path: Path, day: date) -> Path | None:
    """Copy the open database to its backup for ``day`` unless that exists; drop the oldest
    beyond :data:`BACKUPS_KEPT`. Returns the new backup, or None if the day already has one
    (made earlier, or a moment ago by another process).

    OSError (the temporary file removed) if the folder cannot be written, the disk is full or the
    copy does not verify.
    """
    target = backup_path(db_path, day)
    if target.exists():
        return None
    target.parent.mkdir(exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        copy_database(conn, tmp)
        os.chmod(tmp, db_path.stat().st_mode & 0o777)  # as private as the database, no more
        fsync_path(tmp)
        if not _link_into_place(tmp, target):
            return None
    finally:
        remove_with_side_files(tmp)
    fsync_path(target.parent)
    _drop_old(target.parent, db_path.stem)
    return target


def _link_into_place(tmp: Path, target: Path) -> bool:
    """Give ``tmp`` the name ``target`` unless ``target`` exists (False then). A hard link never
    replaces a backup another process has just made; where links are not possible, a rename."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if target.exists():
            return False
        os.replace(tmp, target)
    return True


_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2})\.db$")


def dated_backups(db_path: Path) -> list[tuple[date, Path]]:
    """The daily backups of ``db_path``, oldest first (file names that are not a real date are
    left out)."""
    folder = db_path.parent / BACKUPS_DIR
    found = []
    for path in folder.glob(f"{db_path.stem}-????-??-??.db"):
        m = _DATED.search(path.name)
        try:
            if m is not None:
                found.append((date.fromisoformat(m.group(1)), path))
        except ValueError:  # 2026-02-31
            continue
    return sorted(found)


def _drop_old(folder: Path, stem: str) -> None:
    backups = sorted(folder.glob(f"{stem}-????-??-??.db"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)  # another process may be dropping it too


__all__ = [
    "BACKUPS_DIR",
    "BACKUPS_KEPT",
    "DatabaseSummary",
    "NotUsable",
    "backup_path",
    "copy_database",
    "daily_backup",
    "dated_backups",
    "free_bytes",
    "is_disk_full",
    "read_only_uri",
    "remove_with_side_files",
    "summarize",
    "summarize_file",
]
