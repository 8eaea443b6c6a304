"""Spaced-repetition scheduling: FSRS (the ``fsrs`` package) plus Anki's habits, as pure functions.

Nothing here reads the clock, the disk or a global random generator: the caller passes ``now``
(a timezone-aware datetime) and every random choice (interval fuzz) is seeded from the card's key
and its review count, so the interval shown on a rating button *before* rating is exactly the one
the card gets *after* rating (Anki does the same).

Units: datetimes are timezone-aware UTC; intervals are :class:`datetime.timedelta`; FSRS stability is
in days; difficulty is in [1, 10]; ``desired_retention`` is a probability in (0, 1).

States: :class:`State` adds ``New`` (never reviewed) to fsrs' Learning / Review / Relearning, because
Anki's daily limits treat new cards separately from cards in learning.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import IntEnum

import fsrs
from fsrs.scheduler import (
    DEFAULT_PARAMETERS as FSRS_DEFAULT_PARAMETERS,
)
from fsrs.scheduler import (
    FUZZ_RANGES,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

Rating = fsrs.Rating  # IntEnum: Again = 1, Hard = 2, Good = 3, Easy = 4

RATINGS: tuple[Rating, ...] = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)

LEECH_LAPSES = 8  # Anki's default leech threshold: the 8th lapse tags and suspends the card
LEARN_AHEAD = timedelta(
    minutes=20
)  # Anki shows learning cards up to 20 min early when nothing else is due

#: FSRS-6's default parameters w0..w20 (py-fsrs 6; the same 21 numbers as fsrs-rs, Anki's FSRS).
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(float(w) for w in FSRS_DEFAULT_PARAMETERS)
#: Each parameter's (lowest, highest) allowed value, as py-fsrs checks them.
PARAMETER_BOUNDS: tuple[tuple[float, float], ...] = tuple(
    zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
)


class State(IntEnum):
    """Where a card is in its life; values 1-3 are fsrs' own :class:`fsrs.State` values."""

    New = 0
    Learning = 1
    Review = 2
    Relearning = 3


