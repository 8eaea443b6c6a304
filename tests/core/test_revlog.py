"""Training items from the review log, built as Anki builds them for fsrs-rs (rslib's
``reviews_for_fsrs``): the cases of Anki's own tests, plus our New-state and ordering rules."""

from __future__ import annotations

from studyapp.core.revlog import REVLOG_COLUMNS, LoggedReview, card_history, training_items
from studyapp.core.scheduling import State

N, L, R, RL = State.New, State.Learning, State.Review, State.Relearning
DAY = 86_400_000


def log(card: int, *reviews: tuple[float, State, int]) -> list[LoggedReview]:
    """(day (fractions are hours of that day), state before, rating) -> reviews of one card."""
    return [
        LoggedReview(card, int(day * DAY), rating, state, 1000) for day, state, rating in reviews
    ]


def items(reviews: list[LoggedReview]) -> list[tuple[tuple[int, int], ...]]:
    return [item.reviews for item in training_items(reviews, lambda ms: ms // DAY).items]


def test_delta_t_counts_days_and_the_first_review_is_not_predicted():
    # Anki's delta_t_is_correct: learning 15 and 13 days ago, reviews 10 and 5 days ago.
    reviews = log(1, (0, N, 3), (2, L, 3), (5, R, 3), (10, R, 3))
    assert items(reviews) == [
        ((3, 0), (3, 2)),
        ((3, 0), (3, 2), (3, 3)),
        ((3, 0), (3, 2), (3, 3), (3, 5)),
    ]
    assert items(log(1, (0, N, 3))) == []  # a single review predicts nothing


def test_same_day_steps_stay_in_the_history_but_are_never_predicted():
    reviews = log(
        1, (10.1, N, 1), (10.2, L, 3), (10.3, L, 3), (12.5, R, 1), (12.6, RL, 3), (15, R, 3)
    )
    assert items(reviews) == [
        ((1, 0), (3, 0), (3, 0), (1, 2)),
        ((1, 0), (3, 0), (3, 0), (1, 2), (3, 0), (3, 3)),
    ]


def test_history_starts_at_the_last_review_as_a_new_card():
    # A card reviewed, then new again (reset), then learnt: only its last life counts.
    reviews = log(1, (0, N, 3), (3, R, 3), (9, N, 1), (9.5, L, 3), (11, R, 4))
    assert items(reviews) == [((1, 0), (3, 0), (4, 2))]
    assert card_history(log(2, (3, R, 3), (6, R, 3))) == []  # never new: left out, as Anki does
    assert items(log(2, (3, R, 3), (6, R, 3))) == []


def test_items_are_in_time_order_across_cards_and_counts_say_what_was_used():
    reviews = [
        *log(7, (0, N, 3), (4, L, 3)),
        *log(3, (1, N, 3), (2, L, 2), (3, R, 3), (3.5, R, 1)),  # the last review is a same-day step
        *log(9, (5, N, 3)),  # one review: no item, not counted
    ]
    result = training_items(reversed(reviews), lambda ms: ms // DAY)
    assert [(i.card_id, i.review_time // DAY) for i in result.items] == [(3, 2), (3, 3), (7, 4)]
    assert (result.reviews, result.cards) == (6, 2)


def test_the_day_of_a_review_is_the_callers_study_day():
    # 23:00 and 02:00 the next night are one study day when days start at 04:00.
    reviews = log(1, (0.5, N, 3), (1 - 1 / 24, L, 3), (1 + 2 / 24, L, 3), (1 + 5 / 24, L, 3))
    rollover = 4 * 3_600_000
    by_study_day = [
        i.reviews for i in training_items(reviews, lambda ms: (ms - rollover) // DAY).items
    ]
    assert by_study_day == [((3, 0), (3, 0), (3, 0), (3, 1))]


def test_a_row_is_in_the_fsrs_tools_column_order():
    assert REVLOG_COLUMNS == (
        "card_id",
        "review_time",
        "review_rating",
        "review_state",
        "review_duration",
    )
    assert LoggedReview(4, 1_700_000_000_000, 2, State.Relearning, None).row() == (
        4,
        1_700_000_000_000,
        2,
        3,
        None,
    )
