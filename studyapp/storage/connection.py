"""The SQLite connection: where the file is, how it is opened and configured, and transactions.

WAL journal, ``synchronous=FULL``, foreign keys on. Autocommit mode (``isolation_level=None``):
every write happens inside an explicit :func:`transaction`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from studyapp.errors import DataError, os_reason, why_unwritable
from studyapp.storage.backups import read_only_uri
from studyapp.storage.errors import data_error

DB_NAME = "studyapp.db"


def database_path(path: str | Path | None, create: bool = True) -> Path:
    """The database file (default ``data_dir()/studyapp.db``), its folder created if missing
    (unless ``create`` is False).

    DataError if ``path`` is a directory or its folder cannot be created (a data directory that
    is a file, a parent that cannot be made, a read-only file system: see ``paths.data_dir``).
    """
    if path is None:
        from studyapp.paths import data_dir

        path = data_dir(create=create) / DB_NAME
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path}: is a directory, not a database")
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataError(
                f"{path.parent}: cannot create the data directory ({os_reason(exc)})"
            ) from None
        denied = None if path.exists() else why_unwritable(path.parent)
        if denied:
            raise DataError(
                f"{path}: cannot create the database ({denied}); set STUDYAPP_DATA_DIR to a "
                "directory you can write"
            )
    return path


def can_write(path: Path) -> bool:
    """Whether the database at ``path`` could be written: true for a file not there yet (it is
    created where it can be, or fails with one line), false for an existing one whose file or
    folder is read-only (``os.access`` also sees a read-only file system, even for root)."""
    if not path.exists():
        return True
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def check_writable(path: Path) -> None:
    """DataError naming the reason when the existing database at ``path`` cannot be written
    (SQLite would only say "unable to open database file" when it needs its -shm)."""
    if can_write(path):
        return
    why = why_unwritable(path.parent) or "the file is read-only"
    raise DataError(
        f"{path}: the database cannot be written ({why}); only commands that read "
        "(quiz, stats) work on it"
    )


def connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    """An autocommit connection with rows as :class:`sqlite3.Row`; DataError if it cannot open."""
    try:
        conn = sqlite3.connect(
            str(path), timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise data_error(path, exc) from None
    conn.row_factory = sqlite3.Row
    return conn


def connect_read_only(path: Path, busy_timeout_s: float = 2.0) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``) to an existing database; DataError if there is none
    or it cannot be opened.

    A WAL database needs its ``-shm`` file, which SQLite cannot create in a read-only folder:
    there, when no ``-wal`` holds unmerged changes (nothing can be writing in such a folder), the
    file is opened ``immutable`` instead (no locks, no ``-shm``).
    """
    if not path.is_file():
        raise DataError(f"{path}: no database here yet (run `studyapp` or `studyapp stats` once)")
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    for immutable in (False, True):
        if immutable and pending:
            break
        try:
            conn = sqlite3.connect(
                read_only_uri(path, immutable),
                uri=True,
                timeout=busy_timeout_s,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens it for real
        except sqlite3.Error as exc:
            error = exc
            continue
        conn.row_factory = sqlite3.Row
        return conn
    raise data_error(path, error)


def check_sound(conn: sqlite3.Connection) -> None:
    """``PRAGMA quick_check`` (milliseconds at our sizes; see bench/storage.py): a damaged page
    raises sqlite3.DatabaseError ("malformed"), which the caller reports as a corrupt database."""
    result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchmany(3)]
    if result != ["ok"]:
        raise sqlite3.DatabaseError(
            f"database disk image is malformed (quick_check: {'; '.join(map(str, result))})"
        )


def configure(conn: sqlite3.Connection) -> None:
    """WAL journal, foreign keys, and a sync on every commit (a committed review survives power
    loss too). sqlite3.OperationalError if the file cannot use WAL."""
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"cannot switch to WAL journal (got {mode})")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")


# One write lock per database file for every connection of this process (the TUI's and its
# workers', or several Storage objects): writers of one process queue here in turn, woken the
# moment it is theirs. Left to SQLite alone they poll (its busy handler sleeps up to 100 ms between
# tries), and a writer that has just committed takes the lock again before the poller looks:
# with commits slowed to 300 ms (fsync on a busy disk) the other writer starved past its busy
# timeout and failed with "database is locked".
class FairLock:
    """A lock handed out in the order it was asked for (a ticket queue): a thread that has just
    released it and asks again waits behind the threads already waiting. Not reentrant."""

    def __init__(self) -> None:
        self._turns = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._turns:
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving:
                self._turns.wait()

    def __exit__(self, *exc: object) -> None:
        with self._turns:
            self._serving += 1
            self._turns.notify_all()


_WRITE_LOCKS: dict[str, FairLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def write_lock(path: Path) -> FairLock:
    """The process-wide write lock of the database file at ``path``."""
    key = os.path.realpath(path)
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, FairLock())


@contextlib.contextmanager
def transaction(
    conn: sqlite3.Connection, lock: threading.RLock, writers: FairLock
) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error); the write lock is taken up front so
    two writers never deadlock half-way through. ``lock`` guards the connection, ``writers``
    (:func:`write_lock`) orders the writers of this process; other processes wait in SQLite's
    busy handler (the connection's busy timeout)."""
    with lock, writers:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            # Also when COMMIT itself fails (busy, disk full): never leave a transaction open.
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise


def close(conn: sqlite3.Connection) -> None:
    """Close, first letting SQLite refresh its planner statistics when they are stale (cheap,
    documented as the thing to run before closing). Errors on the way out are ignored."""
    with contextlib.suppress(sqlite3.Error):
        # A partial index with no rows (cards_flag when nothing is flagged) has no statistics,
        # so optimize re-analyzes the whole cards table at every close: 18 ms with 32k cards.
        # SQLite's advice: cap ANALYZE at ~400 rows per index (2 ms), good enough for the planner.
        conn.execute("PRAGMA analysis_limit=400")
        conn.execute("PRAGMA optimize")
    with contextlib.suppress(sqlite3.Error):
        conn.close()


__all__ = [
    "DB_NAME",
    "FairLock",
    "can_write",
    "check_sound",
    "check_writable",
    "close",
    "configure",
    "connect",
    "connect_read_only",
    "database_path",
    "transaction",
    "write_lock",
]