@dataclass(frozen=True)
class Settings:
    """User-tunable scheduling settings (stored in the database's ``settings`` table).

    desired_retention: target probability of recall at the due time (0.9 = 90 %).
    new_per_day / reviews_per_day: Anki's daily limits (cards).
    maximum_interval: longest interval in days.
    learning_steps_min / relearning_steps_min: short steps in minutes.
    day_starts_at_hour: local hour at which a new study day begins (Anki: 4 am).
    leech_lapses: lapses at which a card is tagged ``leech`` and suspended.
    theme: UI theme name (stored here so all settings live in one place).
    fsrs_parameters: FSRS-6's 21 parameters w0..w20 fitted to the learner's review log
        (``studyapp optimize``), or None for :data:`DEFAULT_PARAMETERS`.
    """

    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    maximum_interval: int = 36500
    learning_steps_min: tuple[float, ...] = (1.0, 10.0)
    relearning_steps_min: tuple[float, ...] = (10.0,)
    enable_fuzzing: bool = True
    day_starts_at_hour: int = 4
    leech_lapses: int = LEECH_LAPSES
    theme: str = "dark"
    fsrs_parameters: tuple[float, ...] | None = None

    @property
    def parameters(self) -> tuple[float, ...]:
        """The FSRS parameters the scheduler uses: the fitted ones, else the defaults."""
        return self.fsrs_parameters if self.fsrs_parameters is not None else DEFAULT_PARAMETERS

    def to_dict(self) -> dict:
        d = asdict(self)
        d["learning_steps_min"] = list(self.learning_steps_min)
        d["relearning_steps_min"] = list(self.relearning_steps_min)
        if self.fsrs_parameters is not None:
            d["fsrs_parameters"] = list(self.fsrs_parameters)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> Settings:
        """Build settings from a dict; unknown keys are ignored, values are validated.

        Raises ValueError with a one-line message naming the bad setting.
        """
        known = {f for f in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in data.items() if k in known}
        for name in ("learning_steps_min", "relearning_steps_min"):
            if name in kwargs:
                kwargs[name] = tuple(float(x) for x in kwargs[name])
        if kwargs.get("fsrs_parameters") is not None:
            kwargs["fsrs_parameters"] = tuple(kwargs["fsrs_parameters"])
        s = cls(**kwargs)
        s.validate()
        return s

    def validate(self) -> None:
        def bad(name: str, why: str):
            raise ValueError(f"setting {name}={getattr(self, name)!r}: {why}")

        if (
            not isinstance(self.desired_retention, (int, float))
            or not 0.7 <= self.desired_retention <= 0.99
        ):
            bad("desired_retention", "must be a number between 0.70 and 0.99")
        for name in ("new_per_day", "reviews_per_day", "maximum_interval"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 0 or v > 100_000:
                bad(name, "must be a whole number between 0 and 100000")
        if self.maximum_interval < 1:
            bad("maximum_interval", "must be at least 1 day")
        if not isinstance(self.day_starts_at_hour, int) or not 0 <= self.day_starts_at_hour <= 23:
            bad("day_starts_at_hour", "must be an hour 0-23")
        if not isinstance(self.leech_lapses, int) or self.leech_lapses < 1:
            bad("leech_lapses", "must be a whole number >= 1")
        for name in ("learning_steps_min", "relearning_steps_min"):
            if any(not (x > 0) or x > 24 * 60 for x in getattr(self, name)):
                bad(name, "steps must be between 0 and 1440 minutes")
        if not isinstance(self.theme, str) or not self.theme:
            bad("theme", "must be a theme name")
        if self.fsrs_parameters is not None:
            problem = parameters_problem(self.fsrs_parameters)
            if problem:  # not bad(): the value is 21 numbers, too long for one line
                raise ValueError(f"setting fsrs_parameters: {problem}")


def parameters_problem(parameters: tuple[float, ...]) -> str | None:
    """Why ``parameters`` cannot be FSRS-6's w0..w20 (count, type or bounds), or None if they can."""
    if len(parameters) != len(PARAMETER_BOUNDS):
        return f"must be {len(PARAMETER_BOUNDS)} numbers (FSRS-6), not {len(parameters)}"
    for i, (w, (low, high)) in enumerate(zip(parameters, PARAMETER_BOUNDS, strict=True)):
        if not isinstance(w, (int, float)) or isinstance(w, bool) or not low <= w <= high:
            return f"w{i} = {w!r} is outside [{low:g}, {high:g}]"
    return None


@dataclass(frozen=True)
class CardState:
    """The scheduling state of one card (what the database stores per card).

    due / last_review: UTC datetimes (due of a new card is when it was created).
    step: index into the (re)learning steps, None in Review and New.
    stability: days; difficulty: 1..10; reps: reviews so far; lapses: times forgotten in Review.
    """

    state: State = State.New
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime = field(default_factory=lambda: datetime(1970, 1, 1, tzinfo=UTC))
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict:
        return {
            "state": int(self.state),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, d: dict) -> CardState:
        return cls(
            state=State(int(d["state"])),
            step=d.get("step"),
            stability=d.get("stability"),
            difficulty=d.get("difficulty"),
            due=datetime.fromisoformat(d["due"]),
            last_review=datetime.fromisoformat(d["last_review"]) if d.get("last_review") else None,
            reps=int(d.get("reps", 0)),
            lapses=int(d.get("lapses", 0)),
        )


@dataclass(frozen=True)
class ReviewOutcome:
    """What one rating did: the new state, the interval until due, and Anki-habit flags."""

    before: CardState
    after: CardState
    rating: Rating
    interval: timedelta  # after.due - review time
    lapsed: bool  # a Review card was forgotten (Again)
    became_leech: bool  # this lapse reached the leech threshold


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def make_scheduler(settings: Settings) -> fsrs.Scheduler:
    """The fsrs scheduler for these settings, with fsrs' own fuzz off (we fuzz deterministically)."""
    return _scheduler_cached(
        float(settings.desired_retention),
        tuple(settings.learning_steps_min),
        tuple(settings.relearning_steps_min),
        int(settings.maximum_interval),
        tuple(settings.parameters),
    )


_SCHEDULERS: dict[tuple, fsrs.Scheduler] = {}


def _scheduler_cached(
    retention: float, learn: tuple, relearn: tuple, max_ivl: int, parameters: tuple
) -> fsrs.Scheduler:
    key = (retention, learn, relearn, max_ivl, parameters)
    sched = _SCHEDULERS.get(key)
    if sched is None:
        sched = fsrs.Scheduler(
            parameters=parameters,
            desired_retention=retention,
            learning_steps=tuple(timedelta(minutes=m) for m in learn),
            relearning_steps=tuple(timedelta(minutes=m) for m in relearn),
            maximum_interval=max_ivl,
            enable_fuzzing=False,
        )
        _SCHEDULERS[key] = sched
    return sched


def fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int]:
    """The (min, max) days a Review interval may be fuzzed to, as fsrs and Anki compute it.

    Uses fsrs' own ``FUZZ_RANGES`` table (±15 % for 2.5-7 days, ±10 % to 20 days, ±5 % beyond);
    intervals under 2.5 days are not fuzzed.
    """
    if interval_days < 2.5:
        return interval_days, interval_days
    delta = 1.0
    for r in FUZZ_RANGES:
        delta += r["factor"] * max(min(float(interval_days), r["end"]) - r["start"], 0.0)
    lo = max(2, round(interval_days - delta))
    hi = min(round(interval_days + delta), maximum_interval)
    return min(lo, hi), hi


