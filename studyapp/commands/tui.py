"""`studyapp` and `studyapp review`: the Textual app."""

from __future__ import annotations

import argparse


def add_parser(subparsers) -> None:
    subparsers.add_parser("review", help="open the TUI straight into a review session")


def launch(start: str | None) -> int:
    from studyapp.ui.app import StudyApp

    StudyApp(start=start).run()
    return 0


def run(args: argparse.Namespace) -> int:
    return launch(start="review")
