"""Start-up as a user sees it, against a bare Textual app measured in the same run.

Each app runs headless in a fresh interpreter (so imports and memory are counted honestly).
Two moments are timed from interpreter start:

- *first frame*: Textual's Ready event (sent once the first frame has been displayed);
- *counts shown*: the first frame in which the dashboard's deck table holds the real counts
  (the moment the user can act). On a warm start the database's cards already match the
  content, so the dashboard opens it at once and the counts are in the first frame; on a fresh
  data directory the database and its cards are created in a worker after the first frame.

Reported per app: the best of N runs of each time (what the machine can do; the shared CI
machine's load only ever adds time, as bench/exercises.py also takes the best), the median
beside it, and the peak RSS (ru_maxrss, median). The children may write
bytecode caches (``__pycache__``), as every user's Python does (pip compiles installed packages;
an editable install compiles on its first run): a sandbox that sets PYTHONDONTWRITEBYTECODE would
otherwise recompile studyapp on every start while Textual's cached bytecode loads, which
measures the sandbox, not the app. One warm-up run of each app comes first and is not counted.

Targets (issue #16): the dashboard with real counts on a warm start ≤ 1.5 × the bare app's first
frame; every first frame ≤ 1.5 × and peak memory ≤ 1.6 × the bare app's.

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
    from studyapp.ui.widgets.deck_table import DeckTable

times = {}


def done_if_timed(app):
    if "first" in times and (which == "bare" or "counts" in times):
        app.exit()


original_ready = getattr(cls, "on_ready", None)


def on_ready(self):
    # Textual sends Ready once the first frame has been displayed.
    times["first"] = time.perf_counter() - t0
    if "counts_set" in times:  # the counts were in the DOM before the first frame: in it
        times["counts"] = times["first"]
    if original_ready is not None:
        original_ready(self)
    done_if_timed(self)


cls.on_ready = on_ready

if which != "bare":
    original_show = DeckTable.show_counts

    def show_counts(self, *args, **kwargs):
        original_show(self, *args, **kwargs)
        if "first" not in times:
            times.setdefault("counts_set", time.perf_counter() - t0)
            return

        def painted():
            times.setdefault("counts", time.perf_counter() - t0)
            done_if_timed(self.app)

        self.call_after_refresh(painted)  # after the frame that shows them

    DeckTable.show_counts = show_counts

app = cls()
app.run(headless=True, size=(100, 30))
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"first": times["first"], "counts": times.get("counts"), "rss_mb": rss_kb / 1024,
                  "sympy": "sympy" in sys.modules}))
"""


def run_once(which: str, data_dir: str) -> dict:
    env = dict(os.environ, STUDYAPP_DATA_DIR=data_dir)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module docstring
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
        run_once("bare", tmp)  # warm-up runs: bytecode caches, disk cache
        run_once("studyapp", os.path.join(tmp, "warmup"))
        for i in range(args.repeat):
            bare.append(run_once("bare", tmp))
            fresh = os.path.join(tmp, f"cold{i}")
            cold.append(run_once("studyapp", fresh))
            warm.append(run_once("studyapp", fresh))
    if any(r["sympy"] for r in cold + warm):
        print("FAIL: sympy was imported at start-up")
        return 1

    def best(rows, key):
        return min(r[key] for r in rows)

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    def times(rows, key):
        return f"{best(rows, key):.3f} ({med(rows, key):.3f})"

    b_t, b_m = best(bare, "first"), med(bare, "rss_mb")
    print(f"best of {args.repeat} runs (median in brackets)")
    print(
        f"{'app':<20}{'first frame (s)':>17}{'counts shown (s)':>18}{'peak RSS (MB)':>15}"
        f"{'first ×':>9}{'counts ×':>10}{'memory ×':>10}"
    )
    print(
        f"{'bare Textual':<20}{times(bare, 'first'):>17}{'':>18}{b_m:>15.1f}{1:>9.2f}{'':>10}{1:>10.2f}"
    )
    ok = True
    for name, rows in (("StudyApp (new data)", cold), ("StudyApp (warm)", warm)):
        t, c, m = best(rows, "first"), best(rows, "counts"), med(rows, "rss_mb")
        print(
            f"{name:<20}{times(rows, 'first'):>17}{times(rows, 'counts'):>18}{m:>15.1f}"
            f"{t / b_t:>9.2f}{c / b_t:>10.2f}{m / b_m:>10.2f}"
        )
        ok &= t / b_t <= 1.5 and m / b_m <= 1.6
        if rows is warm:
            ok &= c / b_t <= 1.5
    print(
        "targets: warm counts ≤ 1.50 × bare first frame, first frames ≤ 1.50 ×, memory ≤ 1.60 × —",
        "met" if ok else "MISSED",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
