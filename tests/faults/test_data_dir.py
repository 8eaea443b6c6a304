"""Every subcommand that touches the data directory, run with one that cannot be used: a regular
file, a path under a file, a path that cannot be created, a read-only directory. Each gets one
stderr line naming the path (exit 2), never a traceback; a command that only reads may instead
run without the data directory (exit 0), and must not create anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.faults.conftest import NOTES, remount_read_only

# argv, and whether the command must write to the data directory
COMMANDS = {
    "stats": (["stats", "--json"], True),
    "review": (["review"], True),
    "serve": (["serve", "--port", "0"], True),
    "optimize": (["optimize", "--json"], True),
    "content import": (["content", "import", "{notes}"], True),
    "backup restore": (["backup", "restore", "{backup}"], True),
    "quiz": (["quiz", "--count", "2", "--seed", "1", "--format", "json"], False),
    "content check": (["content", "check", "--structure-only"], False),
    "export": (["export", "--format", "csv", "--output", "{out}"], False),
    "backup list": (["backup", "list"], False),
}


def _argv(name: str, tmp_path: Path) -> list[str]:
    from studyapp.storage import Storage

    notes = tmp_path / "notes.md"
    notes.write_text(NOTES)
    backup = tmp_path / "backup.db"
    if name == "backup restore" and not backup.exists():
        Storage.open(backup).close()  # a sound (empty) studyapp database to restore
    paths = {"notes": notes, "out": tmp_path / "out.csv", "backup": backup}
    return [a.format(**paths) for a in COMMANDS[name][0]]


def _check(studyapp, monkeypatch, tmp_path, data: Path, shown: str, name: str) -> None:
    monkeypatch.setenv("STUDYAPP_DATA_DIR", str(data))
    argv = _argv(name, tmp_path)
    before = sorted(p.name for p in data.parent.iterdir()) if data.parent.is_dir() else None
    result = studyapp(*argv)
    writes = COMMANDS[name][1]
    if result.code == 0 and not writes:
        assert "Traceback" not in result.err
    else:
        line = result.one_error_line()
        assert shown in line, line
    if before is not None:  # nothing was created beside the bad data directory
        assert sorted(p.name for p in data.parent.iterdir()) == before


@pytest.mark.parametrize("name", COMMANDS)
def test_a_data_dir_that_is_a_file(name, studyapp, monkeypatch, tmp_path):
    data = tmp_path / "data"
    data.write_text("not a directory")
    _check(
        studyapp, monkeypatch, tmp_path, data, f"{data} ($STUDYAPP_DATA_DIR): it is a file", name
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_a_data_dir_under_a_file_or_where_nothing_can_be_created(
    name, studyapp, monkeypatch, tmp_path
):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a directory should be")
    _check(studyapp, monkeypatch, tmp_path, blocker / "data", str(blocker), name)
    # /proc lets nobody, root included, create a directory or a file in it
    _check(studyapp, monkeypatch, tmp_path, Path("/proc/studyapp-faults/data"), "/proc", name)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_data_dir_on_a_read_only_file_system(name, studyapp, monkeypatch, tmp_path, tmpfs):
    disk = tmpfs("ro")
    (disk / "data").mkdir()
    remount_read_only(disk)
    _check(studyapp, monkeypatch, tmp_path, disk / "data", "read-only file system", name)
    _check(studyapp, monkeypatch, tmp_path, disk / "missing", "read-only file system", name)


def test_the_real_process_says_it_in_one_line(tmp_path):
    data = tmp_path / "data"
    data.write_text("not a directory")
    done = run_cli("stats", env={"STUDYAPP_DATA_DIR": str(data)})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"studyapp stats: error: data directory {data} ($STUDYAPP_DATA_DIR): it is a file, not "
        "a directory; set STUDYAPP_DATA_DIR to a directory you can write"
    ]
