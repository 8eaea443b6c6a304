"""Benchmark of `studyapp serve`: from starting it to the first review saved in the browser.

Each run, over a data directory whose database already exists (as a learner's does): start
``studyapp serve --port 0``, open its URL in a new tab of an already running headless Chromium,
press ``r``, ``space``, ``3`` as soon as each screen is drawn, and stop the clock when the app
shows the next card (the rating is committed before it does; ``studyapp stats --json`` then
confirms it, untimed). Prints the median (and min/max) of the phases over the runs, and the ratio
of the total to the reference measured in the same run: the wall time of one
``studyapp stats --json`` (a CLI process that opens the same database).

    .venv/bin/python bench/serve.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import run_cli  # noqa: E402
from tests.web.browser import Browser, Served, chromium_path, launch_chromium  # noqa: E402


def stats_json() -> dict:
    out = run_cli("stats", "--json")
    if out.returncode != 0:
        raise SystemExit(f"studyapp stats failed: {out.stderr}")
    return json.loads(out.stdout)


def one_run(chromium) -> dict[str, float]:
    """Seconds from starting serve to: the URL printed, the dashboard drawn, the review saved."""
    served = Served()
    t_url = time.monotonic() - served.started
    browser = Browser(chromium, served.origin)
    try:
        tab = browser.open_tab(served.url)
        t_page = time.monotonic() - served.started
        tab.review_one_card()
        t_saved = time.monotonic() - served.started
        if browser.foreign_requests():
            raise SystemExit(f"requests to other hosts: {browser.foreign_requests()}")
    finally:
        browser.close()
        served.stop()
    if stats_json()["reviews_total"] != 1:
        raise SystemExit("the review was not saved")
    return {"url printed": t_url, "dashboard drawn": t_page, "review saved": t_saved}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        print("bench/serve.py: skipped: no Chromium (apt-get install chromium)")
        return 0
    from playwright.sync_api import sync_playwright

    reference = []
    runs = []
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, executable)
        try:
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory() as data:
                    os.environ["STUDYAPP_DATA_DIR"] = data
                    stats_json()  # creates the database: it exists before the clocks start
                    t0 = time.monotonic()
                    stats_json()
                    reference.append(time.monotonic() - t0)
                    runs.append(one_run(chromium))
        finally:
            chromium.close()

    ref = statistics.median(reference)
    print(f"studyapp serve → first review saved in Chromium, {args.runs} runs (seconds):")
    for phase in runs[0]:
        values = [run[phase] for run in runs]
        print(
            f"  {phase:16} median {statistics.median(values):6.2f}   "
            f"min {min(values):6.2f}   max {max(values):6.2f}"
        )
    total = statistics.median(run["review saved"] for run in runs)
    print(f"  reference: `studyapp stats --json` median {ref:.2f} s")
    print(f"  ratio: first review saved / stats CLI = {total / ref:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
