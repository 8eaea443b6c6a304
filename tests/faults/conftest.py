"""Helpers of the fault suite: run the CLI in-process, mount small file systems.

``studyapp.cli.main(argv)`` is called in this process (far cheaper than a process per case; the
suite has a time budget), with stdout and stderr captured; a separate test runs the real process
for the same kind of fault. The TUI and the web server are stubbed, so a command that should
have failed but did not cannot hang the suite.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str

    def one_error_line(self) -> str:
        """The single stderr line of a failure (asserts there is exactly one, no traceback)."""
        lines = self.err.splitlines()
        assert self.code == 2, (self.code, self.err)
        assert len(lines) == 1 and "Traceback" not in self.err, self.err
        return lines[0]


@pytest.fixture
def stub_launchers(monkeypatch):
    """The TUI and `serve` return at once instead of taking over the terminal or a port."""
    from studyapp import web
    from studyapp.ui import app

    launched: list[str] = []
    monkeypatch.setattr(app.StudyApp, "run", lambda self, *a, **k: launched.append("tui"))
    monkeypatch.setattr(web, "serve", lambda *a, **k: launched.append("serve"))
    monkeypatch.setattr(web, "bind", lambda host, port: launched.append("bind"))
    return launched


@pytest.fixture
def studyapp(capsys, stub_launchers):
    """``studyapp(*argv) -> Result``: the CLI's main() in this process."""
    from studyapp.cli import main

    def run(*argv: str) -> Result:
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse's own exits
            code = exc.code if isinstance(exc.code, int) else 2
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def tmpfs(tmp_path):
    """``tmpfs(name, size="1m") -> Path``: a fresh tmpfs mounted under tmp_path (unmounted at the
    end). Skips the test where mounting is not possible (not root, no CAP_SYS_ADMIN)."""
    mounted: list[Path] = []

    def mount(name: str, size: str = "1m") -> Path:
        point = tmp_path / name
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True, capture_output=True)


NOTES = "| Term | Meaning |\n|---|---|\n| epoch | one pass over the training data |\n"
