"""Where the app reads its content and writes its data."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(create: bool = True) -> Path:
    """The user data directory: ``$STUDYAPP_DATA_DIR`` if set, else platformdirs' user data dir."""
    env = os.environ.get("STUDYAPP_DATA_DIR")
    if env:
        path = Path(env).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("studyapp"))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def content_dir() -> Path:
    """The shipped study material.

    In a checkout (editable install) this is the repository's top-level ``content/``; in a wheel
    it is force-included as ``studyapp/_content``.
    """
    shipped = _PACKAGE_DIR / "_content"
    if shipped.is_dir():
        return shipped
    return _PACKAGE_DIR.parent / "content"


def user_content_dir() -> Path:
    """Content the user imported (``studyapp content import``), inside the data directory."""
    return data_dir() / "content"
