"""Errors that reach the user as one line on stderr, never as a traceback."""


class StudyappError(Exception):
    """A problem the user can fix; ``exit_code`` is what the CLI returns."""

    exit_code = 2


class UsageError(StudyappError):
    """Bad option values or bad input (exit 2)."""


class DataError(StudyappError):
    """A data file or database that cannot be used (exit 2); the message names the file."""
