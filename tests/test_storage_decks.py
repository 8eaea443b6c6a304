"""Studying one deck: the queue's deck filter, Anki's per-deck daily limits (and raising them for
a day), learning counts within the learn-ahead limit, the outlook after today's cards, flags and
their search, and the content fingerprint that lets a warm start skip building cards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studyapp.core.cards import CardSpec
from studyapp.core.scheduling import Rating, State
from studyapp.errors import UsageError
from studyapp.storage import Storage

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC (study day starts 04:00)
TOPICS = ("activations", "losses", "optimizers", "terms")


def spec(entry: str, topic: str, template: str = "formula") -> CardSpec:
    return CardSpec.plain(
        f"{entry}::{template}", entry, template, topic, f"DL::{topic}", f"{entry}?", "answer"
    )


@pytest.fixture
def store(tmp_path):
    s = Storage.open(tmp_path / "studyapp.db", tz=UTC, now=T0)
    s.sync_cards([spec(f"{t[0]}{i}", t) for t in TOPICS for i in range(5)], now=T0)
    yield s
    s.close()


def study(store: Storage, now: datetime, topic: str | None, rating=Rating.Easy) -> list:
    """Rate every card the queue of ``topic`` shows (Easy: each leaves the day's queue)."""
    shown = []
    while (card := store.next_card(now, topic)) is not None:
        shown.append(card)
        store.record_review(card.key, rating, now)
        now += timedelta(seconds=10)
    return shown


def test_one_deck_shows_only_its_cards_within_its_own_limit(store):
    store.save_settings({"new_per_day": 3})
    assert store.totals(T0, "losses") == {"new": 3, "learning": 0, "due": 0}
    shown = study(store, T0, "losses")
    assert [c.topic for c in shown] == ["losses"] * 3
    assert [c.entry_id for c in shown] == ["l0", "l1", "l2"]  # content order within the deck
    assert store.totals(T0, "losses")["new"] == 0
    # The other decks keep their own limits; all decks together have used 3 of their 3.
    assert store.counts(T0)["terms"]["new"] == 3
    assert store.totals(T0)["new"] == 0 and store.next_card(T0) is None


def test_every_deck_row_is_what_studying_that_deck_shows(store):
    """The dashboard's bug: every deck showed "New 5" when 5 were left in total."""
    store.save_settings({"new_per_day": 3})
    study(store, T0, None)  # all decks: one new card each from three decks (round robin)
    counts = store.counts(T0)
    assert {t: counts[t]["new"] for t in TOPICS} == {
        "activations": 2,
        "losses": 2,
        "optimizers": 2,
        "terms": 3,
    }
    assert store.totals(T0)["new"] == 0
    for topic in TOPICS:
        assert len(study(store, T0 + timedelta(hours=1), topic)) == counts[topic]["new"]


def test_raising_todays_limits_of_all_decks_or_one(store):
    store.save_settings({"new_per_day": 2})
    study(store, T0, "terms")  # 2 new terms: the terms deck's limit and all decks' are reached
    assert store.totals(T0)["new"] == 0 and store.counts(T0)["terms"]["new"] == 0
    store.extend_limits(T0, None, new=3)  # all decks may take 3 more, and so may each deck
    assert store.counts(T0)["terms"]["new"] == 3  # 2 + 3 - 2
    assert store.totals(T0)["new"] == 3
    shown = study(store, T0 + timedelta(minutes=5), None)
    assert len(shown) == 3
    store.extend_limits(T0, "losses", new=1)
    losses_done = sum(c.topic == "losses" for c in shown)
    assert store.totals(T0, "losses")["new"] == min(5 - losses_done, 2 + 3 + 1 - losses_done)
    assert store.totals(T0)["new"] == 0  # raising one deck does not raise all decks
    # Raises last for the study day only.
    tomorrow = T0 + timedelta(days=1)
    assert store.totals(tomorrow, "losses")["new"] == 2
    with pytest.raises(UsageError, match="extra cards"):
        store.extend_limits(T0, None, new=-1)


def test_review_limit_per_deck(store):
    study(store, T0, None)  # 20 new cards, all rated Easy: due in days
    store.save_settings({"reviews_per_day": 3})
    later = T0 + timedelta(days=60)
    assert store.totals(later) == {"new": 0, "learning": 0, "due": 3}
    assert all(store.counts(later)[t]["due"] == 3 for t in TOPICS)
    assert [c.topic for c in study(store, later, "terms", Rating.Good)] == ["terms"] * 3
    assert store.counts(later)["terms"]["due"] == 0 and store.totals(later)["due"] == 0


def test_learning_counts_once_due_within_the_learn_ahead_limit(store):
    store.save_settings({"learning_steps_min": [1.0, 60.0]})
    store.record_review("a0::formula", Rating.Again, T0)  # step 0 again: due in 1 min
    assert store.totals(T0, "activations")["learning"] == 1
    store.record_review("a0::formula", Rating.Good, T0 + timedelta(minutes=1))  # next: 60 min
    counted = lambda minutes: store.totals(T0 + timedelta(minutes=minutes), "activations")  # noqa: E731
    assert counted(2)["learning"] == 0  # an hour away: not yet counted, not shown
    assert store.next_card(T0 + timedelta(minutes=2), "activations").state == State.New
    assert counted(45)["learning"] == 1  # within 20 min of its due time


def test_outlook_after_the_last_card(store):
    store.save_settings({"new_per_day": 2})
    for entry in ("l0", "l1"):  # Good on a new card: learning, next step in 10 min
        store.record_review(f"{entry}::formula", Rating.Good, T0)
    outlook = store.outlook(T0, "losses")
    assert outlook.next_learning is not None
    assert outlook.next_learning - T0 < timedelta(minutes=11)
    assert outlook.tomorrow_new == 2  # 3 new losses left, 2 a day
    assert store.outlook(T0, "terms").next_learning is None
    store.record_review("l0::formula", Rating.Easy, T0 + timedelta(minutes=11))
    assert store.outlook(T0 + timedelta(minutes=11), "losses").tomorrow_due == 1


def test_due_ahead_finds_review_cards_of_the_next_days(store):
    study(store, T0, None, Rating.Easy)
    ahead = store.due_ahead(T0, 30, "losses")
    assert ahead and {c.topic for c in ahead} == {"losses"}
    assert [c.due for c in ahead] == sorted(c.due for c in ahead)
    assert store.due_ahead(T0, 1) == []  # Easy on a new card gives days, not one


def test_flags_set_toggle_search_and_survive_undo(store):
    key = "a0::formula"
    assert store.get_card(key).flag == 0
    assert store.set_flag(key, 1).flag == 1
    store.set_flag("l0::formula", 4)
    assert [c.key for c in store.search_cards("is:flagged")] == [key, "l0::formula"]
    assert [c.key for c in store.search_cards("flag:4")] == ["l0::formula"]
    assert len(store.search_cards("flag:0")) == 18
    with pytest.raises(UsageError, match="flag:7 is not a flag"):
        store.search_cards("flag:7")
    with pytest.raises(UsageError, match="flag must be"):
        store.set_flag(key, 5)
    # A rating and its undo leave the flag as the learner set it.
    store.record_review(key, Rating.Good, T0)
    store.undo_last_review()
    assert store.get_card(key).flag == 1
    assert store.set_flag(key, 0).flag == 0


def test_sync_remembers_the_content_fingerprint(store):
    assert store.synced_fingerprint() is None
    store.sync_cards([spec("a0", "activations")], now=T0, fingerprint="abc")
    assert store.synced_fingerprint() == "abc"
    assert len(store.all_cards()) == 1  # the sync itself happened too
