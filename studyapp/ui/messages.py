"""Messages that widgets post up to their screens (data flows down as attributes).

Widgets never call storage or core themselves: they say what the user did, and the screen
decides what that means.
"""

from __future__ import annotations

from textual.message import Message


class RatingChosen(Message):
    """The user picked a rating in the :class:`~studyapp.ui.widgets.rating_bar.RatingBar`.

    ``rating`` is 1 Again, 2 Hard, 3 Good, 4 Easy (the fsrs ``Rating`` values).
    """

    def __init__(self, rating: int) -> None:
        super().__init__()
        self.rating = rating


class ChoiceChosen(Message):
    """The user picked choice ``index`` (0-based) of a multiple-choice question."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class AnswerSubmitted(Message):
    """The user submitted ``text`` as the answer to the current question."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SearchChanged(Message):
    """The browse search box now holds ``query`` (text, ``topic:``, ``is:due`` …)."""

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query


class StudyDataChanged(Message):
    """Posted to the app after reviews, suspensions or settings changes, so views refresh."""
