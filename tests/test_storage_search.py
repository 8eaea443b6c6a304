"""The browse search language as SQL: a pure function of the query text, tested without a
database (tests/test_storage.py runs the same language against real cards)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.errors import UsageError
from studyapp.storage.search import IS_FILTERS, LIVE_ONLY, TEXT_MATCH, search_sql

NOW, DAY_END = 1_000, 2_000


def sql(query: str) -> tuple[str, list[object]]:
    found = search_sql(query, NOW, DAY_END)
    return found.where, found.params


def test_an_empty_query_selects_the_live_cards():
    assert sql("") == (LIVE_ONLY, [])
    assert sql("   ") == (LIVE_ONLY, [])


def test_words_match_front_back_or_key_and_every_word_must_match():
    assert sql("relu") == (f"{TEXT_MATCH} AND {LIVE_ONLY}", ["%relu%"] * 3)
    where, params = sql("relu slope")
    assert where == f"{TEXT_MATCH} AND {TEXT_MATCH} AND {LIVE_ONLY}"
    assert params == ["%relu%"] * 3 + ["%slope%"] * 3


def test_quotes_group_words_and_unbalanced_quotes_split_on_spaces():
    assert sql('"chain rule"')[1] == ["%chain rule%"] * 3
    assert sql('"chain rule')[1] == ['%"chain%'] * 3 + ["%rule%"] * 3


def test_like_wildcards_and_the_escape_character_are_literal():
    assert sql(r"'50%_a\b'")[1] == [r"%50\%\_a\\b%"] * 3  # quoted: shlex keeps the backslash
    assert sql("deck:Deep_L")[1] == [r"Deep\_L%"]


@pytest.mark.parametrize(
    ("query", "where", "params"),
    [
        ("topic:Losses", "lower(topic) = lower(?)", ["Losses"]),
        ("TOPIC:losses", "lower(topic) = lower(?)", ["losses"]),
        ("deck:Deep", "lower(deck) LIKE lower(?) ESCAPE '\\'", ["Deep%"]),
        (
            "tag:Leech",
            "(tags LIKE ? ESCAPE '\\' OR (? = 'leech' AND leech = 1))",
            ['%"Leech"%', "leech"],
        ),
        ("entry:act.relu", "entry_id = ?", ["act.relu"]),
        ("key:act.relu::formula", "key = ?", ["act.relu::formula"]),
        ("is:new", "state = 0", []),
        ("is:LEARN", "state IN (1, 3)", []),
        ("is:review", "state = 2", []),
        ("is:due", "state <> 0 AND due < ?", [DAY_END]),
        ("is:suspended", "suspended = 1", []),
        ("is:leech", "leech = 1", []),
        ("is:buried", "buried_until > ?", [NOW]),
    ],
)
def test_each_filter_is_one_condition_with_its_parameters(query, where, params):
    assert sql(query) == (f"{where} AND {LIVE_ONLY}", params)


def test_orphaned_cards_are_left_out_unless_asked_for():
    assert sql("is:orphaned") == ("orphaned = 1", [])
    assert sql("is:orphaned topic:x") == ("orphaned = 1 AND lower(topic) = lower(?)", ["x"])
    assert LIVE_ONLY not in sql("is:orphaned relu")[0]


def test_a_colon_that_is_no_filter_name_is_text():
    for term in ("https://example.org/a", "http:x", "2:3", ":x", "a1:b"):
        assert sql(term) == (f"{TEXT_MATCH} AND {LIVE_ONLY}", [f"%{term}%"] * 3), term


def test_unknown_filters_are_one_line_errors_naming_them():
    with pytest.raises(UsageError) as err:
        sql("is:bogus")
    assert str(err.value).startswith("unknown filter is:bogus; try is:new, is:learn")
    assert "\n" not in str(err.value)
    with pytest.raises(UsageError, match=r"^unknown filter colour:; words match"):
        sql("relu colour:red")


TERMS = st.sampled_from(
    [*(f"is:{k}" for k in IS_FILTERS), "topic:a", "deck:b", "tag:leech", "entry:e", "key:k"]
    + ["relu", '"two words"', "50%", "x_y", "http://u", "3:4"]
)


@given(st.lists(TERMS, max_size=6))
def test_every_placeholder_has_one_parameter_and_every_term_one_condition(terms):
    where, params = sql(" ".join(terms))
    assert where.count("?") == len(params)
    live = 0 if "is:orphaned" in terms else 1
    assert where.count(" AND ") + 1 >= len(terms) + live
