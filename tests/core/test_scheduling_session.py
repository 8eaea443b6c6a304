"""Review sessions over simulated months, with an injected clock and a simulated learner.

Checks Anki's habits on the way (daily limits, new after reviews, buried siblings, leeches) and
that FSRS does its job: measured retention lands near the desired retention and intervals grow.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from studyapp.core import scheduling as sch
from studyapp.core.cards import CardSpec
from studyapp.core.scheduling import Rating, State
from studyapp.core.stats_report import render_text
from studyapp.core.streaks import streak_days
from studyapp.storage import Storage
from studyapp.study.session import ReviewSession, open_study
from studyapp.study.stats import compute_stats

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


Spec = CardSpec.plain


def deck(entries: int = 30, templates: int = 2) -> list[Spec]:
    topics = ["activations", "losses", "optimizers"]
    return [
        Spec(
            f"e{i:02d}::t{j}",
            f"e{i:02d}",
            f"t{j}",
            topics[i % 3],
            "Deep Learning::X",
            f"Q{i}.{j}",
            "A",
        )
        for i in range(entries)
        for j in range(templates)
    ]


class Clock:
    """The injected clock: the test moves time, the session reads it."""

    def __init__(self, t: datetime):
        self.t = t

    def __call__(self) -> datetime:
        return self.t


def simulate(
    store: Storage,
    days: int,
    seed: int = 1,
    hard: set[str] = frozenset(),
    clock: Clock | None = None,
):
    """Study once a day at 09:00 for ``days`` days until nothing is left; returns what was served.

    The learner recalls a card with FSRS' own predicted probability (cards in ``hard`` are
    forgotten at every review), so a correct scheduler should measure about the desired retention.
    """
    rng = random.Random(seed)
    clock = clock or Clock(T0)
    served = []  # (study day, key, entry, state before, rating)
    settings = store.settings
    for day in range(days):
        clock.t = T0 + timedelta(days=day)
        session = ReviewSession(store, clock)
        while not session.done:
            card = session.current
            assert not card.suspended and not card.orphaned and not card.is_buried(clock.t)
            labels = session.button_labels()
            assert set(labels) == set(sch.RATINGS)
            p = sch.retrievability(card.card_state, clock.t, settings)
            if card.key in hard and card.state == State.Review:
                rating = Rating.Again  # forgotten every time it comes back (then relearned)
            elif card.state in (State.New, State.Learning, State.Relearning):
                rating = Rating.Good if rng.random() < 0.8 else Rating.Again
            else:
                rating = Rating.Good if rng.random() < p else Rating.Again
            session.reveal()
            clock.t += timedelta(seconds=rng.randint(3, 15))
            served.append((store.study_day(clock.t), card.key, card.entry_id, card.state, rating))
            session.rate(rating)
        assert session.summary().reviewed == len(session.history)
    return served


@pytest.fixture
def store(tmp_path):
    s = Storage.open(tmp_path / "studyapp.db", tz=UTC, now=T0)
    # Durability is the fault test's subject; here fsync per review would only slow months down.
    s._conn.execute("PRAGMA synchronous = OFF")
    yield s
    s.close()


def test_four_months_of_daily_study(store):
    cards = deck()
    store.sync_cards(cards, now=T0)
    served = simulate(store, days=120)
    by_day = defaultdict(list)
    for day, key, entry, state, rating in served:
        by_day[day].append((key, entry, state, rating))
    assert len(by_day) >= 90  # some late days have nothing due any more
    for day, rows in by_day.items():
        states = [s for _, _, s, _ in rows]
        assert states.count(State.New) <= 20, day  # daily new limit
        assert states.count(State.Review) <= 200, day
        # Siblings buried: per entry at most one card served from the new/review queues a day.
        per_entry = Counter(e for _, e, s, _ in rows if s in (State.New, State.Review))
        distinct = {
            e: {k for k, e2, s, _ in rows if e2 == e and s in (State.New, State.Review)}
            for e in per_entry
        }
        assert all(len(keys) == 1 for keys in distinct.values()), (day, distinct)
        # New cards come after the day's reviews.
        if State.New in states and State.Review in states:
            assert max(i for i, s in enumerate(states) if s == State.Review) < min(
                i for i, s in enumerate(states) if s == State.New
            )
    # Every card was introduced within a month (a new card waits while its sibling is due: buried).
    first_seen = {}
    for day, key, *_ in served:
        first_seen.setdefault(key, day)
    assert len(first_seen) == len(cards)
    assert max(first_seen.values()) <= T0.date() + timedelta(days=30)
    assert sorted(first_seen.values())[29] <= T0.date() + timedelta(
        days=1
    )  # 20 on day 1, more on day 2
    # FSRS works: retention near the 90 % target, intervals grow to weeks, workload falls.
    stats = compute_stats(store, T0 + timedelta(days=119, hours=1))
    assert 0.8 <= stats["retention_30d"] <= 0.98
    mature = [c for c in store.all_cards() if c.state == State.Review]
    intervals = sorted((c.due - c.last_review).days for c in mature)
    assert intervals[len(intervals) // 2] >= 20
    first_week = sum(len(by_day[d]) for d in sorted(by_day)[:7])
    last_week = sum(len(by_day[d]) for d in sorted(by_day)[-7:])
    assert last_week < first_week / 2
    # The log has every rating, and stats agree with it.
    assert stats["reviews_total"] == len(served) == store.review_count()
    last = (T0 + timedelta(days=119)).date()
    expected_streak = (
        next(i for i in range(200) if last - timedelta(days=i) not in by_day)
        or next(i for i in range(1, 200) if last - timedelta(days=i) not in by_day) - 1
    )
    assert stats["streak_days"] == expected_streak
    assert stats["cards_total"] == len(cards) and stats["cards_new"] == 0
    assert len(stats["forecast_30d"]) == 30 and len(stats["reviews_per_day_12w"]) == 84
    assert sum(d["count"] for d in stats["reviews_per_day_12w"]) == sum(
        len(by_day[d]) for d in by_day if d > (T0 + timedelta(days=119)).date() - timedelta(days=84)
    )
    assert "Retention" in render_text(stats)


def test_leech_after_eight_lapses_in_simulation(store):
    store.sync_cards(deck(entries=3, templates=1), now=T0)
    simulate(store, days=200, seed=3, hard={"e01::t0"})
    leech = store.get_card("e01::t0")
    assert leech.leech and leech.suspended and leech.lapses == 8 and "leech" in leech.tags
    stats = compute_stats(store, T0 + timedelta(days=200))
    assert [x["key"] for x in stats["leeches"]] == ["e01::t0"]


def test_daily_limit_settings_are_obeyed(store):
    store.save_settings({"new_per_day": 4, "reviews_per_day": 5})
    store.sync_cards(deck(entries=40, templates=1), now=T0)
    served = simulate(store, days=20, seed=5)
    per_day = defaultdict(Counter)
    for day, _key, _entry, state, _rating in served:
        per_day[day][state] += 1
    days = sorted(per_day)
    assert [per_day[d][State.New] for d in days[:10]] == [4] * 10  # 40 cards, 4 a day
    assert sum(per_day[d][State.New] for d in days[10:]) == 0
    assert all(c[State.Review] <= 5 for c in per_day.values())
    assert any(c[State.Review] == 5 for c in per_day.values())


def test_session_undo_suspend_bury_and_summary(store):
    store.sync_cards(deck(entries=3, templates=2), now=T0)
    clock = Clock(T0)
    s = ReviewSession(store, clock)
    first = s.current
    assert (
        s.button_labels()
        == {Rating.Again: "1m", Rating.Hard: "6m", Rating.Good: "10m", Rating.Easy: "8d"}
        or s.button_labels()[Rating.Good] == "10m"
    )
    clock.t += timedelta(seconds=6)
    s.rate(Rating.Good)
    assert s.current.key != first.key
    restored = s.undo()
    assert restored.key == first.key and s.current.key == first.key and restored.state == State.New
    assert store.review_count() == 0
    s.suspend()
    assert store.get_card(first.key).suspended
    buried = s.current.key
    s.bury()
    assert store.get_card(buried).is_buried(clock.t)
    while not s.done:
        clock.t += timedelta(seconds=5)
        s.rate(Rating.Easy)
    summary = s.summary()
    assert summary.reviewed == len(s.history) and summary.accuracy == 1.0
    assert summary.by_rating[4] == summary.reviewed
    assert s.counts()["new"] == 0
    # Waiting for learning cards: refresh finds one once its step is due.
    store.record_review(s.history[-1].card.key, Rating.Again, clock.t)
    assert s.refresh() is not None


def test_open_study_syncs_given_cards(tmp_path):
    specs = deck(entries=2, templates=2)
    s = open_study(now=T0, path=tmp_path / "x.db", tz=UTC, cardspecs=specs)
    assert len(s.all_cards()) == 4
    s.close()
    s = open_study(now=T0, path=tmp_path / "x.db", tz=UTC, cardspecs=specs[:2])
    assert len(s.all_cards()) == 2 and len(s.all_cards(include_orphaned=True)) == 4
    s.close()


def test_streak_counts_back_from_today_or_yesterday():
    d = T0.date()
    days = {d - timedelta(days=i) for i in range(1, 6)}
    assert streak_days(days, d) == 5  # nothing yet today: the streak is still alive
    assert streak_days(days | {d}, d) == 6
    assert streak_days(days, d + timedelta(days=1)) == 0
