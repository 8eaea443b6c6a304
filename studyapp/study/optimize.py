"""Scheduling fitted to the learner: FSRS parameters optimized on their own review log.

:func:`optimize` does what Anki's "Optimize" and "Evaluate" do, plus a test on later reviews:

1. the log becomes FSRS training items (:func:`studyapp.core.revlog.training_items`), one per
   review on a later day than the card's previous one, in time order;
2. a **time split**: the latest ``holdout`` share of those items (20 %) is held out; fsrs-rs fits
   parameters on the earlier ones;
3. the defaults, the current parameters and the fitted ones each predict the held-out reviews;
   the fitted parameters are *better* only if their log loss there is lower than the current
   parameters' (otherwise the current ones stay, and the result says why);
4. fsrs-rs fits again on every item: those are the parameters :func:`apply` stores (with the
   settings; the scheduler uses them from the next review on; cards keep the memory state their
   past reviews gave them). Log loss and RMSE (bins) of the current and the new parameters on
   all reviews are Anki's "Evaluate" figures, before and after.

The heavy calls go through ``run(function, *args)`` (default: call it here), so the TUI can run
them in another process (see :mod:`studyapp.study.fsrs_rs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any, TypedDict

from studyapp.core import scheduling as sch
from studyapp.core.revlog import LoggedReview, TrainingSet, training_items
from studyapp.core.scheduling import DEFAULT_PARAMETERS, PARAMETER_BOUNDS, Settings
from studyapp.errors import UsageError
from studyapp.storage import Storage, from_ms
from studyapp.study import fsrs_rs

HOLDOUT = 0.2  # share of the latest items held out to test on
EPOCHS = 5  # fsrs-rs's default number of passes over the items
FEW_REVIEWS = 400  # below this many reviews the fitted parameters stay near the defaults
FSRS_RS_DEFAULTS_BELOW = 8  # fsrs-rs returns its defaults below this many items to fit on
FSRS_RS_FULL_FIT_FROM = 64  # below this many it fits only the initial stabilities w0-w3

#: ``run(function, *args)``: calls ``function(*args)`` somewhere and returns its result.
Runner = Callable[..., Any]
#: ``progress(done, total, what)``: called as each step of :func:`optimize` starts.
Progress = Callable[[int, int, str], None]
STEPS = 4


def run_here(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


@dataclass(frozen=True)
class Evaluation:
    """How well parameters predict reviews: log loss (nats per review) and RMSE over bins (0-1)."""

    log_loss: float
    rmse_bins: float

    def to_dict(self) -> dict[str, float]:
        return {"log_loss": round(self.log_loss, 6), "rmse_bins": round(self.rmse_bins, 6)}


@dataclass(frozen=True)
class Optimization:
    """What one optimization found. Times are UTC; parameters are FSRS-6's w0..w20.

    reviews / cards / items: log rows used, cards they belong to, reviews FSRS predicts (those
    on a later day than the card's previous review). train_items / test_items: the time split,
    the test items being the reviews from ``holdout_from`` on. ``heldout``: {"default",
    "current", "fitted"} on the test items (fitted = on the train items); ``overall``:
    {"current", "new"} on all items (new = fitted on all). ``better``: the fitted parameters have
    the lower held-out log loss, so ``new`` may be applied. ``reason``: one sentence saying why
    (or why nothing could be fitted); ``warnings``: what limits the result.
    """

    reviews: int
    cards: int
    items: int
    current: tuple[float, ...]
    current_is_default: bool
    better: bool
    reason: str
    train_items: int = 0
    test_items: int = 0
    first_review: datetime | None = None
    last_review: datetime | None = None
    holdout_from: datetime | None = None
    fitted: tuple[float, ...] | None = None
    new: tuple[float, ...] | None = None
    heldout: dict[str, Evaluation] = field(default_factory=dict)
    overall: dict[str, Evaluation] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    applied: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``studyapp optimize --json``."""

        def iso(t: datetime | None) -> str | None:
            return None if t is None else t.isoformat()

        def evaluations(d: dict[str, Evaluation]) -> dict[str, dict[str, float]]:
            return {k: v.to_dict() for k, v in d.items()}

        return {
            "schema": 1,
            "reviews": self.reviews,
            "cards": self.cards,
            "items": self.items,
            "train_items": self.train_items,
            "test_items": self.test_items,
            "first_review": iso(self.first_review),
            "last_review": iso(self.last_review),
            "holdout_from": iso(self.holdout_from),
            "heldout": evaluations(self.heldout),
            "overall": evaluations(self.overall),
            "better": self.better,
            "applied": self.applied,
            "reason": self.reason,
            "warnings": list(self.warnings),
            "parameters": {
                "current": list(self.current),
                "current_is_default": self.current_is_default,
                "fitted_on_earlier": None if self.fitted is None else list(self.fitted),
                "new": None if self.new is None else list(self.new),
            },
            "model": {"fsrs": "FSRS-6", "parameters": len(DEFAULT_PARAMETERS)},
            "fsrs_rs_python": fsrs_rs.version(),
        }


def study_day_numbers(settings: Settings, tz: tzinfo | None) -> Callable[[int], int]:
    """``day_of(ms)``: the ordinal of the study day of a UTC ms time (rollover hour, time zone)."""

    def day_of(ms: int) -> int:
        return sch.study_day(from_ms(ms), settings, tz).toordinal()

    return day_of


def _warnings(training: TrainingSet, train_items: int) -> tuple[str, ...]:
    out = []
    if training.reviews < FEW_REVIEWS:
        out.append(
            f"Only {training.reviews} reviews: below a few hundred ({FEW_REVIEWS}), the fitted"
            " parameters stay near the defaults."
        )
    if train_items < FSRS_RS_DEFAULTS_BELOW:
        out.append(
            f"Fewer than {FSRS_RS_DEFAULTS_BELOW} earlier reviews to fit on: fsrs-rs returns"
            " its defaults."
        )
    elif train_items < FSRS_RS_FULL_FIT_FROM:
        out.append(
            f"Fewer than {FSRS_RS_FULL_FIT_FROM} earlier reviews to fit on: fsrs-rs fits only"
            " the first-review stabilities w0-w3."
        )
    return tuple(out)


class _Common(TypedDict):
    """The fields of an Optimization known before anything is fitted."""

    first_review: datetime | None
    last_review: datetime | None
    reviews: int
    cards: int
    items: int
    current: tuple[float, ...]
    current_is_default: bool


def optimize(
    log: list[LoggedReview],
    settings: Settings,
    tz: tzinfo | None = None,
    *,
    holdout: float = HOLDOUT,
    epochs: int = EPOCHS,
    run: Runner = run_here,
    progress: Progress | None = None,
) -> Optimization:
    """Fit FSRS parameters to ``log`` and test them on its later part (see the module doc).

    Raises OptimizerUnavailable when fsrs-rs-python cannot be imported, UsageError for a
    ``holdout`` outside [0.05, 0.5] or ``epochs`` outside 1-100.
    """
    if not 0.05 <= holdout <= 0.5:
        raise UsageError(f"holdout must be between 0.05 and 0.5, not {holdout:g}")
    if not 1 <= epochs <= 100:
        raise UsageError(f"epochs must be between 1 and 100, not {epochs}")
    fsrs_rs.load()
    step = progress or (lambda _done, _total, _what: None)
    step(0, STEPS, "Reading the review log")
    training = training_items(log, study_day_numbers(settings, tz))
    items = [item.reviews for item in training.items]
    current = settings.parameters
    times = [r.review_time for r in log]
    base: _Common = {
        "first_review": from_ms(min(times)) if times else None,
        "last_review": from_ms(max(times)) if times else None,
        "reviews": training.reviews,
        "cards": training.cards,
        "items": len(items),
        "current": current,
        "current_is_default": current == DEFAULT_PARAMETERS,
    }
    if len(items) < 2:
        return Optimization(
            **base,
            better=False,
            reason=f"Nothing to fit yet: {len(items)} of your {len(log)} reviews came on a later"
            " day than the card's previous review (FSRS learns from those, and needs at least"
            " 2); the current parameters stay.",
            warnings=_warnings(training, 0),
        )
    n_test = min(len(items) - 1, max(1, round(holdout * len(items))))
    n_train = len(items) - n_test
    train, test = items[:n_train], items[n_train:]
    card_ids = [item.card_id for item in training.items]
    relearning = len(settings.relearning_steps_min)

    converted: list[str] = []

    def fitted_on(part: list, ids: list[int]) -> tuple[float, ...]:
        raw = run(fsrs_rs.fit, part, ids, relearning, epochs)
        if len(raw) != len(DEFAULT_PARAMETERS) and not converted:
            converted.append(
                f"fsrs-rs returned {len(raw)} parameters (an older FSRS); they were converted"
                f" to FSRS-6's {len(DEFAULT_PARAMETERS)} for the scheduler."
            )
        return fsrs_rs.to_fsrs6(raw, PARAMETER_BOUNDS)

    def scored(parameters: tuple[float, ...], part: list) -> Evaluation:
        return Evaluation(*run(fsrs_rs.evaluate, parameters, part))

    step(1, STEPS, f"Fitting on the earlier {n_train} reviews")
    fitted = fitted_on(train, card_ids[:n_train])
    step(2, STEPS, f"Testing on the later {n_test} reviews")
    heldout = {"default": scored(DEFAULT_PARAMETERS, test)}
    heldout["current"] = heldout["default"] if base["current_is_default"] else scored(current, test)
    heldout["fitted"] = scored(fitted, test)
    step(3, STEPS, f"Fitting on all {len(items)} reviews")
    new = fitted_on(items, card_ids)
    overall = {"current": scored(current, items), "new": scored(new, items)}
    step(STEPS, STEPS, "Done")
    better = heldout["fitted"].log_loss < heldout["current"].log_loss
    now, was = heldout["fitted"].log_loss, heldout["current"].log_loss
    reason = (
        f"The fitted parameters predict your later reviews better (log loss {now:.4f} < {was:.4f})."
        if better
        else f"The fitted parameters predict your later reviews no better than the current ones"
        f" (log loss {now:.4f} ≥ {was:.4f}), so the current ones stay."
    )
    return Optimization(
        **base,
        better=better,
        reason=reason,
        train_items=n_train,
        test_items=n_test,
        holdout_from=from_ms(training.items[n_train].review_time),
        fitted=fitted,
        new=new,
        heldout=heldout,
        overall=overall,
        warnings=_warnings(training, n_train) + tuple(converted),
    )


def render(result: Optimization, tz: tzinfo | None = None, next_step: str = "") -> str:
    """The result as text (the CLI prints it, the TUI's panel shows it); dates in ``tz``.

    ``next_step``: what the front end offers when the parameters are better but not applied
    (e.g. "Run with --apply to use them.").
    """

    def day(t: datetime | None) -> str:
        return "" if t is None else t.astimezone(tz).date().isoformat()

    lines = [
        f"History: {result.reviews} reviews of {result.cards} cards used"
        + (
            f" ({day(result.first_review)} to {day(result.last_review)})"
            if result.first_review
            else ""
        )
        + f"; FSRS predicts the {result.items} that came on a later day than the card's previous review.",
    ]
    if result.heldout:
        lines.append(
            f"Time split: fitted on the earlier {result.train_items}, tested on the later"
            f" {result.test_items} (from {day(result.holdout_from)})."
        )
        rows = [("Later reviews, held out", None), ("  defaults", result.heldout["default"])]
        if not result.current_is_default:
            rows.append(("  current", result.heldout["current"]))
        rows += [
            ("  fitted on the earlier reviews", result.heldout["fitted"]),
            ("All reviews (Anki's Evaluate)", None),
            (
                "  current" + (" (defaults)" if result.current_is_default else ""),
                result.overall["current"],
            ),
            ("  new (fitted on all)", result.overall["new"]),
        ]
        lines += ["", f"{'':34}{'log loss':>10}{'RMSE (bins)':>14}"]
        lines += [
            (
                f"{label:34}" + ("" if e is None else f"{e.log_loss:>10.4f}{e.rmse_bins:>13.2%}")
            ).rstrip()
            for label, e in rows
        ]
        lines.append("")
    lines.append(result.reason)
    if result.applied:
        lines.append("Applied: the scheduler uses the new parameters from the next review on.")
    elif result.better and next_step:
        lines.append(next_step)
    if result.better and result.new is not None:
        lines.append("New parameters w0-w20: " + " ".join(f"{w:.4g}" for w in result.new))
    lines += [f"Note: {w}" for w in result.warnings]
    return "\n".join(lines)


def optimize_storage(storage: Storage, **options: Any) -> Optimization:
    """:func:`optimize` on the database's review log with its settings and time zone."""
    return optimize(storage.review_log(), storage.settings, storage.tz, **options)


def apply(storage: Storage, result: Optimization) -> Optimization:
    """Store ``result.new`` as the scheduler's parameters (from the next review on).

    Raises UsageError if the result is not better than the current parameters.
    """
    if not result.better or result.new is None:
        raise UsageError(f"not applied: {result.reason}")
    storage.save_settings({"fsrs_parameters": list(result.new)})
    return replace(result, applied=True)


def reset(storage: Storage) -> None:
    """Go back to FSRS's default parameters."""
    storage.save_settings({"fsrs_parameters": None})


__all__ = [
    "EPOCHS",
    "HOLDOUT",
    "Evaluation",
    "Optimization",
    "apply",
    "optimize",
    "optimize_storage",
    "reset",
    "run_here",
    "study_day_numbers",
]
