"""`studyapp content import` grows linearly, and `stats` stays fast after a large import (issue 15).

Runs the real CLI in a fresh data directory per size: imports a Markdown table of 4 000, 16 000
and 64 000 rows (three columns, distinct names) and reports the time of each; then, on a data
directory with the 16 000-row import, `studyapp stats --json` against `stats` on the same kind of
directory before the import (median of --repeat runs each, wall and CPU), and the cost of the
`PRAGMA quick_check` every open runs on that larger database.

Targets: import of 64k rows ≤ 5 × the time of 16k (linear is 4 ×), measured in the same run;
`stats` after the 16k import ≤ 1.5 × `stats` before it. Exit status 1 if one is missed.

    .venv/bin/python bench/content_import.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = (4_000, 16_000, 64_000)


def notes(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# My notes\n\n| Term | Meaning | Example |\n|---|---|---|\n")
        for i in range(rows):
            fh.write(f"| Term number {i} | the meaning of term {i}, with **bold** and a<br>")
            fh.write(f"second line | z = {i}x + 1 |\n")
    return path


def cli(data: Path, *args: str) -> tuple[float, float]:
    """(wall s, CPU s) of one `studyapp ARGS` run with the data directory ``data``."""
    env = dict(os.environ, STUDYAPP_DATA_DIR=str(data))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "studyapp", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"studyapp {' '.join(args)} failed ({status})")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        imports = {}
        for rows in ROWS:
            data = tmp / f"data{rows}"
            source = notes(tmp / f"notes{rows}.md", rows)
            cli(data, "stats", "--json")  # the database and its cards exist before the import
            before = median_of([cli(data, "stats", "--json") for _ in range(args.repeat)])
            imports[rows] = cli(data, "content", "import", str(source))
            print(
                f"import {rows:>6} rows: {imports[rows][0]:6.2f} s wall, {imports[rows][1]:6.2f} s CPU"
            )
            if rows == 16_000:
                cli(data, "stats", "--json")  # the first stats syncs the 32 000 new cards
                after = median_of([cli(data, "stats", "--json") for _ in range(args.repeat)])
                db = data / "studyapp.db"
                conn = sqlite3.connect(db)
                t0 = time.perf_counter()
                conn.execute("PRAGMA quick_check").fetchall()
                quick_ms = (time.perf_counter() - t0) * 1000
                conn.close()
        ratio = imports[64_000][0] / imports[16_000][0]
        cpu_ratio = imports[64_000][1] / imports[16_000][1]
        verdict = ratio <= 5
        ok &= verdict
        print(
            f"64k / 16k import: {ratio:.2f} x wall, {cpu_ratio:.2f} x CPU (target ≤ 5): "
            + ("ok" if verdict else "MISSED")
        )
        s_ratio = after[0] / before[0]
        verdict = s_ratio <= 1.5
        ok &= verdict
        print(
            f"stats before the 16k import: {before[0] * 1000:.0f} ms wall, {before[1] * 1000:.0f} ms "
            f"CPU; after: {after[0] * 1000:.0f} ms wall, {after[1] * 1000:.0f} ms CPU; "
            f"{s_ratio:.2f} x wall, {after[1] / before[1]:.2f} x CPU (target ≤ 1.5): "
            + ("ok" if verdict else "MISSED")
        )
        print(
            f"PRAGMA quick_check on the 16k-import database ({db.stat().st_size >> 20} MB): "
            f"{quick_ms:.1f} ms"
        )
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
