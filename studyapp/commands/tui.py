"""`studyapp` and `studyapp review [--deck NAME]`: the Textual app."""

from __future__ import annotations

import argparse


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("review", help="open the TUI straight into a review session")
    p.add_argument(
        "--deck",
        metavar="NAME",
        help="review one deck: its topic (losses) or title (My notes), any case",
    )


def deck_topic_or_error(name: str) -> str:
    """The topic of deck ``name``; UsageError (one line naming the decks) for no such deck."""
    from studyapp.core.catalog import ALL_TOPICS, TOPIC_TITLES, deck_topic
    from studyapp.errors import UsageError

    topic = deck_topic(name)
    if topic is None:
        known = ", ".join(TOPIC_TITLES[t] for t in ALL_TOPICS)
        raise UsageError(f"no deck called {name!r}; the decks are {known}")
    return topic


def launch(start: str | None, deck: str | None = None) -> int:
    """Run the TUI. A database that cannot be opened (corrupt, locked, from a newer version) is
    reported as one line on stderr with exit 2 before the screen is taken over; the app then
    opens it again (at once when its cards match the content, else in a worker after the first
    frame, so that frame does not wait for content and card sync)."""
    import sys

    from studyapp.errors import StudyappError, one_line
    from studyapp.storage import Storage

    try:
        Storage.open().close()
    except StudyappError as exc:
        print(f"studyapp: error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code

    from studyapp.ui.app import StudyApp

    StudyApp(start=start, deck=deck).run()
    return 0


def run(args: argparse.Namespace) -> int:
    deck = None if args.deck is None else deck_topic_or_error(args.deck)
    return launch(start="review", deck=deck)
