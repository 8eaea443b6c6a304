"""`studyapp exercise backprop|optimizer`: randomized worked exercises with full answers."""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from engine.optimizers import EXTRA_OPTIMIZERS, NOTES_OPTIMIZERS

if TYPE_CHECKING:  # the engine's NumPy modules load only when a command runs
    from engine.exercise_types import Exercise

FORMATS = ("json", "jsonl", "text", "md")
OPTIMIZERS = (*NOTES_OPTIMIZERS, *EXTRA_OPTIMIZERS)  # the notes' seven and the extras (adamw)


def _int(name: str, minimum: int | None = None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None


def _layers(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive integers like 2,3,1, got {text!r}"
        ) from None
    if len(sizes) < 2 or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(
            f"needs at least two sizes, each a positive integer (e.g. 2,3,1), got {text!r}"
        )
    return sizes


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--seed",
        type=_int("--seed", 0),
        default=None,
        help="random seed (default: a fresh one, printed in the output)",
    )
    p.add_argument("--count", type=_int("--count", 1), default=1, help="number of exercises")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument(
        "--decimals",
        type=_int("--decimals", 0),
        default=2,
        help="decimal places of the given values (default 2)",
    )


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "exercise",
        help="randomized worked backprop / optimizer exercises",
        description="Randomized worked exercises with full answers.",
    )
    sub = p.add_subparsers(dest="kind", metavar="KIND", required=True, parser_class=type(p))
    bp = sub.add_parser("backprop", help="forward pass, loss, deltas, gradients and an SGD update")
    bp.add_argument("--layers", type=_layers, default=[2, 2, 1], help="layer sizes (default 2,2,1)")
    bp.add_argument("--activation", default="sigmoid", help="hidden activation (default sigmoid)")
    bp.add_argument(
        "--output-activation", default="sigmoid", help="output activation (default sigmoid)"
    )
    bp.add_argument("--loss", default="half_sse", help="loss (default half_sse)")
    bp.add_argument("--learning-rate", type=_float, default=0.1, help="η (default 0.1)")
    bp.add_argument(
        "--preset", default=None, help="a fixed exercise: seed-2-2-1 (the notes' example)"
    )
    _common(bp)
    op = sub.add_parser("optimizer", help="one optimizer step with its intermediates")
    op.add_argument("--optimizer", choices=OPTIMIZERS, default="adam", help="default adam")
    op.add_argument("--size", type=_int("--size", 1), default=3, help="number of parameters")
    _common(op)


def _emit(exercises: Sequence[Exercise], fmt: str) -> None:
    import orjson

    from studyapp.core.worked import render

    if fmt == "jsonl":
        sys.stdout.buffer.write(
            b"".join(orjson.dumps(ex.json_object()) + b"\n" for ex in exercises)
        )
    elif fmt == "json":
        objects = [ex.json_object() for ex in exercises]
        payload = objects[0] if len(objects) == 1 else objects
        sys.stdout.buffer.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        rule = "\n\n" + ("─" * 72 if fmt == "text" else "---") + "\n\n"
        sys.stdout.write(rule.join(render(ex, fmt) for ex in exercises) + "\n")


def run(args: argparse.Namespace) -> int:
    from engine import exercises as ex_mod
    from studyapp.errors import UsageError

    seed = args.seed if args.seed is not None else secrets.randbits(31)
    try:
        if args.kind == "backprop":
            if args.preset:
                exercises: Sequence[Exercise] = [ex_mod.preset_exercise(args.preset)]
            elif args.format == "jsonl":
                # Fast path: thousands of exercises a second for teachers' batch files.
                sys.stdout.buffer.write(
                    ex_mod.backprop_jsonl(
                        seed,
                        args.count,
                        args.layers,
                        args.activation,
                        args.output_activation,
                        args.loss,
                        args.decimals,
                        args.learning_rate,
                    )
                )
                return 0
            else:
                exercises = ex_mod.backprop_exercises(
                    seed,
                    args.count,
                    args.layers,
                    args.activation,
                    args.output_activation,
                    args.loss,
                    args.decimals,
                    args.learning_rate,
                )
        else:
            exercises = ex_mod.optimizer_exercises(
                seed, args.count, args.optimizer, args.size, args.decimals
            )
    except ex_mod.OptionError as exc:
        raise UsageError(str(exc)) from None
    _emit(exercises, args.format)
    return 0
