"""Start-up cost of the TUI against a bare Textual app, measured in the same run.

Each app runs headless in a fresh interpreter (so imports and memory are counted honestly).
"First screen" is Textual's Ready event (sent once the first frame has been displayed); the
StudyApp runs on until its dashboard shows the real counts (the database is opened in a worker
after the first frame), and its peak RSS includes that. Reported per app: the median wall time
from interpreter start, and the peak RSS (ru_maxrss).

Targets (issue #8): StudyApp ≤ 1.5 × the bare app's time and ≤ 1.6 × its peak memory.
The StudyApp run uses a fresh data directory, so it includes creating the database and its cards
(the slowest start a user can have); a second figure shows a warm start on the same directory.

Usage: python bench/startup.py [--repeat N]   (exit 1 if a target is missed)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import time
t0 = time.perf_counter()
import json, resource, sys
which = sys.argv[1]
if which == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Label

    class Bare(App):
        def compose(self):
            yield Header()
            yield Label("hello")
            yield Footer()

    cls = Bare
else:
    from studyapp.ui.app import StudyApp as cls

times = {}
original_ready = getattr(cls, "on_ready", None)

def on_ready(self):
    # Textual sends Ready once the first frame has been displayed.
    times["first"] = time.perf_counter() - t0
    if original_ready is not None:
        original_ready(self)
    if which == "bare":
        self.exit()

cls.on_ready = on_ready

if which != "bare":
    # Also time until the dashboard shows the real counts (the data opens after first frame).
    orig_loaded = cls.study_data_loaded

    def study_data_loaded(self):
        orig_loaded(self)
        times["data"] = time.perf_counter() - t0
        self.call_after_refresh(self.exit)

    cls.study_data_loaded = study_data_loaded

app = cls()
app.run(headless=True, size=(100, 30))
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": times["first"], "data_seconds": times.get("data"), "rss_mb": rss_kb / 1024,
                  "sympy": "sympy" in sys.modules}))
"""


def run_once(which: str, data_dir: str) -> dict:
    env = dict(os.environ, STUDYAPP_DATA_DIR=data_dir)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which], capture_output=True, text=True, env=env, timeout=120
    )
    if out.returncode != 0:
        raise SystemExit(f"{which} run failed: {out.stderr.strip().splitlines()[-1:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    bare, cold, warm = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            bare.append(run_once("bare", tmp))
            fresh = os.path.join(tmp, f"cold{i}")
            cold.append(run_once("studyapp", fresh))
            warm.append(run_once("studyapp", fresh))
    if any(r["sympy"] for r in cold + warm):
        print("FAIL: sympy was imported at start-up")
        return 1

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    b_t, b_m = med(bare, "seconds"), med(bare, "rss_mb")
    print(
        f"{'app':<22}{'first screen (s)':>18}{'data shown (s)':>16}{'peak RSS (MB)':>15}"
        f"{'time ×':>9}{'memory ×':>10}"
    )
    print(f"{'bare Textual':<22}{b_t:>18.3f}{'':>16}{b_m:>15.1f}{1:>9.2f}{1:>10.2f}")
    ok = True
    for name, rows in (("StudyApp (new data)", cold), ("StudyApp (warm)", warm)):
        t, m, d = med(rows, "seconds"), med(rows, "rss_mb"), med(rows, "data_seconds")
        print(f"{name:<22}{t:>18.3f}{d:>16.3f}{m:>15.1f}{t / b_t:>9.2f}{m / b_m:>10.2f}")
        ok &= t / b_t <= 1.5 and m / b_m <= 1.6
    print("targets: time ≤ 1.50 ×, memory ≤ 1.60 × —", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
