"""Review sessions of one deck and custom study sets: what they show, their counts as cards move
between queues, the line that says when the next card comes, flags and card info."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studyapp.core.cards import CardSpec
from studyapp.core.scheduling import Rating, State
from studyapp.storage import Storage
from studyapp.study import custom
from studyapp.study.card_info import card_info
from studyapp.study.session import ReviewSession, StudyScope, open_study

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOPICS = ("activations", "losses", "optimizers")


class Clock:
    def __init__(self, t: datetime):
        self.t = t

    def __call__(self) -> datetime:
        return self.t


def spec(entry: str, topic: str) -> CardSpec:
    return CardSpec.plain(f"{entry}::f", entry, "f", topic, f"DL::{topic}", f"{entry}?", "A")


@pytest.fixture
def store(tmp_path):
    s = Storage.open(tmp_path / "studyapp.db", tz=UTC, now=T0)
    s.sync_cards([spec(f"{t[0]}{i}", t) for t in TOPICS for i in range(4)], now=T0)
    yield s
    s.close()


def test_a_deck_session_and_its_counts_as_cards_move(store):
    clock = Clock(T0)
    s = ReviewSession(store, clock, StudyScope(topic="losses"))
    assert s.current.topic == "losses"
    assert s.counts() == {"new": 4, "learning": 0, "review": 0}
    s.rate(Rating.Again)  # the new card is in learning now, due in a minute
    assert s.counts() == {"new": 3, "learning": 1, "review": 0}
    topics = set()
    while not s.done:
        topics.add(s.current.topic)
        clock.t += timedelta(minutes=2)
        s.rate(Rating.Easy)
    assert topics == {"losses"} and s.counts() == {"new": 0, "learning": 0, "review": 0}
    assert s.next_due().startswith("tomorrow: ")


def test_next_card_in_minutes_when_a_learning_card_waits(store):
    clock = Clock(T0)
    store.save_settings({"learning_steps_min": [60.0]})
    s = ReviewSession(store, clock, StudyScope(topic="optimizers"))
    while not s.done:
        s.rate(Rating.Again if s.current.key == "o0::f" else Rating.Easy)
    assert s.next_due() == "next card in 1 h"
    clock.t += timedelta(minutes=45)  # within the learn-ahead limit: it comes back
    assert s.refresh().key == "o0::f" and s.counts()["learning"] == 1


def test_custom_set_keeps_a_card_until_it_leaves_learning(store):
    clock = Clock(T0)
    keys = ("a2::f", "l1::f", "o3::f")
    s = ReviewSession(store, clock, StudyScope(keys=keys, title="three"))
    assert s.current.key == "a2::f"  # the set's order, limits ignored
    store.save_settings({"new_per_day": 0})
    assert s.counts() == {"new": 3, "learning": 0, "review": 0}
    s.rate(Rating.Again)
    assert s.current.key == "l1::f"
    assert s.counts() == {"new": 2, "learning": 1, "review": 0}
    s.rate(Rating.Easy)
    s.rate(Rating.Easy)
    assert s.current.key == "a2::f"  # nothing else left: the learning card, ahead of time
    s.rate(Rating.Good)
    s.rate(Rating.Good)
    assert s.done and store.get_card("a2::f").state == State.Review
    assert s.counts() == {"new": 0, "learning": 0, "review": 0}
    s.undo()  # undo puts the card back in the set
    assert s.current.key == "a2::f" and s.counts()["learning"] == 1


def test_extra_new_cards_today(store):
    store.save_settings({"new_per_day": 1})
    clock = Clock(T0)
    ReviewSession(store, clock, StudyScope(topic="losses")).rate(Rating.Easy)
    assert store.totals(T0, "losses")["new"] == 0
    scope = custom.extra_new(store, T0, "losses", 2)
    assert scope.title == "Losses · 2 more new today"
    s = ReviewSession(store, clock, scope)
    shown = []
    while not s.done:
        shown.append(s.current.key)
        s.rate(Rating.Easy)
    assert shown == ["l1::f", "l2::f"]


def test_review_ahead_and_weak_topic_sets(store):
    clock = Clock(T0)
    s = ReviewSession(store, clock)
    while not s.done:  # all 12 new cards rated Easy: due in days
        s.rate(Rating.Easy)
    store.record_attempt("quiz", "q", "losses", False, 3.0, now=T0)
    store.record_attempt("quiz", "q", "activations", True, 3.0, now=T0)
    assert [w.key for w in custom.weak_topics(store)][:2] == ["losses", "activations"]
    assert custom.weak_topics(store)[0].label == "Losses (0% of 1 right)"
    later = T0 + timedelta(days=1)
    ahead = custom.review_ahead(store, later, 30, "optimizers")
    assert len(ahead.keys) == 4 and ahead.title == "Optimizers · review ahead 30 d"
    assert custom.review_ahead(store, later, 1, None).keys == ()
    store.record_review("l2::f", Rating.Again, later)  # forgotten: the weakest losses card
    weak = custom.weak_topic(store, later + timedelta(days=1), "losses")
    assert weak.keys[0] == "l2::f" and set(weak.keys) == {f"l{i}::f" for i in range(4)}
    store.suspend("l3::f")
    assert "l3::f" not in custom.weak_topic(store, later, "losses").keys


def test_weak_step_studies_the_cards_that_teach_it(tmp_path):
    specs = [spec("bp.hidden_delta", "backprop"), spec("bp.output_delta", "backprop")]
    s = open_study(now=T0, path=tmp_path / "x.db", tz=UTC, cardspecs=specs)
    try:
        for _ in range(3):
            s.record_attempt("exercise", "x", "backprop", False, 1.0, step="delta_hidden", now=T0)
        assert custom.weak_steps(s)[0].key == "delta_hidden"
        assert custom.weak_step(s, T0, "delta_hidden").keys == ("bp.hidden_delta::f",)
    finally:
        s.close()


def test_flag_toggles_and_card_info(store):
    clock = Clock(T0)
    s = ReviewSession(store, clock)
    s.reveal()
    assert s.flag(1) == 1 and s.current.flag == 1 and s.revealed
    assert s.flag(1) == 0 and store.get_card(s.current.key).flag == 0
    key = s.current.key
    clock.t += timedelta(seconds=8)
    s.rate(Rating.Good)
    info = card_info(store, key, T0 + timedelta(minutes=5))
    assert [h["rating"] for h in info.history] == [3] and info.total_seconds == 8.0
    assert info.card.state == State.Learning and 0.5 < info.retrievability <= 1.0
    assert card_info(store, s.current.key, T0).retrievability is None  # new: no memory yet
