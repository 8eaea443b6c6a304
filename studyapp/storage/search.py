"""The browse search language, turned into SQL: a pure function of the query text, tested
without a database.

A query is whitespace-separated terms (shell quoting groups words: ``"chain rule"``); every term
must match. ``name:value`` terms filter (:data:`SEARCH_HELP`); any other term matches front,
back or key as a substring, case-insensitively (LIKE). Orphaned cards are left out unless
``is:orphaned`` is asked for.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from studyapp.errors import UsageError

SEARCH_HELP = (
    "words match front, back or key; topic:NAME deck:PREFIX tag:NAME entry:ID flag:0-4; "
    "is:new is:learn is:review is:due is:suspended is:leech is:buried is:orphaned is:flagged"
)

# is:NAME -> (condition, the times it compares with: "now" or "day_end", UTC ms).
IS_FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "new": ("state = 0", ()),
    "learn": ("state IN (1, 3)", ()),
    "review": ("state = 2", ()),
    "due": ("state <> 0 AND due < ?", ("day_end",)),
    "suspended": ("suspended = 1", ()),
    "leech": ("leech = 1", ()),
    "buried": ("buried_until > ?", ("now",)),
    "orphaned": ("orphaned = 1", ()),
    "flagged": ("flag > 0", ()),
}

TEXT_MATCH = "(front LIKE ? ESCAPE '\\' OR back LIKE ? ESCAPE '\\' OR key LIKE ? ESCAPE '\\')"
LIVE_ONLY = "orphaned = 0"


@dataclass(frozen=True)
class Condition:
    """One term as SQL: a condition on the cards table and its ``?`` parameters, in order."""

    sql: str
    params: tuple[object, ...] = ()
    wants_orphans: bool = False


@dataclass(frozen=True)
class SearchSQL:
    """A whole query: ``WHERE`` text (conditions joined by AND) and its parameters."""

    where: str
    params: list[object] = field(default_factory=list)


def like_escape(text: str) -> str:
    """``text`` taken literally inside a LIKE pattern written with ``ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _topic(value: str) -> Condition:
    return Condition("lower(topic) = lower(?)", (value,))


def _deck(value: str) -> Condition:
    return Condition("lower(deck) LIKE lower(?) ESCAPE '\\'", (like_escape(value) + "%",))


def _tag(value: str) -> Condition:
    # Tags are stored as a JSON list; "leech" is a flag column as well as a tag.
    return Condition(
        "(tags LIKE ? ESCAPE '\\' OR (? = 'leech' AND leech = 1))",
        ('%"' + like_escape(value) + '"%', value.lower()),
    )


def _entry(value: str) -> Condition:
    return Condition("entry_id = ?", (value,))


def _key(value: str) -> Condition:
    return Condition("key = ?", (value,))


def _flag(value: str) -> Condition:
    # As in Anki: flag:1 red, flag:2 orange, flag:3 green, flag:4 blue, flag:0 no flag.
    if value not in ("0", "1", "2", "3", "4"):
        raise UsageError(
            f"flag:{value} is not a flag; use flag:1 (red), 2 (orange), 3 (green), 4 (blue) "
            "or flag:0 (none)"
        )
    return Condition("flag = ?", (int(value),))


FIELD_FILTERS: dict[str, Callable[[str], Condition]] = {
    "topic": _topic,
    "deck": _deck,
    "tag": _tag,
    "entry": _entry,
    "key": _key,
    "flag": _flag,
}


def _is_filter(value: str, times: dict[str, int]) -> Condition:
    name = value.lower()
    if name not in IS_FILTERS:
        known = ", ".join("is:" + k for k in IS_FILTERS)
        raise UsageError(f"unknown filter is:{value}; try {known}")
    sql, uses = IS_FILTERS[name]
    return Condition(sql, tuple(times[u] for u in uses), wants_orphans=name == "orphaned")


def _text(term: str) -> Condition:
    pattern = "%" + like_escape(term) + "%"
    return Condition(TEXT_MATCH, (pattern, pattern, pattern))


def term_condition(term: str, times: dict[str, int]) -> Condition:
    """The condition of one term. A ``name:`` that looks like a filter but is not one is an
    error; a URL (``http:``/``https:``) or a colon after digits is text."""
    name, sep, value = term.partition(":")
    name = name.lower()
    if not sep:
        return _text(term)
    if name == "is":
        return _is_filter(value, times)
    if name in FIELD_FILTERS:
        return FIELD_FILTERS[name](value)
    if name.isalpha() and name not in ("http", "https"):
        raise UsageError(f"unknown filter {name}:; {SEARCH_HELP}")
    return _text(term)


def split_terms(query: str) -> list[str]:
    """Shell-style words; unbalanced quotes fall back to plain whitespace splitting."""
    try:
        return shlex.split(query)
    except ValueError:
        return query.split()


def search_sql(query: str, now_ms: int, day_end_ms: int) -> SearchSQL:
    """The WHERE clause and parameters selecting the cards that match ``query``.

    ``now_ms``: the current time, ``day_end_ms``: the end of the study day (UTC ms; ``is:buried``
    and ``is:due`` compare with them). Raises UsageError (one line) for an unknown filter.
    """
    times = {"now": now_ms, "day_end": day_end_ms}
    conditions = [term_condition(term, times) for term in split_terms(query)]
    if not any(c.wants_orphans for c in conditions):
        conditions.append(Condition(LIVE_ONLY))
    return SearchSQL(
        where=" AND ".join(c.sql for c in conditions),
        params=[p for c in conditions for p in c.params],
    )


__all__ = ["SEARCH_HELP", "SearchSQL", "like_escape", "search_sql", "term_condition"]
