"""Fault test: a process doing reviews is killed with SIGKILL at random moments, many times.

Afterwards every review it acknowledged (printed after record_review returned) is in the log,
no undone review is, every card's rep count agrees with its log rows (the card update and the
log row are one transaction), and the file passes PRAGMA integrity_check.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

WORKER = r"""
import random, sys
from datetime import datetime, timedelta, timezone
from studyapp.core.cards import CardSpec
from studyapp.storage import Storage

Spec = CardSpec.plain

db, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
s = Storage.open(db, tz=timezone.utc, backup=False)
specs = [Spec(f"e{i}::t{j}", f"e{i}", f"t{j}", "terms", "Deep Learning::Terms", f"q{i}{j}", "a", [])
         for i in range(15) for j in range(2)]
s.sync_cards(specs, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
now = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=seed)
print("READY", flush=True)
while True:
    if rng.random() < 0.07:
        last = s._conn.execute("SELECT max(id) FROM review_log").fetchone()[0]
        if last is None:
            continue
        print("UNDOING", last, flush=True)  # from here the undo may land without its ACK
        s.undo_last_review()
        print("UNDO", last, flush=True)
        continue
    rec = s.record_review(rng.choice(specs).key, rng.randint(1, 4), now, rng.random() * 10)
    print("ACK", rec.log_id, flush=True)
    now += timedelta(minutes=rng.randint(1, 900))
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_reviews_survive_sigkill_at_random_moments(tmp_path):
    db = tmp_path / "studyapp.db"
    rng = random.Random(20261125)
    acked: set[int] = set()  # log ids acknowledged and not undone
    undone: set[int] = set()  # log ids whose undo was acknowledged
    in_flight: set[int] = (
        set()
    )  # log ids an undo was started for (it may have landed unacknowledged)
    kills = 0
    env = dict(os.environ, PYTHONPATH=str(REPO))
    deadline = time.monotonic() + 14.0  # keep the whole test well under 20 s
    runs = 0
    while runs < 25 and time.monotonic() < deadline:
        runs += 1
        errfile = tmp_path / f"worker{runs}.err"
        with open(errfile, "w") as err_fh:
            proc = subprocess.Popen(
                [sys.executable, "-c", WORKER, str(db), str(runs)],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=err_fh,
                text=True,
            )
            # Random moment: one run in five anywhere from start-up (opening, migrating, syncing),
            # the others in the middle of reviews (a loaded machine may take a while to start Python).
            head = ""
            if rng.random() < 0.2:
                time.sleep(rng.random() * 0.4)
            else:
                head = proc.stdout.readline()
                time.sleep(rng.random() * 0.25)
            proc.send_signal(signal.SIGKILL)
            out = head + proc.stdout.read()  # the same buffered reader: nothing read ahead is lost
            proc.stdout.close()
            proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL, errfile.read_text()
        kills += 1
        for line in out.splitlines(keepends=True):
            if not line.endswith("\n"):
                break  # a line cut by the kill was never acknowledged
            parts = line.split()
            if parts[0] == "ACK":
                acked.add(int(parts[1]))
            elif parts[0] == "UNDOING":
                in_flight.add(int(parts[1]))
            elif parts[0] == "UNDO":
                acked.discard(int(parts[1]))
                undone.add(int(parts[1]))

        c = sqlite3.connect(db)
        try:
            assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            if c.execute("PRAGMA user_version").fetchone()[0] == 0:
                continue  # killed before the schema existed
            ids = [r[0] for r in c.execute("SELECT id FROM review_log ORDER BY id")]
            # Every acknowledged review is there, no acknowledged undo came back, and the only
            # rows nobody acknowledged are ones committed just before a kill (at most one a run).
            lost = acked - set(ids) - in_flight
            assert not lost, f"lost reviews: {sorted(lost)[:5]}"
            assert not undone & set(ids)
            assert len(set(ids) - acked) <= runs
            # The card update and its log row were one transaction.
            bad = c.execute(
                "SELECT c.key, c.reps, count(l.id) FROM cards c LEFT JOIN review_log l ON l.card_id = c.id"
                " GROUP BY c.id HAVING c.reps <> count(l.id)"
            ).fetchall()
            assert bad == []
        finally:
            c.close()
    print(f"fault test: {kills} kills, {len(acked)} acknowledged reviews, {len(undone)} undos")
    assert kills >= 10
    assert len(acked) >= 30, "the worker hardly ever got to review; the test proved nothing"
