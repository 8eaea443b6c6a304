"""`studyapp exercise backprop|optimizer`: randomized worked exercises with full answers."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from collections.abc import Iterable, Sequence
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
    gr = sub.add_parser(
        "grade",
        help="grade a learner's worked solution step by step (error carried forward)",
        description="Grade answers to one exercise the way the exercise screen does. Prints "
        "JSON; exit 0 when every step is correct (or correct given earlier answers), 1 otherwise.",
    )
    gr.add_argument(
        "--exercise",
        required=True,
        metavar="FILE",
        help="one exercise as `studyapp exercise backprop|optimizer --format json` prints it "
        "(- for stdin)",
    )
    gr.add_argument(
        "--answers",
        required=True,
        metavar="FILE",
        help="the learner's answers, shaped like the exercise's answers (any subset; - for stdin)",
    )


def _emit(chunks: Iterable[Sequence[Exercise]], count: int, fmt: str) -> None:
    """Write the exercises chunk by chunk as they are made: memory stays one chunk's whatever
    ``count``, and the bytes are those of printing the whole list at once (a JSON array too)."""
    import orjson

    from studyapp.core.worked import render

    out = sys.stdout.buffer
    if fmt == "jsonl":
        for chunk in chunks:
            out.write(b"".join(orjson.dumps(ex.json_object()) + b"\n" for ex in chunk))
    elif fmt == "json" and count == 1:
        (ex,) = (ex for chunk in chunks for ex in chunk)
        out.write(orjson.dumps(ex.json_object(), option=orjson.OPT_INDENT_2) + b"\n")
    elif fmt == "json":
        # orjson's indented array, element by element: "[", each object indented two more
        # spaces, separated by ",", then "]" (JSON strings hold no raw new line to disturb it)
        out.write(b"[\n")
        comma = b""
        for chunk in chunks:
            out.write(
                comma
                + b",\n".join(
                    b"  "
                    + orjson.dumps(ex.json_object(), option=orjson.OPT_INDENT_2).replace(
                        b"\n", b"\n  "
                    )
                    for ex in chunk
                )
            )
            comma = b",\n"
        out.write(b"\n]\n")
    else:
        rule = "\n\n" + ("─" * 72 if fmt == "text" else "---") + "\n\n"
        sep = ""
        for chunk in chunks:
            sys.stdout.write(sep + rule.join(render(ex, fmt) for ex in chunk))
            sep = rule
        sys.stdout.write("\n")


def _read(path: str, option: str) -> str:
    """The text of ``path`` (``-``: stdin); UsageError naming the option when it cannot be read."""
    from studyapp.errors import UsageError

    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{option}: cannot read {path}: {reason}") from None


def grade(args: argparse.Namespace) -> int:
    """``studyapp exercise grade``: the workspace's grading of a written solution, as JSON."""
    from studyapp.core.exercise.grading import grade_solution, load_exercise, read_json
    from studyapp.errors import UsageError

    if args.exercise == "-" and args.answers == "-":
        raise UsageError("--exercise and --answers cannot both be - (stdin)")
    exercise = load_exercise(read_json(_read(args.exercise, "--exercise"), "--exercise"))
    answers = read_json(_read(args.answers, "--answers"), "--answers", exact=True)
    graded = grade_solution(exercise, answers)
    sys.stdout.write(json.dumps(graded.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return 0 if graded.all_accepted else 1


def run(args: argparse.Namespace) -> int:
    from engine import exercises as ex_mod
    from studyapp.errors import UsageError

    if args.kind == "grade":
        return grade(args)

    seed = args.seed if args.seed is not None else secrets.randbits(31)
    try:
        if args.kind == "backprop":
            options = (
                seed,
                args.count,
                args.layers,
                args.activation,
                args.output_activation,
                args.loss,
                args.decimals,
                args.learning_rate,
            )
            if args.preset:
                chunks: Iterable[Sequence[Exercise]] = [[ex_mod.preset_exercise(args.preset)]]
                args.count = 1
            elif args.format == "jsonl":
                # Fast path: thousands of exercises a second for teachers' batch files.
                for lines in ex_mod.backprop_jsonl_chunks(*options):
                    sys.stdout.buffer.write(lines)
                return 0
            else:
                chunks = ex_mod.backprop_chunks(*options)
        else:
            chunks = ex_mod.optimizer_chunks(
                seed, args.count, args.optimizer, args.size, args.decimals
            )
    except ex_mod.OptionError as exc:
        raise UsageError(str(exc)) from None
    _emit(chunks, args.count, args.format)
    return 0
