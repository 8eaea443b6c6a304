"""Start-up stays light: sympy (and the plotting stack) load only when a screen needs them."""

from __future__ import annotations

import json
import subprocess
import sys

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
