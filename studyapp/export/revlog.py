"""The review log as CSV for the FSRS tools (fsrs-optimizer, fsrs-rs, the FSRS benchmark).

Columns (:data:`studyapp.core.revlog.REVLOG_COLUMNS`): ``card_id`` (the card's integer id in the
database: cards are never deleted, so it is stable), ``review_time`` (UTC milliseconds since the
epoch), ``review_rating`` (1 Again, 2 Hard, 3 Good, 4 Easy), ``review_state`` (the card's state
when it was reviewed, before the rating: 0 New, 1 Learning, 2 Review, 3 Relearning, as
fsrs-optimizer defines it: a card's first review has state 0), ``review_duration`` (milliseconds,
empty when unknown). One row per review, by card then time; a header row; RFC 4180.

The tools also need the learner's time zone and the hour the study day starts, to tell which
reviews fell on the same day: ``studyapp export`` prints both.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable

from studyapp.core.revlog import REVLOG_COLUMNS, LoggedReview
from studyapp.export.atomic import check_writable
from studyapp.export.exporter import write_text_output


def revlog_csv(log: Iterable[LoggedReview]) -> str:
    """The CSV text of ``log`` (rows in the given order)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REVLOG_COLUMNS)
    writer.writerows(["" if v is None else v for v in review.row()] for review in log)
    return out.getvalue()


def export_revlog(
    path: str | os.PathLike,
    load_log: Callable[[], list[LoggedReview]],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the review log from ``load_log()`` to ``path`` ("-": standard output); returns the
    number of reviews. The file is replaced atomically, a previous one kept as ``PATH.bak``;
    UsageError (one line) for an unwritable path, found before the log is read."""
    if str(path) != "-":
        check_writable(path)
    log = load_log()
    write_text_output(path, revlog_csv(log))
    if progress is not None:
        progress(len(log), len(log))
    return len(log)


__all__ = ["export_revlog", "revlog_csv"]
