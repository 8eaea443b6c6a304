"""The review log as the FSRS tools read it, and the training items FSRS fits its parameters to.

A :class:`LoggedReview` is one row of the log in the column convention of the FSRS tools
(fsrs-optimizer, fsrs-rs): ``card_id`` (integer, stable per card), ``review_time`` (UTC
milliseconds since the epoch), ``review_rating`` (1-4), ``review_state`` (the card's state *when it
was reviewed*, i.e. before the rating: 0 New, 1 Learning, 2 Review, 3 Relearning) and
``review_duration`` (milliseconds, None when unknown).

:func:`training_items` turns the log into what fsrs-rs trains on, the way Anki builds them
(rslib ``scheduler/fsrs/params.rs``, ``reviews_for_fsrs``):

- per card, in time order, starting from its last review as a New card (earlier reviews belong to
  a life the card no longer has; a card never seen as New is left out, as Anki leaves out cards
  without learning steps when training);
- ``delta_t`` of each review is the number of *study days* since the card's previous review (days
  begin at the learner's rollover hour in the learner's time zone, as the FSRS tools count them),
  0 for the first review and for learning steps on the same day;
- one item per review after the first that comes on a later day than the one before it
  (``delta_t > 0``): the item holds every review up to and including that one, so same-day
  learning and relearning steps stay in its history (fsrs-rs models them as short-term memory)
  but are never a review to predict;
- items sorted by the time of the review they predict, oldest first (fsrs-rs weights recent
  items more, and a time split needs this order).

Pure: the day of a timestamp is computed by the ``day_of`` function the caller passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby

from studyapp.core.scheduling import State

#: The CSV header of the FSRS tools' review log, in order.
REVLOG_COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")


@dataclass(frozen=True)
class LoggedReview:
    """One review: card id, UTC ms, rating 1-4, the card's state before it, duration in ms."""

    card_id: int
    review_time: int
    rating: int
    state: State
    duration_ms: int | None = None

    def row(self) -> tuple[int, int, int, int, int | None]:
        """The values in :data:`REVLOG_COLUMNS` order."""
        return self.card_id, self.review_time, self.rating, int(self.state), self.duration_ms


@dataclass(frozen=True)
class TrainingItem:
    """One review FSRS learns to predict, with the card's history up to it.

    ``reviews``: ((rating, delta_t days), ...) from the card's first review (delta_t 0) to the
    predicted review (the last, delta_t > 0). ``review_time``: UTC ms of that last review.
    """

    card_id: int
    review_time: int
    reviews: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TrainingSet:
    """The items of a log, plus how much of the log they come from.

    ``reviews``: log rows used (every review of the cards that give items, same-day steps
    included); ``cards``: cards that give items; ``items``: sorted by ``review_time``.
    """

    items: tuple[TrainingItem, ...]
    reviews: int
    cards: int


def card_history(reviews: list[LoggedReview]) -> list[LoggedReview]:
    """One card's reviews (time order) from its last review as a New card; [] if it has none."""
    starts = [i for i, r in enumerate(reviews) if r.state == State.New]
    return reviews[starts[-1] :] if starts else []


def training_items(log: Iterable[LoggedReview], day_of: Callable[[int], int]) -> TrainingSet:
    """The training items of ``log`` (any order); ``day_of(ms)`` numbers the study day of a time."""
    ordered = sorted(log, key=lambda r: (r.card_id, r.review_time))
    items: list[TrainingItem] = []
    used = cards = 0
    for card_id, group in groupby(ordered, key=lambda r: r.card_id):
        history = card_history(list(group))
        days = [day_of(r.review_time) for r in history]
        deltas = [b - a for a, b in zip([*days[:1], *days], days, strict=False)]  # first: 0
        steps = tuple((r.rating, d) for r, d in zip(history, deltas, strict=True))
        mine = [
            TrainingItem(card_id, history[i].review_time, steps[: i + 1])
            for i in range(1, len(history))
            if deltas[i] > 0
        ]
        if mine:
            items.extend(mine)
            used += len(history)
            cards += 1
    items.sort(key=lambda item: (item.review_time, item.card_id))
    return TrainingSet(tuple(items), used, cards)


__all__ = [
    "REVLOG_COLUMNS",
    "LoggedReview",
    "TrainingItem",
    "TrainingSet",
    "card_history",
    "training_items",
]
