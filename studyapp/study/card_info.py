"""Card info (Anki's ``i``): one card's memory state and review history, read from storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from studyapp.core import scheduling as sch
from studyapp.storage import CardRow, Storage


@dataclass(frozen=True)
class CardInfo:
    """What the card-info dialog shows.

    ``history``: the card's reviews, oldest first, as :meth:`Storage.card_history` gives them
    (reviewed_at, rating 1-4, duration_s, state_before/after, interval_days, stability,
    difficulty). ``retrievability``: predicted probability of recall now (None for a new card);
    ``stability`` in days and ``difficulty`` in [1, 10] are FSRS's, as stored on the card.
    """

    card: CardRow
    history: list[dict]
    retrievability: float | None
    now: datetime

    @property
    def total_seconds(self) -> float:
        return sum(h["duration_s"] or 0.0 for h in self.history)


def card_info(storage: Storage, key: str, now: datetime) -> CardInfo:
    """The :class:`CardInfo` of card ``key`` at ``now``; UsageError for an unknown key."""
    history = storage.card_history(key)
    card = storage.get_card(key)
    assert card is not None  # card_history raised for an unknown key
    return CardInfo(
        card=card,
        history=history,
        retrievability=sch.retrievability(card.card_state, now, storage.settings),
        now=now,
    )


__all__ = ["CardInfo", "card_info"]
