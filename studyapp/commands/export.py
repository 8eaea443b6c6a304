"""`studyapp export --format apkg|tsv|md|json|csv|revlog --output PATH [--topic T]`: flashcard
export, and the review log for the FSRS tools."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime

from studyapp.core.catalog import ALL_TOPICS

FORMATS = ("apkg", "tsv", "md", "json", "csv", "revlog")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export the flashcards (Anki .apkg or TSV, Markdown, JSON, CSV) or the review log",
        description="Export the flashcards. Re-importing a newer .apkg or TSV into Anki updates "
        "the notes instead of duplicating them. --format revlog writes your review history as "
        "CSV for the FSRS tools (card_id, review_time, review_rating, review_state, "
        "review_duration). An existing output file is kept as PATH.bak.",
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="output format")
    parser.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="PATH",
        help="file to write (- for standard output, text formats only)",
    )
    parser.add_argument("--topic", choices=ALL_TOPICS, help="export only this topic")


def run(args: argparse.Namespace) -> int:
    if args.format == "revlog":
        return _export_revlog(args)
    from studyapp.export.exporter import export_cards
    from studyapp.export.progress import terminal_progress

    bar = terminal_progress(f"Exporting {args.format}")
    try:
        count = export_cards(args.format, args.output, topic=args.topic, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    print(f"wrote {count} cards to {_where(args.output)}", file=sys.stderr)
    return 0


def _export_revlog(args: argparse.Namespace) -> int:
    from studyapp.errors import UsageError
    from studyapp.export.revlog import export_revlog
    from studyapp.storage import Storage

    if args.topic is not None:
        raise UsageError("--topic does not apply to --format revlog (the log holds every card)")
    with Storage.open() as storage:
        count = export_revlog(args.output, storage.review_log)
        hour = storage.settings.day_starts_at_hour
    print(
        f"wrote {count} reviews to {_where(args.output)} (for the FSRS tools: time zone "
        f"{timezone_name()}, study days start at {hour}:00)",
        file=sys.stderr,
    )
    return 0


def _where(output: str) -> str:
    return "standard output" if output == "-" else output


def timezone_name() -> str:
    """The local time zone's IANA name where it can be found (``TZ``, /etc/localtime), else its
    UTC offset now (e.g. ``UTC+0200``)."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        return name
    try:
        link = os.readlink("/etc/localtime")
    except OSError:
        link = ""
    if "zoneinfo/" in link:
        return link.split("zoneinfo/", 1)[1]
    return datetime.now().astimezone().strftime("UTC%z")
