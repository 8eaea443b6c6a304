"""The SQLite connection: where the file is, how it is opened and configured, and transactions.

WAL journal, ``synchronous=FULL``, foreign keys on. Autocommit mode (``isolation_level=None``):
every write happens inside an explicit :func:`transaction`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from studyapp.errors import DataError
from studyapp.storage.errors import data_error

DB_NAME = "studyapp.db"


def database_path(path: str | Path | None) -> Path:
    """The database file (default ``data_dir()/studyapp.db``), its folder created if missing.

    DataError if ``path`` is a directory or its folder cannot be created.
    """
    if path is None:
        from studyapp.paths import data_dir

        path = data_dir() / DB_NAME
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path}: is a directory, not a database")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"{path.parent}: cannot create the data directory ({exc.strerror})"
        ) from None
    return path


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


def configure(conn: sqlite3.Connection) -> None:
    """WAL journal, foreign keys, and a sync on every commit (a committed review survives power
    loss too). sqlite3.OperationalError if the file cannot use WAL."""
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"cannot switch to WAL journal (got {mode})")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, lock: threading.RLock) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error); the write lock is taken up front so
    two writers never deadlock half-way through."""
    with lock:
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
        conn.execute("PRAGMA optimize")
    with contextlib.suppress(sqlite3.Error):
        conn.close()


__all__ = ["DB_NAME", "close", "configure", "connect", "database_path", "transaction"]
