"""Row types and time conversion: what the database stores, as Python values.

Times are stored as INTEGER milliseconds since the Unix epoch (UTC) so range queries are cheap;
:func:`to_ms` and :func:`from_ms` convert. A card row becomes a frozen :class:`CardRow`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import overload

from studyapp.core.scheduling import CardState, ReviewOutcome, State


def to_ms(dt: datetime) -> int:
    """UTC milliseconds since the epoch of an aware datetime."""
    if dt.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return int(round(dt.timestamp() * 1000))


@overload
def from_ms(ms: int) -> datetime: ...
@overload
def from_ms(ms: None) -> None: ...
def from_ms(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, tz=UTC)


@dataclass(frozen=True)
class CardRow:
    """One card as stored: content fields, scheduling state and flags.

    ``tags`` are the content tags plus ``leech`` when the card is a leech. Times are UTC datetimes.
    """

    id: int
    key: str
    entry_id: str
    template: str
    topic: str
    deck: str
    front: str
    back: str
    tags: list[str]
    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    leech: bool
    orphaned: bool
    buried_until: datetime | None
    created: datetime = field(compare=False)
    flag: int = 0  # Anki's flags: 0 none, 1 red, 2 orange, 3 green, 4 blue

    @property
    def card_state(self) -> CardState:
        return CardState(
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
            reps=self.reps,
            lapses=self.lapses,
        )

    def is_buried(self, now: datetime) -> bool:
        return self.buried_until is not None and self.buried_until > now

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "entry_id": self.entry_id,
            "template": self.template,
            "topic": self.topic,
            "deck": self.deck,
            "front": self.front,
            "back": self.back,
            "tags": list(self.tags),
            "state": self.state.name.lower(),
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "leech": self.leech,
            "orphaned": self.orphaned,
            "flag": self.flag,
        }


@dataclass(frozen=True)
class RecordedReview:
    """The result of :meth:`Storage.record_review`: the committed log row id and the card after."""

    log_id: int
    card: CardRow
    outcome: ReviewOutcome


# The columns a CardRow is read from, in SELECT order.
CARD_COLUMNS = (
    "id, key, entry_id, template, topic, deck, front, back, tags, state, step, stability, difficulty,"
    " due, last_review, reps, lapses, suspended, leech, orphaned, buried_until, created, flag"
)
SELECT_CARDS = f"SELECT {CARD_COLUMNS} FROM cards"
CARD_BY_KEY = f"{SELECT_CARDS} WHERE key = ?"
CARD_BY_ID = f"{SELECT_CARDS} WHERE id = ?"


def card_from_row(r: sqlite3.Row) -> CardRow:
    """The CardRow of a row selected with :data:`CARD_COLUMNS`."""
    tags = json.loads(r["tags"] or "[]")
    if r["leech"] and "leech" not in tags:
        tags = [*tags, "leech"]
    return CardRow(
        id=r["id"],
        key=r["key"],
        entry_id=r["entry_id"],
        template=r["template"],
        topic=r["topic"],
        deck=r["deck"],
        front=r["front"],
        back=r["back"],
        tags=tags,
        state=State(r["state"]),
        step=r["step"],
        stability=r["stability"],
        difficulty=r["difficulty"],
        due=from_ms(r["due"]),
        last_review=from_ms(r["last_review"]),
        reps=r["reps"],
        lapses=r["lapses"],
        suspended=bool(r["suspended"]),
        leech=bool(r["leech"]),
        orphaned=bool(r["orphaned"]),
        buried_until=from_ms(r["buried_until"]),
        created=from_ms(r["created"]),
        flag=int(r["flag"]),
    )


__all__ = [
    "CARD_BY_ID",
    "CARD_BY_KEY",
    "CARD_COLUMNS",
    "SELECT_CARDS",
    "CardRow",
    "RecordedReview",
    "card_from_row",
    "from_ms",
    "to_ms",
]
