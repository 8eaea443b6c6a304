"""Settings as stored: one row per changed setting (name, JSON value) in the ``settings`` table;
what is not stored takes its default from :class:`~studyapp.core.scheduling.Settings`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Container
from typing import Any

from studyapp.core.scheduling import Settings
from studyapp.errors import UsageError

SELECT_SETTINGS = "SELECT key, value FROM settings"
UPSERT_SETTING = (
    "INSERT INTO settings(key, value) VALUES (?, ?) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
)


def load_settings(conn: sqlite3.Connection) -> Settings:
    """The stored settings; a stored value that is not valid (hand-edited) is ignored, so a bad
    value never locks the user out."""
    stored = {r["key"]: json.loads(r["value"]) for r in conn.execute(SELECT_SETTINGS)}
    try:
        return Settings.from_dict(stored)
    except (ValueError, TypeError):
        return Settings.from_dict(_valid_subset(stored))


def _valid_subset(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored values that are valid, taken key by key in stored order."""
    good: dict[str, Any] = {}
    for k, v in stored.items():
        try:
            Settings.from_dict({**good, k: v})
            good[k] = v
        except (ValueError, TypeError):
            pass
    return good


def merged_settings(current: Settings, values: dict[str, Any]) -> Settings:
    """``current`` with ``values`` applied; UsageError (one line) for an unknown name or a bad value."""
    known = set(Settings.__dataclass_fields__)
    unknown = sorted(set(values) - known)
    if unknown:
        raise UsageError(f"unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
    try:
        return Settings.from_dict({**current.to_dict(), **values})
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None


def write_settings(c: sqlite3.Connection, new: Settings, names: Container[str]) -> None:
    """Store the settings ``names`` of ``new`` (inside the caller's transaction)."""
    for k, v in new.to_dict().items():
        if k in names:
            c.execute(UPSERT_SETTING, (k, json.dumps(v)))


__all__ = ["load_settings", "merged_settings", "write_settings"]
