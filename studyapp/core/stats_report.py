"""The human-readable report of ``studyapp stats``: plain text from the figures that
:func:`studyapp.study.stats.compute_stats` returns (a dict; see its docstring for the keys)."""

from __future__ import annotations


def render_text(stats: dict) -> str:
    """The human-readable ``studyapp stats`` report (plain text, fits 80 columns)."""
    ret = stats["retention_30d"]
    lines = [
        f"Cards        {stats['cards_total']} ({stats['cards_new']} new, {stats['suspended']} suspended"
        + (f", {stats['orphaned']} orphaned" if stats["orphaned"] else "")
        + ")",
        f"Today        {stats['due_today']} to study ({stats['reviews_due_today']} reviews due, "
        f"{stats['new_today']} new), {stats['reviews_today']} reviewed",
        f"Reviews      {stats['reviews_total']} in total",
        f"Retention    {'-' if ret is None else f'{ret:.1%}'} over the last 30 days "
        f"(target {stats['settings']['desired_retention']:.0%})",
        f"Streak       {stats['streak_days']} day{'s' if stats['streak_days'] != 1 else ''}",
    ]
    if stats.get("by_topic"):
        lines.append("Today by topic        new  learning  due")
        for topic, c in stats["by_topic"].items():
            lines.append(f"  {topic:<18} {c['new']:>5} {c['learning']:>9} {c['due']:>4}")
    week = stats["forecast_30d"][:7]
    lines.append("Next 7 days  " + "  ".join(f"{d['date'][5:]}:{d['due']}" for d in week))
    recent = stats["reviews_per_day_12w"][-7:]
    lines.append("Last 7 days  " + "  ".join(f"{d['date'][5:]}:{d['count']}" for d in recent))
    if stats["accuracy_by_topic"]:
        lines.append("Accuracy by topic (quizzes and exercises):")
        for topic, a in stats["accuracy_by_topic"].items():
            lines.append(f"  {topic:<14} {a['correct']}/{a['total']}  {a['accuracy']:.0%}")
    if stats["accuracy_by_step"]:
        from studyapp.core.steps import STEP_TYPES, weakest_step

        lines.append("Accuracy by exercise step:")
        for step, a in stats["accuracy_by_step"].items():
            lines.append(
                f"  {STEP_TYPES.get(step, step):<24} {a['correct']}/{a['total']}  "
                f"{a['accuracy']:.0%}"
            )
        weak = weakest_step(stats["accuracy_by_step"])
        if weak:
            lines.append(f"  {weak}.")
    if stats["leeches"]:
        lines.append(f"Leeches ({len(stats['leeches'])}, suspended; rewrite or unsuspend them):")
        for leech in stats["leeches"][:10]:
            front = leech["front"].replace("\n", " ")
            lines.append(f"  {leech['lapses']:>2} lapses  {front[:60]}")
    return "\n".join(lines)


__all__ = ["render_text"]
