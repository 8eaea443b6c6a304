"""`studyapp` and `studyapp review`: the Textual app."""

from __future__ import annotations

import argparse


def add_parser(subparsers) -> None:
    subparsers.add_parser("review", help="open the TUI straight into a review session")


def launch(start: str | None) -> int:
    """Run the TUI. A database that cannot be opened (corrupt, locked, from a newer version) is
    reported as one line on stderr with exit 2 before the screen is taken over; the app then
    opens it again in a worker, so its first frame does not wait for content and card sync."""
    import sys

    from studyapp.errors import StudyappError, one_line
    from studyapp.storage import Storage

    try:
        Storage.open().close()
    except StudyappError as exc:
        print(f"studyapp: error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code

    from studyapp.ui.app import StudyApp

    StudyApp(start=start).run()
    return 0


def run(args: argparse.Namespace) -> int:
    return launch(start="review")
