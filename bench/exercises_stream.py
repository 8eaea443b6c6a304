"""Bounded memory and steady speed of `studyapp exercise ... --count N` as N grows (issue 15).

Runs the real CLI (`python -m studyapp exercise backprop|optimizer --count N --format F`, output
to /dev/null) for N = 10⁴, 10⁵, 10⁶ and reports, per run, its peak RSS (``ru_maxrss`` of that child,
from ``os.wait4``) and its throughput: N / wall time, and N / (CPU time − the CPU time of a
``--count 1`` run measured in the same session), the rate of the streaming itself. The target uses
the CPU rate: on a shared machine a run of minutes and a run of a second meet different loads,
while the CPU time they need is theirs alone.

Targets, against the 10⁴ run of the same format in this session: peak RSS at 10⁶ ≤ 1.2 ×, and
throughput (net of start-up) at 10⁶ ≥ 0.9 ×. Exit status 1 if a target is missed.

    .venv/bin/python bench/exercises_stream.py                 # backprop and optimizer, jsonl and json
    .venv/bin/python bench/exercises_stream.py --formats jsonl json text md --kinds backprop
    .venv/bin/python bench/exercises_stream.py --max 100000    # quicker: up to 10⁵

Text and Markdown render each exercise in Python (about 0.3 ms each), so 10⁶ of them take minutes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTS = (10_000, 100_000, 1_000_000)


def run(kind: str, fmt: str, count: int) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one CLI run."""
    argv = [sys.executable, "-m", "studyapp", "exercise", kind, "--seed", "1"]
    argv += ["--count", str(count), "--format", fmt]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(argv)} failed ({status})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KB on Linux


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kinds", nargs="+", default=["backprop", "optimizer"])
    ap.add_argument("--formats", nargs="+", default=["jsonl", "json"])
    ap.add_argument("--max", type=int, default=COUNTS[-1], help="largest count (default 10⁶)")
    args = ap.parse_args()
    counts = [n for n in COUNTS if n <= args.max]
    ok = True
    print(
        f"{'kind':<10}{'format':<7}{'count':>9}{'wall s':>9}{'RSS MB':>9}{'per s':>10}{'per CPU s':>11}"
    )
    for kind in args.kinds:
        for fmt in args.formats:
            startup = statistics.median(run(kind, fmt, 1)[1] for _ in range(3))
            rows = {}
            for n in counts:
                wall, cpu, rss = run(kind, fmt, n)
                net = n / max(cpu - startup, 1e-9)
                rows[n] = (rss, net)
                print(
                    f"{kind:<10}{fmt:<7}{n:>9}{wall:>9.2f}{rss:>9.1f}{n / wall:>10.0f}{net:>11.0f}"
                )
            first, last = rows[counts[0]], rows[counts[-1]]
            rss_ratio, speed_ratio = last[0] / first[0], last[1] / first[1]
            verdict = rss_ratio <= 1.2 and speed_ratio >= 0.9
            ok &= verdict
            print(
                f"  {kind} {fmt}: RSS {counts[-1]:,} / {counts[0]:,} = {rss_ratio:.2f} (≤ 1.2), "
                f"throughput ratio (per CPU s, start-up {startup:.2f} s taken off) {speed_ratio:.2f} "
                f"(≥ 0.9): " + ("ok" if verdict else "MISSED")
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
