"""`studyapp content import` never reads without end: non-regular files (/dev/zero reached 2 GB
before) and files over the size cap are refused with one line, before anything is read."""

from __future__ import annotations

import os

import pytest


@pytest.mark.parametrize(
    "kind, words",
    [
        ("device", "is a character device, not a regular file"),
        ("fifo", "is a FIFO (named pipe), not a regular file"),
        ("directory", "is a directory, not a regular file"),
        ("huge", "too large to import (62914560 bytes; the limit is 50 MB)"),
        ("latin-1", "not UTF-8 text (byte 12)"),
    ],
)
def test_notes_that_cannot_be_imported(kind, words, studyapp, tmp_path, data_dir):
    path = tmp_path / kind
    if kind == "device":
        path = "/dev/zero"
    elif kind == "fifo":
        os.mkfifo(path)  # nobody writes to it: reading would wait for ever
    elif kind == "directory":
        path.mkdir()
    elif kind == "huge":
        with open(path, "wb") as fh:  # sparse: 60 MB that take no room
            fh.truncate(60 * 1024 * 1024)
    else:
        path.write_bytes("| a | b |\n|-\xe9-|---|\n".encode("latin-1"))
    line = studyapp("content", "import", path).one_error_line()
    assert line == f"studyapp content: error: {path}: {words}" + (
        "; give a Markdown file" if "regular" in words else ""
    )
    assert not (data_dir / "content").exists()
