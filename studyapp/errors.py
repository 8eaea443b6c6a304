"""Errors that reach the user as one line on stderr, never as a traceback."""

from __future__ import annotations

import errno
import os
import stat


class StudyappError(Exception):
    """A problem the user can fix; ``exit_code`` is what the CLI returns."""

    exit_code = 2


class UsageError(StudyappError):
    """Bad option values or bad input (exit 2)."""


class DataError(StudyappError):
    """A data file or database that cannot be used (exit 2); the message names the file."""


def one_line(message: str) -> str:
    """``message`` with every character that would break it into lines (or control the terminal)
    shown escaped, so an error naming what the user typed stays one line on stderr."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in str(message)
    )


# errno -> the words a user reads (no errno numbers, no Python class names)
_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "disk full (no space left on device)",
    errno.EDQUOT: "disk full (quota exceeded)",
    errno.EROFS: "read-only file system",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a part of the path is not a directory",
    errno.EEXIST: "it exists and is not a directory",
    errno.ELOOP: "too many levels of symbolic links",
}


def os_reason(exc: OSError) -> str:
    """A short human reason for an OSError, e.g. ``"permission denied"``, ``"disk full (…)"``."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return (exc.strerror or str(exc)).lower()


def file_kind(mode: int) -> str:
    """What kind of file an ``st_mode`` describes, in words: "a directory", "a FIFO (named pipe)"…"""
    for test, words in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def why_unwritable(directory: str | os.PathLike) -> str | None:
    """Why files cannot be created in ``directory`` ("read-only file system", "permission
    denied"), or None if they can. ``os.access`` answers for root too on a read-only mount."""
    if os.access(directory, os.W_OK | os.X_OK):
        return None
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except (OSError, AttributeError):
        pass
    return "permission denied"
