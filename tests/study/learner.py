"""A simulated learner whose memory follows FSRS-6 with known, non-default parameters.

The app schedules the reviews (``studyapp.core.scheduling.review`` with the app's settings, or
``Storage.record_review`` itself); the learner's *true* memory state is tracked with fsrs-rs and
the true parameters, and each answer is drawn from the true retrievability: recalled with
probability R(t, S) = (1 + f·t/S)^(-decay), f = 0.9^(-1/decay) - 1, where t is the number of study
days since the card's previous review (same-day learning steps are always recalled). A recalled
card is rated Hard, Good or Easy (10/80/10 %), a forgotten one Again; a new card's first rating
is Again/Hard/Good/Easy with 20/10/55/15 %.

Every day at 18:00 UTC (or the ``start`` time) the learner takes ``new_per_day`` new cards and
then answers every card the app shows as due, learning steps included, until nothing is due
before the session ends.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs_rs_python

from studyapp.core import scheduling as sch
from studyapp.core.cards import CardSpec
from studyapp.core.revlog import LoggedReview
from studyapp.core.scheduling import CardState, Settings
from studyapp.storage import Storage

#: A learner who forgets faster than FSRS's defaults assume: lower first-review stabilities,
#: slower stability growth after a recall (w8), a steeper forgetting curve (w20).
SLOW_LEARNER: tuple[float, ...] = tuple(
    {0: 0.2, 1: 0.6, 2: 1.2, 3: 4.0, 8: 0.9, 20: 0.3}.get(i, w)
    for i, w in enumerate(sch.DEFAULT_PARAMETERS)
)

T0 = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
DAY_HOURS = 9  # each session lasts until 9 hours after it started (learning steps included)

#: review(card_id, rating, now, duration_s) -> the card's state after the rating (the app's job).
Reviewer = Callable[[int, int, datetime, float], CardState]


@dataclass
class TrueMemory:
    """What the learner really remembers of one card (fsrs-rs memory state) and when they last saw it."""

    memory: object | None = None
    last_day: int | None = None


def recall_probability(days: int, stability: float, decay: float) -> float:
    factor = 0.9 ** (-1 / decay) - 1
    return (1 + factor * days / stability) ** (-decay)


def simulate(
    review: Reviewer,
    cards: int,
    days: int,
    new_per_day: int = 10,
    seed: int = 0,
    parameters: tuple[float, ...] = SLOW_LEARNER,
    start: datetime = T0,
) -> None:
    """Run the learner for ``days`` days over cards 1..``cards``, rating through ``review``;
    each day's session starts at ``start``'s time of day."""
    rng = random.Random(seed)
    model = fsrs_rs_python.FSRS(list(parameters))
    due: dict[int, datetime] = {}
    truth: dict[int, TrueMemory] = {}
    introduced = 0
    for day in range(days):
        now, end = start + timedelta(days=day), start + timedelta(days=day, hours=DAY_HOURS)
        for card in range(introduced + 1, min(cards, introduced + new_per_day) + 1):
            due[card], truth[card] = now, TrueMemory()
        introduced = len(due)
        while True:
            waiting = sorted((t, c) for c, t in due.items() if t <= end)
            if not waiting:
                break
            now = max(now, waiting[0][0])
            for when, card in waiting:
                if when > now:
                    break
                mine = truth[card]
                elapsed = 0 if mine.last_day is None else day - mine.last_day
                rating = _answer(rng, mine, elapsed, parameters[20])
                states = model.next_states(mine.memory, 0.9, elapsed)
                mine.memory = (states.again, states.hard, states.good, states.easy)[
                    rating - 1
                ].memory
                mine.last_day = day
                due[card] = review(card, rating, now, rng.uniform(3, 15)).due
                now += timedelta(seconds=20)


def _answer(rng: random.Random, mine: TrueMemory, elapsed: int, decay: float) -> int:
    if mine.memory is None:
        return rng.choices((1, 2, 3, 4), (0.2, 0.1, 0.55, 0.15))[0]
    recalled = elapsed == 0 or rng.random() < recall_probability(
        elapsed, mine.memory.stability, decay
    )
    return rng.choices((2, 3, 4), (0.1, 0.8, 0.1))[0] if recalled else 1


def simulated_log(
    cards: int, days: int, seed: int = 0, settings: Settings | None = None, **options
) -> list[LoggedReview]:
    """The review log of :func:`simulate` scheduled by the pure scheduler (no database)."""
    settings = settings or Settings()
    state: dict[int, CardState] = {}
    log: list[LoggedReview] = []

    def review(card: int, rating: int, now: datetime, duration_s: float) -> CardState:
        before = state.get(card) or CardState(due=now)
        state[card] = sch.review(before, rating, now, settings, f"card{card}").after  # seed = key
        ms = int(now.timestamp() * 1000)
        log.append(LoggedReview(card, ms, rating, before.state, round(duration_s * 1000)))
        return state[card]

    simulate(review, cards, days, seed=seed, **options)
    return log


def card_specs(cards: int) -> list[CardSpec]:
    """Cards ``card1``..``cardN``, each its own entry (no sibling burying), in that order, so
    their database ids are 1..N like the card numbers of :func:`simulate`."""
    return [
        CardSpec.plain(f"card{n}", f"e{n}", "t", "activations", "Deep Learning::X", f"Q{n}", "A")
        for n in range(1, cards + 1)
    ]


def simulate_into(storage: Storage, cards: int, days: int, seed: int = 0, **options) -> None:
    """:func:`simulate` through ``storage.record_review`` (the app's own path), on the cards of
    :func:`card_specs` (synced first)."""
    storage._conn.execute("PRAGMA synchronous = OFF")  # not a durability test: skip the fsyncs
    storage.sync_cards(card_specs(cards), now=T0)

    def review(card: int, rating: int, now: datetime, duration_s: float) -> CardState:
        return storage.record_review(f"card{card}", rating, now, duration_s).card.card_state

    simulate(review, cards, days, seed=seed, **options)
