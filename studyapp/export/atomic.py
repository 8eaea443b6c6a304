"""Write an output file atomically, keeping a backup of the file it replaces.

The project rule is that no file is overwritten without a backup, and a reader (Anki, a browser,
a printer queue) must never see a half-written file. So every export goes through
:func:`atomic_write`: the content is written to a temporary file in the *same directory* (so the
final ``os.replace`` is a rename within one file system, which POSIX makes atomic), flushed to
disk, the previous file is kept as ``<path>.bak``, and only then is the temporary file renamed
over the target.

Every problem with the path becomes a one-line :class:`~studyapp.errors.UsageError` (exit 2).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from studyapp.errors import UsageError

BACKUP_SUFFIX = ".bak"


def backup_path(path: str | os.PathLike) -> Path:
    """Where the previous version of ``path`` is kept: ``<path>.bak`` (one generation)."""
    path = Path(path)
    return path.with_name(path.name + BACKUP_SUFFIX)


def _reason(exc: OSError) -> str:
    """A short human reason for an OSError (no errno numbers, no Python class names)."""
    if exc.errno == errno.EACCES or exc.errno == errno.EPERM:
        return "permission denied"
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return (exc.strerror or str(exc)).lower()


def check_writable(path: str | os.PathLike) -> Path:
    """Validate an output path before any (possibly slow) work is done.

    Returns the resolved-for-user path (``~`` expanded). Raises UsageError with one line naming the
    path when its directory is missing, is not a directory, the path is a directory, or the
    directory / existing file cannot be written.
    """
    raw = str(path)
    if not raw.strip():
        raise UsageError("output path is empty")
    target = Path(raw).expanduser()
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UsageError(f"cannot write {target}: it is a directory")
    if not parent.exists():
        raise UsageError(f"cannot write {target}: directory {parent} does not exist")
    if not parent.is_dir():
        raise UsageError(f"cannot write {target}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {target}: permission denied for directory {parent}")
    if target.exists() and not os.access(target, os.W_OK):
        # Replacing by rename would succeed even for a read-only file; respect the user's
        # intent to protect it, as a plain overwrite would.
        raise UsageError(f"cannot write {target}: the existing file is read-only")
    return target


def atomic_write(
    path: str | os.PathLike,
    write: Callable[[Path], None],
    *,
    keep_backup: bool = True,
) -> Path:
    """Create ``path`` by calling ``write(tmp_path)`` and renaming the result into place.

    ``write`` receives the path of an empty temporary file in the target directory and fills it
    (it may reopen it, as genanki does). If ``path`` already exists it is preserved as
    ``<path>.bak`` (replacing an older backup) before the rename. On any failure the temporary
    file is removed and the original file is left untouched. Returns the target path.
    """
    target = check_writable(path)
    parent = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {_reason(exc)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        _fsync(tmp)
        _copy_mode(target, tmp)
        if keep_backup and target.exists():
            _make_backup(target)
        os.replace(tmp, target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {_reason(exc)}") from None
    finally:
        if tmp.exists():
            tmp.unlink(missing_ok=True)
    _fsync_dir(parent)
    return target


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """:func:`atomic_write` for a UTF-8 text file (newlines written as ``\\n``)."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    return atomic_write(path, write)


def _make_backup(target: Path) -> None:
    """Keep the current file as ``<target>.bak``.

    A hard link costs nothing and leaves ``target`` in place until the final rename, so at no
    moment is there no file at ``target``. Where links are not possible (some file systems),
    fall back to a copy.
    """
    bak = backup_path(target)
    if bak.is_dir():
        raise OSError(errno.EISDIR, f"backup path {bak} is a directory")
    bak.unlink(missing_ok=True)
    try:
        os.link(target, bak)
    except OSError:
        shutil.copy2(target, bak)


def _copy_mode(target: Path, tmp: Path) -> None:
    """Give the new file the old file's permissions, or the usual umask-based ones.

    ``mkstemp`` creates files with mode 0600, which would surprise a user sharing the export.
    """
    if target.exists():
        mode = target.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
