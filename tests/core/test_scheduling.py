"""Pure scheduling: FSRS through the fsrs package, seeded fuzz, leeches, study days, settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from studyapp.core import scheduling as sch
from studyapp.core.scheduling import CardState, Rating, Settings, State

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
S = Settings()


def rate(
    card: CardState, rating: int, now: datetime, seed: str = "act.sigmoid::formula"
) -> CardState:
    return sch.review(card, rating, now, S, seed).after


def test_new_card_follows_learning_steps_1m_and_10m():
    card = CardState(due=T0)
    ivl = sch.preview_intervals(card, T0, S, "k")
    assert ivl[Rating.Again] == timedelta(minutes=1)
    assert ivl[Rating.Good] == timedelta(minutes=10)
    assert ivl[Rating.Easy] >= timedelta(days=1)
    after = rate(card, Rating.Good, T0)
    assert (after.state, after.step, after.reps) == (State.Learning, 1, 1)
    graduated = rate(after, Rating.Good, T0 + timedelta(minutes=10))
    assert graduated.state == State.Review and graduated.step is None
    assert graduated.due - (T0 + timedelta(minutes=10)) >= timedelta(days=1)


def test_lapse_goes_to_relearning_for_10_minutes_and_counts():
    card = rate(rate(CardState(due=T0), 4, T0), 3, T0 + timedelta(days=8))
    assert card.state == State.Review and card.lapses == 0
    when = card.due
    out = sch.review(card, Rating.Again, when, S, "k")
    assert out.lapsed and out.after.lapses == 1
    assert out.after.state == State.Relearning
    assert out.interval == timedelta(minutes=10)
    back = rate(out.after, Rating.Good, when + timedelta(minutes=10))
    assert back.state == State.Review


def _random_card(draw_ratings: list[int], gaps_h: list[float]) -> tuple[CardState, datetime]:
    card, now = CardState(due=T0), T0
    for r, gap in zip(draw_ratings, gaps_h, strict=False):
        card = rate(card, r, now, seed="prop")
        now = max(now + timedelta(hours=gap), card.due)
    return card, now


@hsettings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 4), max_size=12), st.lists(st.floats(0, 300), min_size=12, max_size=12)
)
def test_preview_equals_what_rating_does(ratings, gaps):
    card, now = _random_card(ratings, gaps)
    preview = sch.preview_intervals(card, now, S, "prop")
    for r in sch.RATINGS:
        out = sch.review(card, r, now, S, "prop")
        assert out.after.due - now == preview[r] == out.interval
        assert out.after.reps == card.reps + 1


@hsettings(max_examples=40, deadline=None)
@given(st.integers(1, 40000), st.text(min_size=1, max_size=20))
def test_fuzz_stays_in_range_and_is_reproducible(days, seed):
    lo, hi = sch.fuzz_range(days, 36500)
    got = sch.fuzzed_days(days, 36500, seed)
    assert lo <= got <= hi
    assert got == sch.fuzzed_days(days, 36500, seed)
    if days < 3:
        assert got == days


def test_fuzz_spreads_cards_with_the_same_history():
    dues = {sch.fuzzed_days(30, 36500, f"card{i}") for i in range(50)}
    assert len(dues) >= 3  # fuzz on: siblings-in-history do not all land on the same day
    off = Settings(enable_fuzzing=False)
    base = rate(rate(CardState(due=T0), 4, T0), 4, T0 + timedelta(days=10))
    outs = {sch.review(base, 3, T0 + timedelta(days=40), off, f"c{i}").after.due for i in range(10)}
    assert len(outs) == 1


def test_maximum_interval_caps_every_interval():
    capped = Settings(maximum_interval=20)
    card, now = CardState(due=T0), T0
    for _ in range(15):
        out = sch.review(card, Rating.Easy, now, capped, "cap")
        assert out.interval <= timedelta(days=20)
        card, now = out.after, out.after.due
    assert out.interval == timedelta(days=20) or out.interval >= timedelta(days=18)


def test_higher_desired_retention_gives_shorter_intervals():
    card = rate(rate(CardState(due=T0), 3, T0), 3, T0 + timedelta(minutes=10))
    when = card.due + timedelta(days=1)
    lo = Settings(desired_retention=0.8, enable_fuzzing=False)
    hi = Settings(desired_retention=0.95, enable_fuzzing=False)
    assert sch.review(card, 3, when, hi, "k").interval < sch.review(card, 3, when, lo, "k").interval


def test_eighth_lapse_makes_a_leech():
    card, now = rate(CardState(due=T0), Rating.Easy, T0), T0
    leech_at = None
    for i in range(1, 10):
        now = card.due
        out = sch.review(card, Rating.Again, now, S, "leech")
        assert out.after.lapses == i
        if out.became_leech and leech_at is None:
            leech_at = i
        card = rate(out.after, Rating.Good, now + timedelta(minutes=10), "leech")
    assert leech_at == 8


def test_replay_rebuilds_the_same_state():
    history, card, now = [], CardState(due=T0), T0
    for r in [3, 3, 1, 3, 4, 2, 3, 1, 1, 3]:
        history.append((now, r))
        card = rate(card, r, now, "replay")
        now = card.due
    assert sch.replay(history, S, "replay", created=T0) == card


def test_study_day_rolls_over_at_the_configured_hour():
    utc = UTC
    assert (
        sch.study_day(datetime(2026, 3, 2, 3, 59, tzinfo=utc), S, utc).isoformat() == "2026-03-01"
    )
    assert sch.study_day(datetime(2026, 3, 2, 4, 0, tzinfo=utc), S, utc).isoformat() == "2026-03-02"
    start, end = sch.day_bounds(datetime(2026, 3, 2, 12, tzinfo=utc), S, utc)
    assert (start.hour, end - start) == (4, timedelta(days=1))
    plus2 = timezone(timedelta(hours=2))
    start, _ = sch.day_bounds(datetime(2026, 3, 2, 12, tzinfo=utc), S, plus2)
    assert start == datetime(2026, 3, 2, 2, tzinfo=utc)  # 04:00 at UTC+2


def test_daily_limits_never_negative():
    assert sch.remaining_limits(S, 25, 10) == (0, 190)


@pytest.mark.parametrize(
    "bad",
    [
        {"desired_retention": 1.5},
        {"desired_retention": "x"},
        {"new_per_day": -1},
        {"maximum_interval": 0},
        {"reviews_per_day": 2.5},
        {"day_starts_at_hour": 24},
    ],
)
def test_bad_settings_are_refused_with_the_name(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        Settings.from_dict(bad)


def test_settings_round_trip():
    s = Settings(desired_retention=0.85, new_per_day=5, learning_steps_min=(2.0, 20.0))
    assert Settings.from_dict(s.to_dict()) == s


def test_format_interval_like_anki():
    assert [
        sch.format_interval(timedelta(seconds=s))
        for s in (30, 60, 600, 7200, 86400 * 3, 86400 * 45, 86400 * 800)
    ] == ["<1m", "1m", "10m", "2h", "3d", "1.5mo", "2.2y"]


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        sch.review(CardState(due=T0), 3, datetime(2026, 1, 1), S, "k")
