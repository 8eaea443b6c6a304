"""`studyapp export --format apkg|tsv|md|json|csv --output PATH [--topic T]`: flashcard export."""

from __future__ import annotations

import argparse
import sys

from studyapp.core.catalog import ALL_TOPICS

FORMATS = ("apkg", "tsv", "md", "json", "csv")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export the flashcards (Anki .apkg or TSV, Markdown, JSON, CSV)",
        description="Export the flashcards. Re-importing a newer .apkg or TSV into Anki updates "
        "the notes instead of duplicating them. An existing output file is kept as PATH.bak.",
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
    from studyapp.export.exporter import export_cards
    from studyapp.export.progress import terminal_progress

    bar = terminal_progress(f"Exporting {args.format}")
    try:
        count = export_cards(args.format, args.output, topic=args.topic, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    where = "standard output" if args.output == "-" else args.output
    print(f"wrote {count} cards to {where}", file=sys.stderr)
    return 0
