"""Custom study, as Anki's dialog offers it: each choice gives the :class:`StudyScope` of one
session.

- :func:`extra_new` raises today's new-card limit of a deck (or of all decks) and studies it;
- :func:`review_ahead` gathers the review cards due in the next N days;
- :func:`weak_topic` / :func:`weak_step` gather the cards of a topic, or the cards that teach an
  exercise step, the least well remembered first (lowest retrievability now), then new ones.

:func:`weak_topics` and :func:`weak_steps` list the choices, weakest first, from the quiz and
exercise answers the learner gave (``Storage.topic_accuracy`` / ``step_accuracy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from studyapp.core import scheduling as sch
from studyapp.core.catalog import TOPICS, topic_title
from studyapp.core.steps import DEFAULT_STEP_CARDS, STEP_CARDS, STEP_TYPES, ranked
from studyapp.storage import CardRow, Storage
from studyapp.study.session import StudyScope

#: At most this many cards in one custom session (Anki's custom study default is 100).
SET_LIMIT = 100


@dataclass(frozen=True)
class Weakness:
    """One choice of the weak-topic or weak-step list: its key, its name, and the learner's
    quiz or exercise answers to it (correct of total; total 0 when never asked)."""

    key: str
    name: str
    correct: int
    total: int

    @property
    def label(self) -> str:
        if not self.total:
            return f"{self.name} (no answers yet)"
        return f"{self.name} ({self.correct / self.total:.0%} of {self.total} right)"


def deck_title(topic: str | None) -> str:
    return "All decks" if topic is None else topic_title(topic)


def extra_new(storage: Storage, now: datetime, topic: str | None, count: int) -> StudyScope:
    """Raise today's new-card limit of deck ``topic`` (None: all decks) by ``count``, and study
    that deck (the raise lasts for the study day, as in Anki)."""
    storage.extend_limits(now, topic, new=count)
    return StudyScope(topic=topic, title=f"{deck_title(topic)} · {count} more new today")


def review_ahead(storage: Storage, now: datetime, days: int, topic: str | None) -> StudyScope:
    """The review cards of deck ``topic`` (None: all) due in the next ``days`` days, soonest
    first. FSRS rates an early review by the time that really passed."""
    cards = storage.due_ahead(now, days, topic, limit=SET_LIMIT)
    return StudyScope(
        topic=topic,
        keys=tuple(c.key for c in cards),
        title=f"{deck_title(topic)} · review ahead {days} d",
    )


def weakest_first(cards: list[CardRow], now: datetime, settings: sch.Settings) -> list[CardRow]:
    """Studied cards by retrievability now, lowest first, then new cards in content order;
    suspended and orphaned cards are left out."""
    live = [c for c in cards if not (c.suspended or c.orphaned)]
    studied = [c for c in live if c.state != sch.State.New]
    studied.sort(key=lambda c: sch.retrievability(c.card_state, now, settings) or 0.0)
    return [*studied, *(c for c in live if c.state == sch.State.New)][:SET_LIMIT]


def _searched(storage: Storage, now: datetime, queries: tuple[str, ...]) -> list[CardRow]:
    """The cards matching any of ``queries`` (browse searches), each once, in content order."""
    found: dict[str, CardRow] = {}
    for query in queries:
        for card in storage.search_cards(query, now=now):
            found.setdefault(card.key, card)
    return sorted(found.values(), key=lambda c: c.id)


def weak_topic(storage: Storage, now: datetime, topic: str) -> StudyScope:
    """The cards of ``topic``, the least well remembered first."""
    cards = weakest_first(_searched(storage, now, (f"topic:{topic}",)), now, storage.settings)
    return StudyScope(keys=tuple(c.key for c in cards), title=f"Weak topic · {topic_title(topic)}")


def weak_step(storage: Storage, now: datetime, step: str) -> StudyScope:
    """The cards that teach exercise step ``step`` (``core.steps.STEP_CARDS``), the least well
    remembered first."""
    queries = STEP_CARDS.get(step, DEFAULT_STEP_CARDS)
    cards = weakest_first(_searched(storage, now, queries), now, storage.settings)
    name = STEP_TYPES.get(step, step)
    return StudyScope(keys=tuple(c.key for c in cards), title=f"Weak step · {name}")


def weak_topics(storage: Storage) -> list[Weakness]:
    """Every topic, weakest first by the quiz and exercise answers given (topics never asked
    come last, in the course's order)."""
    accuracy = {t: (0, 0) for t in TOPICS}
    accuracy.update(storage.topic_accuracy())
    return [Weakness(t, topic_title(t), c, n) for t, c, n in ranked(accuracy)]


def weak_steps(storage: Storage) -> list[Weakness]:
    """Every exercise step, weakest first by the learner's answers to it."""
    accuracy = {s: (0, 0) for s in STEP_TYPES}
    accuracy.update(storage.step_accuracy())
    return [Weakness(s, STEP_TYPES.get(s, s), c, n) for s, c, n in ranked(accuracy)]


__all__ = [
    "SET_LIMIT",
    "Weakness",
    "deck_title",
    "extra_new",
    "review_ahead",
    "weak_step",
    "weak_steps",
    "weak_topic",
    "weak_topics",
    "weakest_first",
]
