"""Write an output file atomically, keeping a backup of the file it replaces.

The project rule is that no file is overwritten without a backup, and a reader (Anki, a browser,
a printer queue) must never see a half-written file. So every export goes through
:func:`atomic_write`: the content is written to a temporary file in the *same directory* (so the
final ``os.replace`` is a rename within one file system, which POSIX makes atomic), flushed to
disk, the previous file is kept as ``<path>.bak``, and only then is the temporary file renamed
over the target.

Only regular files are written: a FIFO, a device, a socket or a directory given as the output is
refused (replacing it would break whatever uses it), and a symbolic link is followed, so the file
it points to is replaced (with its own ``.bak``) and the link stays. Every problem with the path
becomes a one-line :class:`~studyapp.errors.UsageError` (exit 2).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from studyapp.errors import UsageError, file_kind, os_reason, why_unwritable
from studyapp.fsync import fsync_path

BACKUP_SUFFIX = ".bak"


def backup_path(path: str | os.PathLike) -> Path:
    """Where the previous version of ``path`` is kept: ``<path>.bak`` (one generation)."""
    path = Path(path)
    return path.with_name(path.name + BACKUP_SUFFIX)


def check_writable(path: str | os.PathLike) -> Path:
    """Validate an output path before any (possibly slow) work is done; returns the file that
    will really be written.

    ``~`` is expanded and symbolic links are followed: writing through a link replaces the file
    it points to (and keeps *that* file's ``.bak``), the link itself stays. Raises UsageError with
    one line naming the path when it is not a regular file (a directory, a FIFO, a device, a
    socket: replacing those by a regular file would break whatever uses them), its directory is
    missing, is not a directory or cannot be written, or an existing file is read-only.
    """
    raw = str(path)
    if not raw.strip():
        raise UsageError("output path is empty")
    given = Path(raw).expanduser()
    target = Path(os.path.realpath(given))
    shown = given if target == given.absolute() else f"{given} (→ {target})"
    parent = target.parent
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:  # a link loop, a path through a file, ...
        raise UsageError(f"cannot write {shown}: {os_reason(exc)}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise UsageError(f"cannot write {shown}: it is {file_kind(st.st_mode)}, not a regular file")
    if not parent.exists():
        raise UsageError(f"cannot write {shown}: directory {parent} does not exist")
    if not parent.is_dir():
        raise UsageError(f"cannot write {shown}: {parent} is not a directory")
    denied = why_unwritable(parent)
    if denied:
        raise UsageError(f"cannot write {shown}: {denied} for directory {parent}")
    if st is not None and not os.access(target, os.W_OK):
        # Replacing by rename would succeed even for a read-only file; respect the user's
        # intent to protect it, as a plain overwrite would.
        raise UsageError(f"cannot write {shown}: the existing file is read-only")
    bak = backup_path(target)
    if os.path.lexists(bak) and not (os.path.islink(bak) or bak.is_file()):
        raise UsageError(
            f"cannot write {shown}: its backup {bak} is "
            f"{file_kind(os.lstat(bak).st_mode)}, not a regular file"
        )
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
    file is removed and the original file is left untouched. Returns ``path`` as given (``~``
    expanded; through a symbolic link the file written is the one it points to).
    """
    target = check_writable(path)
    parent = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {os_reason(exc)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        fsync_path(tmp)
        _copy_mode(target, tmp)
        if keep_backup and target.exists():
            _make_backup(target)
        os.replace(tmp, target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {os_reason(exc)}") from None
    finally:
        if tmp.exists():
            tmp.unlink(missing_ok=True)
    fsync_path(parent)
    return Path(str(path)).expanduser()


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
    bak.unlink(missing_ok=True)  # a regular file or a link (check_writable refused anything else)
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
