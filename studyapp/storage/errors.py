"""SQLite errors as one line naming the file, what is wrong and what to do (never a traceback)."""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from studyapp.errors import DataError, os_reason
from studyapp.storage.backups import BACKUPS_DIR, is_disk_full


def data_error(path: Path, exc: BaseException) -> DataError:
    """One line naming the database file, what is wrong and what to do."""
    msg = str(exc)
    low = msg.lower()
    if is_disk_full(exc, path):
        return DataError(
            f"{path}: disk full: the database cannot be written (what was saved before is "
            "intact); free some space and try again"
        )
    if "locked" in low or "busy" in low:
        return DataError(
            f"{path}: database is locked by another program (is studyapp already "
            "running?); close it and try again"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low or "disk image" in low:
        return DataError(
            f"{path}: database is corrupt or not a studyapp database; it was left "
            f"untouched: {_corrupt_remedy(path)}"
        )
    if "readonly" in low or "read-only" in low or "unable to open" in low or "permission" in low:
        return DataError(
            f"{path}: cannot write the database ({msg}); check the file's permissions "
            "or set STUDYAPP_DATA_DIR"
        )
    return DataError(f"{path}: database error: {msg}")


def _corrupt_remedy(path: Path) -> str:
    backups = path.parent / BACKUPS_DIR
    if backups.is_dir():
        return f"move it away or restore a copy from {backups}"
    return "move it away (studyapp then starts a new one)"


def backup_error(path: Path, exc: OSError) -> DataError:
    """The daily backup of the database at ``path`` could not be written (permissions, disk full)."""
    return DataError(
        f"{path.parent / BACKUPS_DIR}: cannot write the daily backup "
        f"({os_reason(exc)}); free some space or fix the permissions"
    )


class Locked(Protocol):
    """What :func:`guarded` needs of the object whose method it wraps."""

    path: Path
    _lock: threading.RLock


S = TypeVar("S", bound=Locked)
P = ParamSpec("P")
R = TypeVar("R")


def guarded(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run a public method under the object's lock, turning sqlite errors into a one-line
    DataError naming the file."""

    @functools.wraps(method)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with self._lock:
                return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise data_error(self.path, exc) from None

    return wrapper


__all__ = ["backup_error", "data_error", "guarded"]
