"""The human-readable report of ``studyapp stats``: plain text from the figures that
:func:`studyapp.study.stats.compute_stats` returns (a dict; see its docstring for the keys)."""

from __future__ import annotations

import textwrap
from datetime import datetime

from studyapp.core.display import interval_text, shorten


def render_text(stats: dict, now: datetime | None = None) -> str:
    """The human-readable ``studyapp stats`` report (plain text, fits 80 columns); with ``now``,
    an empty retention says why (:func:`retention_note`)."""
    note = retention_note(stats, now) if now is not None else None
    return "\n".join(
        [
            *_overview(stats, note),
            *_by_topic(stats.get("by_topic")),
            *_last_and_next_days(stats),
            *_topic_accuracy(stats["accuracy_by_topic"]),
            *_step_accuracy(stats["accuracy_by_step"]),
            *_leeches(stats["leeches"]),
        ]
    )


def retention_note(stats: dict, now: datetime) -> str | None:
    """Why "retention 30d" is empty and when it fills, or None when it has a value.

    Retention is Anki's true retention: the pass rate of reviews of cards in the Review state,
    so the reviews of new and learning cards do not count. ``now``: an aware datetime."""
    if stats.get("retention_30d") is not None:
        return None
    due = stats.get("first_review_due")
    if not stats.get("review_cards") or not due:
        return (
            "no card is in the Review state yet: retention counts only cards that passed their "
            "learning steps, from their first review a day or more later"
        )
    wait = datetime.fromisoformat(due) - now
    when = "now" if wait.total_seconds() <= 0 else f"in {interval_text(wait)}"
    return f"no review-state cards reviewed yet: first ones due {when}"


def _overview(stats: dict, note: str | None = None) -> list[str]:
    ret = stats["retention_30d"]
    indent = " " * 13
    why = textwrap.wrap(f"({note})", 80, initial_indent=indent, subsequent_indent=indent)
    return [
        f"Cards        {stats['cards_total']} ({stats['cards_new']} new, {stats['suspended']} suspended"
        + (f", {stats['orphaned']} orphaned" if stats["orphaned"] else "")
        + ")",
        f"Today        {stats['due_today']} to study ({stats['reviews_due_today']} reviews due, "
        f"{stats['new_today']} new), {stats['reviews_today']} reviewed",
        f"Reviews      {stats['reviews_total']} in total",
        f"Retention    {'-' if ret is None else f'{ret:.1%}'} over the last 30 days "
        f"(target {stats['settings']['desired_retention']:.0%})",
        *(why if note else []),
        f"Streak       {stats['streak_days']} day{'s' if stats['streak_days'] != 1 else ''}",
    ]


def _section(heading: str, lines: list[str]) -> list[str]:
    """A heading and its lines, or nothing when there are no lines."""
    return [heading, *lines] if lines else []


def _by_topic(by_topic: dict | None) -> list[str]:
    return _section(
        "Today by topic        new  learning  due",
        [
            f"  {topic:<18} {c['new']:>5} {c['learning']:>9} {c['due']:>4}"
            for topic, c in (by_topic or {}).items()
        ],
    )


def _last_and_next_days(stats: dict) -> list[str]:
    week = stats["forecast_30d"][:7]
    recent = stats["reviews_per_day_12w"][-7:]
    return [
        "Next 7 days  " + "  ".join(f"{d['date'][5:]}:{d['due']}" for d in week),
        "Last 7 days  " + "  ".join(f"{d['date'][5:]}:{d['count']}" for d in recent),
    ]


def _topic_accuracy(accuracy: dict) -> list[str]:
    return _section(
        "Accuracy by topic (quizzes and exercises):",
        [
            f"  {topic:<14} {a['correct']}/{a['total']}  {a['accuracy']:.0%}"
            for topic, a in accuracy.items()
        ],
    )


def _step_accuracy(accuracy: dict) -> list[str]:
    if not accuracy:
        return []
    from studyapp.core.steps import STEP_TYPES, weakest_step

    lines = [
        f"  {STEP_TYPES.get(step, step):<24} {a['correct']}/{a['total']}  {a['accuracy']:.0%}"
        for step, a in accuracy.items()
    ]
    weak = weakest_step(accuracy)
    return _section("Accuracy by exercise step:", [*lines, f"  {weak}."] if weak else lines)


def _leeches(leeches: list[dict]) -> list[str]:
    return _section(
        f"Leeches ({len(leeches)}, suspended; rewrite or unsuspend them):",
        [f"  {leech['lapses']:>2} lapses  {shorten(leech['front'], 60)}" for leech in leeches[:10]],
    )


__all__ = ["render_text", "retention_note"]
