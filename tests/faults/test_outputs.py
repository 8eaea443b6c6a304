"""Every writer of files (export formats, the review log, worksheets) given a special file: a
FIFO, a socket, a directory or a device is refused with one line and left as it was; a symbolic
link is followed, and the file it points to is replaced atomically with its own ``.bak``."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

WRITERS = {
    "export csv": ["export", "--format", "csv", "--output"],
    "export apkg": ["export", "--format", "apkg", "--output"],
    "export revlog": ["export", "--format", "revlog", "--output"],
    "worksheet": ["worksheet", "--count", "1", "--format", "md", "--output"],
}


def _special(kind: str, where: Path) -> tuple[Path, str]:
    """A special file of ``kind`` and the words the error uses for it."""
    path = where / kind
    if kind == "fifo":
        os.mkfifo(path)
        return path, "a FIFO (named pipe)"
    if kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
        return path, "a socket"
    if kind == "directory":
        path.mkdir()
        return path, "a directory"
    return Path("/dev/null"), "a character device"


@pytest.mark.parametrize("kind", ["fifo", "socket", "directory", "device"])
@pytest.mark.parametrize("writer", WRITERS)
def test_a_special_file_is_refused_and_left_alone(writer, kind, studyapp, tmp_path):
    target, words = _special(kind, tmp_path)
    mode = os.lstat(target).st_mode
    line = studyapp(*WRITERS[writer], target).one_error_line()
    assert f"cannot write {target}: it is {words}, not a regular file" in line
    assert os.lstat(target).st_mode == mode  # still the same kind of file
    assert not Path(f"{target}.bak").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("writer", WRITERS)
def test_a_symlink_is_followed_and_its_target_keeps_a_backup(writer, studyapp, tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "out"
    real.write_text("the previous export")
    link = tmp_path / "link"
    link.symlink_to(real)
    assert studyapp(*WRITERS[writer], link).code == 0
    assert link.is_symlink() and link.resolve() == real  # the link is still a link
    assert stat.S_ISREG(os.lstat(real).st_mode) and real.read_bytes() != b"the previous export"
    assert (real_dir / "out.bak").read_text() == "the previous export"
    assert not (tmp_path / "link.bak").exists()
    dangling = tmp_path / "dangling"
    dangling.symlink_to(real_dir / "new")
    assert studyapp(*WRITERS[writer], dangling).code == 0
    assert (real_dir / "new").is_file() and dangling.is_symlink()


def test_a_link_loop_is_one_line(studyapp, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    line = studyapp("export", "--format", "csv", "--output", tmp_path / "a").one_error_line()
    assert "too many levels of symbolic links" in line
