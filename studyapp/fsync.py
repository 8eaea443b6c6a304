"""Making a written file, or a rename in a directory, durable (``fsync``): shared by every writer
of files (exports, backups, restores), below every layer."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: str | os.PathLike) -> None:
    """Flush a file's data, or a directory's entries (a rename into it), to the disk.

    OSError if a file cannot be flushed (a full disk may say so only now); for a directory it is
    best effort, since not every platform can open or flush one.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        if not Path(path).is_dir():
            raise
        return
    try:
        os.fsync(fd)
    except OSError:
        if not Path(path).is_dir():
            raise
    finally:
        os.close(fd)
