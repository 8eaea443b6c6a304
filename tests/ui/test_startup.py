"""Start-up stays light: sympy (and the plotting stack) load only when a screen needs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CODE = """
import asyncio, json, sys
from studyapp.ui.app import StudyApp

async def main():
    app = StudyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = sorted(sys.modules)
        await pilot.press("z")          # a quiz: questions generated, nothing graded yet
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(json.dumps({"first": first, "screen": type(app.screen).__name__}))

asyncio.run(main())
"""


def test_start_up_does_not_import_sympy_or_plotext(data_dir):
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    top = {m.split(".")[0] for m in report["first"]}
    assert "textual" in top  # the app really started
    assert "sympy" not in top
    assert "plotext" not in top and "textual_plotext" not in top
    assert report["screen"] == "QuizScreen"


async def test_a_warm_start_shows_the_counts_without_building_cards(data_dir, monkeypatch):
    """Second start on the same data: the cards match the content (fingerprint), so the
    dashboard opens the database on the UI thread and its first frame has the counts."""
    from studyapp.study import session
    from studyapp.ui.app import StudyApp

    session.open_study().close()  # the first start: cards built and synced

    def no_build():
        raise AssertionError("a warm start must not build the cards")

    monkeypatch.setattr(session, "load_cardspecs", no_build)
    seen = {}

    class Watched(StudyApp):
        CSS_PATH = str(Path(sys.modules[StudyApp.__module__].__file__).parent / StudyApp.CSS_PATH)

        def on_ready(self) -> None:  # Ready comes once the first frame is on screen
            seen["rows_at_first_frame"] = self.screen.query_one("#deck-table").row_count
            super().on_ready()

    app = Watched()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert seen["rows_at_first_frame"] > 1 and app.load_error is None
