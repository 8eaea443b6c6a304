"""`studyapp backup list [--json]` and `studyapp backup restore DATE|PATH`: the daily backups,
and a restore that never replays a stale write-ahead log onto the restored database."""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

from studyapp.errors import UsageError

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "backup",
        help="list the daily backups of the database, or restore one",
        description="The database is copied to <data dir>/backups/ once a day (the last 7 are "
        "kept). `list` shows them; `restore` puts one back in place of the database, keeping "
        "the current one as studyapp.db.before-restore-<timestamp>.",
    )
    sub = parser.add_subparsers(
        dest="backup_command", metavar="SUBCOMMAND", parser_class=type(parser)
    )
    listing = sub.add_parser("list", help="one row per backup: date, cards, reviews, path")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    restore = sub.add_parser(
        "restore", help="replace the database by a backup (close studyapp everywhere first)"
    )
    restore.add_argument(
        "backup", metavar="DATE|PATH", help="a backup's date (YYYY-MM-DD, see `list`) or its file"
    )


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "backup_command", None)
    if command == "list":
        return _list(args)
    if command == "restore":
        return _restore(args)
    raise UsageError("choose a sub-command: list or restore (e.g. `studyapp backup list`)")


def _database() -> Path:
    from studyapp.paths import data_dir
    from studyapp.storage import DB_NAME

    return data_dir(create=False) / DB_NAME


def _list(args: argparse.Namespace) -> int:
    from studyapp.storage import backups

    db = _database()
    rows = []
    for day, path in backups.dated_backups(db):
        row: dict[str, object] = {
            "date": day.isoformat(),
            "path": str(path),
            "cards": None,
            "reviews": None,
        }
        try:
            summary = backups.summarize_file(path)
        except backups.NotUsable as exc:
            row["problem"] = str(exc)
        else:
            row.update(cards=summary.cards, reviews=summary.reviews, problem=None)
        rows.append(row)
    if args.json:
        print(json.dumps({"schema": 1, "database": str(db), "backups": rows}, ensure_ascii=False))
        return 0
    if not rows:
        print(
            f"no backups yet in {db.parent / backups.BACKUPS_DIR} (one is made each day studyapp opens)"
        )
        return 0
    print(f"{'date':<10}  {'cards':>6}  {'reviews':>7}  path")
    for row in rows:
        if row["problem"]:
            print(f"{row['date']:<10}  {'—':>6}  {'—':>7}  {row['path']}  ({row['problem']})")
        else:
            print(f"{row['date']:<10}  {row['cards']:>6}  {row['reviews']:>7}  {row['path']}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from datetime import date

    from studyapp.core.clock import utc_now
    from studyapp.storage import backups
    from studyapp.storage.restore import restore

    db = _database()
    chosen = Path(args.backup).expanduser()
    if _DATE.fullmatch(args.backup) and not os.path.lexists(chosen):
        try:
            day = date.fromisoformat(args.backup)
        except ValueError:
            raise UsageError(f"{args.backup!r} is not a date (YYYY-MM-DD)") from None
        chosen = backups.backup_path(db, day)
        if not os.path.exists(chosen):
            raise UsageError(
                f"no backup of {args.backup} in {chosen.parent} (`studyapp backup list` shows them)"
            )
    done = restore(db, chosen, utc_now())
    kept = (
        f"; the database it replaced is kept as {done.kept_as}"
        + (
            ""
            if done.folded
            else f" (damaged: its write-ahead log is beside it as {done.kept_as}-wal)"
        )
        if done.kept_as
        else ""
    )
    print(
        f"restored {chosen} ({done.summary.cards} cards, {done.summary.reviews} reviews) "
        f"as {db}{kept}"
    )
    return 0