def fuzzed_days(interval_days: int, maximum_interval: int, seed: str) -> int:
    """A fuzzed interval drawn uniformly in :func:`fuzz_range`, reproducible from ``seed``.

    The uniform draw is a hash of the seed (not ``random.Random(seed)``, whose seeding costs
    ~25 us and would dominate replaying a long history).
    """
    lo, hi = fuzz_range(interval_days, maximum_interval)
    if lo == hi:
        return lo
    u = int.from_bytes(hashlib.blake2b(seed.encode(), digest_size=8).digest(), "big") / 2.0**64
    return lo + min(int(u * (hi - lo + 1)), hi - lo)


def to_fsrs(card: CardState) -> fsrs.Card:
    """The fsrs card for our state (a New card is fsrs' fresh Learning card at step 0)."""
    if card.state == State.New:
        return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=card.due)
    return fsrs.Card(
        card_id=1,
        state=fsrs.State(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def review(
    card: CardState, rating: Rating | int, now: datetime, settings: Settings, seed: str
) -> ReviewOutcome:
    """Rate ``card`` at ``now``: the pure FSRS step plus lapse/leech bookkeeping and seeded fuzz.

    ``seed`` identifies the card (its stable key); together with ``card.reps`` it fixes the fuzz,
    so calling this twice with the same arguments gives the same result.
    """
    rating = Rating(int(rating))
    now = _utc(now)
    sched = make_scheduler(settings)
    new, _log = sched.review_card(to_fsrs(card), rating, review_datetime=now)
    due = new.due
    if new.state == fsrs.State.Review and settings.enable_fuzzing:
        days = (new.due - now).days
        due = now + timedelta(
            days=fuzzed_days(days, settings.maximum_interval, f"{seed}:{card.reps}")
        )
    lapsed = card.state == State.Review and rating == Rating.Again
    lapses = card.lapses + (1 if lapsed else 0)
    after = CardState(
        state=State(int(new.state)),
        step=new.step,
        stability=new.stability,
        difficulty=new.difficulty,
        due=due,
        last_review=now,
        reps=card.reps + 1,
        lapses=lapses,
    )
    return ReviewOutcome(
        before=card,
        after=after,
        rating=rating,
        interval=due - now,
        lapsed=lapsed,
        became_leech=lapsed and lapses >= settings.leech_lapses,
    )


def preview_intervals(
    card: CardState, now: datetime, settings: Settings, seed: str
) -> dict[Rating, timedelta]:
    """The interval each rating would give, computed exactly as :func:`review` will (same fuzz)."""
    return {r: review(card, r, now, settings, seed).interval for r in RATINGS}


def format_interval(delta: timedelta) -> str:
    """Short label for a rating button, as Anki writes it: ``<1m``, ``10m``, ``3h``, ``4d``, ``1.5mo``, ``2.1y``."""
    s = delta.total_seconds()
    if s < 60:
        return "<1m"
    if s < 3600:
        return f"{round(s / 60)}m"
    if s < 86400:
        return f"{round(s / 3600)}h"
    days = s / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def retrievability(card: CardState, now: datetime, settings: Settings) -> float | None:
    """Predicted probability of recall at ``now`` (None for a card never reviewed)."""
    if card.state == State.New or card.stability is None:
        return None
    return float(make_scheduler(settings).get_card_retrievability(to_fsrs(card), _utc(now)))


# ---- study days (Anki's "next day starts at" hour, in the user's time zone) -------------------


def study_day(now: datetime, settings: Settings, tz: tzinfo | None = None) -> date:
    """The study day ``now`` belongs to: the local date, shifted so the day starts at the rollover hour."""
    local = _utc(now).astimezone(tz) if tz is not None else _utc(now).astimezone()
    return (local - timedelta(hours=settings.day_starts_at_hour)).date()


def day_bounds(
    now: datetime, settings: Settings, tz: tzinfo | None = None
) -> tuple[datetime, datetime]:
    """(start, end) of the study day containing ``now``, as UTC datetimes; end is the next day's start."""
    return day_start(study_day(now, settings, tz), settings, tz), day_start(
        study_day(now, settings, tz) + timedelta(days=1), settings, tz
    )


def day_start(day: date, settings: Settings, tz: tzinfo | None = None) -> datetime:
    """The UTC instant at which study day ``day`` begins."""
    naive = datetime.combine(day, time(settings.day_starts_at_hour))
    local = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return local.astimezone(UTC)


# ---- choosing the next card (Anki's queue order) ------------------------------------------------


def remaining_limits(
    settings: Settings, new_done_today: int, reviews_done_today: int
) -> tuple[int, int]:
    """(new cards still allowed today, review cards still allowed today); never negative."""
    return (
        max(0, settings.new_per_day - new_done_today),
        max(0, settings.reviews_per_day - reviews_done_today),
    )


def queue_order() -> tuple[str, ...]:
    """The order queues are served in: learning due now, reviews due today, new, learning ahead.

    New cards come after the day's reviews (Anki's "show new cards after reviews"), and learning
    cards due within :data:`LEARN_AHEAD` are shown early only when nothing else is left.
    """
    return ("learning", "review", "new", "learn_ahead")


def replay(
    ratings: list[tuple[datetime, Rating | int]],
    settings: Settings,
    seed: str,
    created: datetime | None = None,
) -> CardState:
    """Recompute a card's state from its review history (UTC time, rating), oldest first.

    Used to rebuild or verify a card from the append-only log; deterministic because the fuzz
    is seeded by (seed, reps).
    """
    card = CardState(
        due=created or (ratings[0][0] if ratings else datetime(1970, 1, 1, tzinfo=UTC))
    )
    for when, rating in ratings:
        card = review(card, rating, when, settings, seed).after
    return card


__all__ = [
    "Rating",
    "RATINGS",
    "State",
    "Settings",
    "CardState",
    "ReviewOutcome",
    "LEECH_LAPSES",
    "LEARN_AHEAD",
    "DEFAULT_PARAMETERS",
    "PARAMETER_BOUNDS",
    "parameters_problem",
    "make_scheduler",
    "fuzz_range",
    "fuzzed_days",
    "review",
    "preview_intervals",
    "format_interval",
    "retrievability",
    "study_day",
    "day_bounds",
    "day_start",
    "remaining_limits",
    "queue_order",
    "replay",
]
