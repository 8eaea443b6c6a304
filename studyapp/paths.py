"""Where the app reads its content and writes its data.

:func:`data_dir` is the one place that resolves (and creates) the data directory, so every
command that touches data reports a data directory it cannot use the same way: one
:class:`~studyapp.errors.DataError` line naming the path and the reason, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from studyapp.errors import DataError, os_reason

_PACKAGE_DIR = Path(__file__).resolve().parent
ENV_VAR = "STUDYAPP_DATA_DIR"


def configured_data_dir() -> Path:
    """``$STUDYAPP_DATA_DIR`` if set, else platformdirs' user data dir (nothing is checked)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("studyapp"))


def data_dir(create: bool = True) -> Path:
    """The user data directory (see :func:`configured_data_dir`), created when ``create``.

    Raises DataError naming the path when it exists but is not a directory, or when it must be
    created and cannot be (a parent that is a file, permission denied, read-only file system,
    disk full). Without ``create`` a missing directory is returned as it is (readers find no data).
    """
    path = configured_data_dir()
    # os.path's tests answer False instead of raising (e.g. on a directory that cannot be searched)
    if os.path.lexists(path) and not os.path.isdir(path):
        raise _unusable(path, "it is a file, not a directory")
    if create and not os.path.isdir(path):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unusable(path, f"cannot create it: {_mkdir_reason(path, exc)}") from None
    return path


def _mkdir_reason(path: Path, exc: OSError) -> str:
    """Why ``path`` could not be made, naming the ancestor that is in the way when there is one."""
    for parent in path.parents:
        if os.path.lexists(parent):
            if not os.path.isdir(parent):
                return f"{parent} is a file, not a directory"
            break
    return os_reason(exc)


def _unusable(path: Path, why: str) -> DataError:
    source = f" (${ENV_VAR})" if os.environ.get(ENV_VAR) else ""
    return DataError(
        f"data directory {path}{source}: {why}; set {ENV_VAR} to a directory you can write"
    )


def content_dir() -> Path:
    """The shipped study material.

    In a checkout (editable install) this is the repository's top-level ``content/``; in a wheel
    it is force-included as ``studyapp/_content``.
    """
    shipped = _PACKAGE_DIR / "_content"
    if shipped.is_dir():
        return shipped
    return _PACKAGE_DIR.parent / "content"


def user_content_dir(create: bool = False) -> Path:
    """Content the user imported (``studyapp content import``), inside the data directory.

    Readers leave ``create`` False: a data directory that does not exist yet has no imported
    content, and looking must not create it (a data directory that is a file is still an error).
    """
    return data_dir(create=create) / "content"
