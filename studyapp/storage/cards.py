"""Cards: kept in step with content (:func:`plan_sync`, :func:`apply_sync`), and the flags a
learner sets on one card (suspend, bury, flag).

A card's identity is its key, so an edited entry keeps its card and history. Cards are never
deleted: a card whose key vanished from content is marked orphaned and keeps its history, and
is un-orphaned when its key comes back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from studyapp.storage.schema import RANK_NEW_CARDS

# The content fields of a card, in the order of the INSERT and UPDATE below.
CONTENT_COLUMNS = ("entry_id", "template", "topic", "deck", "front", "back", "tags")

SELECT_CONTENT = f"SELECT key, {', '.join(CONTENT_COLUMNS)}, orphaned FROM cards"
INSERT_CARD = (
    "INSERT INTO cards (key, entry_id, template, topic, deck, front, back, tags, due,"
    " created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)
UPDATE_CONTENT = (
    "UPDATE cards SET entry_id=?, template=?, topic=?, deck=?, front=?, back=?, tags=?,"
    " orphaned=0, updated=? WHERE key=?"
)
ORPHAN_CARD = "UPDATE cards SET orphaned=1, updated=? WHERE key=?"

# Flags, each an UPDATE whose last parameter is the card's key.
SUSPEND = "UPDATE cards SET suspended=1 WHERE key=?"
UNSUSPEND = "UPDATE cards SET suspended=0 WHERE key=?"
BURY_UNTIL = "UPDATE cards SET buried_until=? WHERE key=?"
UNBURY = "UPDATE cards SET buried_until=NULL WHERE key=?"
SET_FLAG = "UPDATE cards SET flag=? WHERE key=?"

# The meta table: facts about the database (the fingerprint of the content last synced).
GET_META = "SELECT value FROM meta WHERE key = ?"
SET_META = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"


@dataclass
class SyncPlan:
    """The writes that make the cards match content: rows for INSERT_CARD, UPDATE_CONTENT and
    ORPHAN_CARD, and how many of the updates bring an orphan back."""

    inserts: list[tuple] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)
    orphans: list[tuple] = field(default_factory=list)
    restored: int = 0

    @property
    def empty(self) -> bool:
        return not (self.inserts or self.updates or self.orphans)

    def counts(self) -> dict[str, int]:
        """{"added", "updated", "orphaned", "restored"} (updated excludes the restored)."""
        return {
            "added": len(self.inserts),
            "updated": len(self.updates) - self.restored,
            "orphaned": len(self.orphans),
            "restored": self.restored,
        }


def content_values(spec: Any) -> tuple[str, ...]:
    """The CONTENT_COLUMNS of a card spec, as stored (tags as a JSON list)."""
    return (
        str(spec.entry_id),
        str(spec.template),
        str(spec.topic),
        str(spec.deck),
        str(spec.front),
        str(spec.back),
        json.dumps(list(spec.tags or []), ensure_ascii=False),
    )


def plan_sync(existing: dict[str, sqlite3.Row], cardspecs: Iterable[Any], now_ms: int) -> SyncPlan:
    """Compare the stored cards (``existing``: key -> row of SELECT_CONTENT) with the specs.

    New keys are inserted, edited or orphaned cards whose key is seen again are updated, and keys
    not seen are orphaned. The first spec of a duplicated key wins.
    """
    plan = SyncPlan()
    seen: set[str] = set()
    for spec in cardspecs:
        key = str(spec.key)
        if key in seen:
            continue
        seen.add(key)
        values = content_values(spec)
        old = existing.get(key)
        if old is None:
            plan.inserts.append((key, *values, now_ms, now_ms, now_ms))
        elif tuple(old[c] for c in CONTENT_COLUMNS) != values or old["orphaned"]:
            plan.restored += bool(old["orphaned"])
            plan.updates.append((*values, now_ms, key))
    plan.orphans = [(now_ms, k) for k, r in existing.items() if k not in seen and not r["orphaned"]]
    return plan


def stored_content(conn: sqlite3.Connection) -> dict[str, sqlite3.Row]:
    """key -> (key, content columns, orphaned) of every card."""
    return {r["key"]: r for r in conn.execute(SELECT_CONTENT)}


def apply_sync(c: sqlite3.Connection, plan: SyncPlan) -> None:
    """Write ``plan`` (inside the caller's transaction) and re-rank the new-card queue."""
    c.executemany(INSERT_CARD, plan.inserts)
    c.executemany(UPDATE_CONTENT, plan.updates)
    c.executemany(ORPHAN_CARD, plan.orphans)
    c.execute(RANK_NEW_CARDS)


__all__ = [
    "BURY_UNTIL",
    "GET_META",
    "SET_FLAG",
    "SET_META",
    "SUSPEND",
    "SyncPlan",
    "UNBURY",
    "UNSUSPEND",
    "apply_sync",
    "content_values",
    "plan_sync",
    "stored_content",
]
