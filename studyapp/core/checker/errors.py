"""Parse errors of the checker (plain exceptions: the caller turns them into verdicts)."""

from __future__ import annotations


class ParseError(ValueError):
    """Typed text that cannot be read as a formula.

    ``position`` is the 0-based index into the text where the problem is (None when it is
    about the whole input); the message already says it 1-based, as "at position N".
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.position = position


class LimitError(ParseError):
    """The input is over one of the size limits (the message names which)."""
