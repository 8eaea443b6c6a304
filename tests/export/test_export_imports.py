"""Layering: the export package stays out of the UI and loads heavy libraries only when used."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


def test_building_the_export_parsers_imports_nothing_heavy():
    top = _modules_after(
        "from studyapp.cli import build_parser\nbuild_parser('export'); build_parser('worksheet')"
    )
    assert not {"genanki", "numpy", "sympy", "textual"} & top


def test_export_and_worksheet_modules_never_import_textual():
    top = _modules_after(
        "import studyapp.export.exporter, studyapp.export.worksheet, studyapp.export.apkg\n"
        "import studyapp.export.text_formats, studyapp.export.formulas"
    )
    assert "textual" not in top
    assert "genanki" not in top  # only when an .apkg is written or a GUID computed
