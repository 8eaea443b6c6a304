"""End to end: `studyapp serve`, a real headless Chromium, keys pressed in the page, and the
ratings found in the database through `studyapp stats --json`.

Two tabs: the second opens while the first is still open, each runs its own app process over the
same data directory, and both ratings are saved. The browser may contact the serve address only.
ctrl+c then stops the server with exit 0, no output, and no app process left.

`make screenshots` sets ``STUDYAPP_SCREENSHOT_DIR=docs`` to keep the README's picture; otherwise
the screenshot goes to the test's temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.web.browser import Browser, Served, chromium_or_skip, launch_chromium, process_alive

pytestmark = pytest.mark.browser

SCREENSHOT = "browser-review.png"


def stats() -> dict:
    out = run_cli("stats", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_two_tabs_review_in_the_browser_and_both_ratings_are_saved(tmp_path):
    from playwright.sync_api import sync_playwright

    executable = chromium_or_skip()
    before = stats()
    served = Served()
    try:
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright, executable)
            browser = Browser(chromium, served.origin)
            try:
                first = browser.open_tab(served.url)
                first.review_one_card(screenshot=tmp_path / SCREENSHOT)
                after_first = stats()
                assert after_first["reviews_total"] == after_first["reviews_today"] == 1

                # A second tab while the first is open: its own app, the same database.
                second = browser.open_tab(served.url)
                assert len(served.app_pids()) == 2
                second.review_one_card()
                after_second = stats()
                assert after_second["reviews_total"] == after_second["reviews_today"] == 2
                # Two different cards were rated (a card rated twice would leave one more new).
                assert after_second["cards_new"] == before["cards_new"] - 2

                assert browser.foreign_requests() == []
                fonts = [
                    "DejaVuSansMono.ttf",
                    "DejaVuSansMono-Bold.ttf",
                    "NotoSansSymbols2-subset.ttf",
                ]
                assert {f"{served.origin}/fonts/{name}" for name in fonts} <= set(browser.urls)
                websocket = served.origin.replace("http://", "ws://", 1) + "/ws?"
                assert sum(url.startswith(websocket) for url in browser.urls) == 2

                # ctrl+c with both tabs open: exit 0, nothing printed, both app processes ended.
                app_pids = served.app_pids()
                assert len(app_pids) == 2
                assert served.stop() == (0, "", "")
                assert [pid for pid in app_pids if process_alive(pid)] == []
            finally:
                chromium.close()
    finally:
        served.stop()

    keep = os.environ.get("STUDYAPP_SCREENSHOT_DIR")
    if keep:
        shutil.copy(tmp_path / SCREENSHOT, Path(keep) / SCREENSHOT)
