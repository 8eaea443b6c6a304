"""The daily backup: once per local day, on open, the database is checked and copied to
``backups/<name>-YYYY-MM-DD.db`` next to it; the last :data:`BACKUPS_KEPT` are kept."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

BACKUPS_DIR = "backups"
BACKUPS_KEPT = 7


def backup_path(db_path: Path, day: date) -> Path:
    """Where the backup of ``db_path`` made on ``day`` lives."""
    return db_path.parent / BACKUPS_DIR / f"{db_path.stem}-{day.isoformat()}.db"


def daily_backup(conn: sqlite3.Connection, db_path: Path, day: date) -> Path | None:
    """Copy the open database to its backup for ``day`` unless that exists; drop the oldest
    beyond :data:`BACKUPS_KEPT`. Returns the new backup, or None if the day already has one.

    The database is checked first (a corrupt database must not push good backups out of the
    rotation: sqlite3.DatabaseError), and the copy is written to a temporary name and renamed,
    so a crash never leaves half a backup. OSError if the folder cannot be written.
    """
    target = backup_path(db_path, day)
    if target.exists():
        return None
    check = conn.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
    target.parent.mkdir(exist_ok=True)
    tmp = target.with_suffix(".db.tmp")
    tmp.unlink(missing_ok=True)  # left over from a crash during an earlier backup
    dest = sqlite3.connect(str(tmp))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    tmp.replace(target)
    _drop_old(target.parent, db_path.stem)
    return target


def _drop_old(folder: Path, stem: str) -> None:
    backups = sorted(folder.glob(f"{stem}-????-??-??.db"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink()


__all__ = ["BACKUPS_DIR", "BACKUPS_KEPT", "backup_path", "daily_backup"]
