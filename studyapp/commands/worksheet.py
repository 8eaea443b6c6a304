"""`studyapp worksheet --count N --seed S --format md|html --output PATH`: printable exercises
with an answer key; the same N and S always give the same sheet."""

from __future__ import annotations

import argparse
import sys


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "worksheet",
        help="write a printable worksheet (backprop, optimizer and numeric exercises + answer key)",
        description="Write a printable worksheet: a seeded mix of backprop, optimizer and numeric "
        "exercises followed by an answer key with full worked solutions. The same --count and "
        "--seed give the same sheet. An existing output file is kept as PATH.bak.",
    )
    parser.add_argument("--count", type=_int, default=6, help="number of exercises (default 6)")
    parser.add_argument(
        "--seed", type=_int, default=0, help="sheet number / random seed (default 0)"
    )
    parser.add_argument(
        "--format",
        choices=("md", "html"),
        default="html",
        help="Markdown or self-contained printable HTML (default html)",
    )
    parser.add_argument("--output", "-o", required=True, metavar="PATH", help="file to write")


def run(args: argparse.Namespace) -> int:
    from studyapp.export.worksheet import write_worksheet

    path = write_worksheet(args.count, args.seed, args.format, args.output)
    print(f"wrote worksheet {args.seed} ({args.count} exercises) to {path}", file=sys.stderr)
    return 0
