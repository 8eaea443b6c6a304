"""Several processes opening the database first thing in a day all make (or find) the day's
backup: 4 processes × 20 days, started together at a barrier each day, 0 failures; every backup
kept is complete and sound, and no temporary file is left."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.core.cards import CardSpec
from studyapp.storage import Storage

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
PROCESSES, DAYS = 4, 20
CARDS = 25


def _open_each_day(db: str, barrier, errors) -> None:
    for day in range(DAYS):
        barrier.wait(timeout=60)
        try:
            Storage.open(db, tz=UTC, now=T0 + timedelta(days=day + 1)).close()
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the test
            errors.put(f"day {day}: {type(exc).__name__}: {exc}")


def test_four_processes_opening_at_once_for_twenty_days(tmp_path):
    db = tmp_path / "studyapp.db"
    with Storage.open(db, tz=UTC, now=T0) as s:
        s.sync_cards(
            [
                CardSpec.plain(f"k{i}", f"e{i}", "t", "terms", "D", "f", "b", [])
                for i in range(CARDS)
            ]
        )
    ctx = multiprocessing.get_context("spawn")
    barrier, errors = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [
        ctx.Process(target=_open_each_day, args=(str(db), barrier, errors))
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == [] and all(p.exitcode == 0 for p in procs)
    kept = sorted((tmp_path / "backups").iterdir())
    assert [p.name for p in kept] == [
        f"studyapp-{(T0 + timedelta(days=d)).date().isoformat()}.db"
        for d in range(DAYS - 6, DAYS + 1)
    ]  # the last 7 days, and nothing else (no temporary file)
    for backup in kept:
        conn = sqlite3.connect(f"{Path(backup).as_uri()}?mode=ro", uri=True)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == CARDS
        conn.close()
