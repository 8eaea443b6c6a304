"""`studyapp optimize [--apply] [--json] [--reset] [--holdout F] [--epochs N]`: FSRS parameters
fitted to your own review log with fsrs-rs (Anki's optimizer), tested on your later reviews."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "optimize",
        help="fit the scheduler's FSRS parameters to your review history",
        description="Fit FSRS's 21 parameters to your review log with fsrs-rs (the optimizer "
        "Anki uses): fitted on your earlier reviews, they must predict your later ones with a "
        "lower log loss than the current parameters before --apply stores them. Prints log "
        "loss and RMSE (bins) before and after. Exit 0 whether or not they were applied.",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--apply",
        action="store_true",
        help="use the new parameters from the next review on (only if they are better)",
    )
    what.add_argument("--reset", action="store_true", help="go back to FSRS's default parameters")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument(
        "--holdout",
        type=float,
        default=None,
        metavar="F",
        help="share of the latest reviews held out to test on (default 0.2)",
    )
    p.add_argument(
        "--epochs", type=int, default=None, metavar="N", help="training passes (default 5)"
    )


def run(args: argparse.Namespace) -> int:
    from studyapp.export.progress import terminal_progress
    from studyapp.storage import Storage
    from studyapp.study import optimize as opt

    with Storage.open() as storage:
        if args.reset:
            opt.reset(storage)
            _say(args, {"schema": 1, "reset": True}, "FSRS parameters reset to the defaults.")
            return 0
        bar = None if args.json else terminal_progress("Optimizing")
        options = {
            "holdout": opt.HOLDOUT if args.holdout is None else args.holdout,
            "epochs": opt.EPOCHS if args.epochs is None else args.epochs,
            "progress": None if bar is None else (lambda done, total, _what: bar(done, total)),
        }
        try:
            result = opt.optimize_storage(storage, **options)
        finally:
            if bar is not None:
                bar.close()
        if args.apply and result.better:
            result = opt.apply(storage, result)
        hint = "Run `studyapp optimize --apply` to use them."
        _say(args, result.to_dict(), opt.render(result, storage.tz, hint))
    return 0


def _say(args: argparse.Namespace, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False) if args.json else text, file=sys.stdout)
