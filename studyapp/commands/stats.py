"""`studyapp stats [--json]`: study statistics from the database (created on first use)."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "stats",
        help="study statistics (cards, due, reviews, retention, streak, forecast)",
        description="Study statistics. On a fresh data directory this creates the database and "
        "its cards from the course content.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def run(args: argparse.Namespace) -> int:
    from studyapp.core.clock import utc_now
    from studyapp.core.stats_report import render_text
    from studyapp.study.session import open_study
    from studyapp.study.stats import compute_stats

    now = utc_now()
    storage = open_study(now=now, allow_read_only=True)
    try:
        stats = compute_stats(storage, now)
    finally:
        storage.close()
    if storage.read_only:
        print(
            f"studyapp stats: note: {storage.path} cannot be written; its cards were not "
            "updated from the content",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        print(render_text(stats, now))
    return 0
