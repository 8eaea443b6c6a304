"""``studyapp quiz``: generated questions with answers, as JSON or as readable text.

``--format json`` prints the contract object ``{"schema": 1, "seed": S, "questions": [...]}``.
``--format text`` prints a readable quiz with its answer key, or, when stdin is a terminal (or
with ``--interactive``), asks the questions one by one, checks each answer and ends with the
score. Interactive attempts are recorded in the study database, so later quizzes lean towards
the topics answered worst.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time

# cheap: the package loads generation (NumPy, the engine) only when a quiz is made
from studyapp.core.questions.model import QuestionKind


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "quiz",
        help="generated questions with answers (json or text; interactive on a terminal)",
        description="Generate quiz questions (mcq, typed, true/false, cloze, matching, numeric) "
        "from the course content. Same seed, same questions.",
    )
    p.add_argument("--count", type=int, default=10, help="number of questions (default 10)")
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed (default: a fresh one, printed in the output)",
    )
    p.add_argument(
        "--topic",
        default=None,
        help="only this topic (activations, losses, optimizers, terms, backprop, concepts, user)",
    )
    p.add_argument("--format", choices=("json", "text"), default="text", help="output format")
    p.add_argument(
        "--interactive",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ask the questions on stdin (default: when stdin and stdout are a "
        "terminal and --format is text)",
    )
    p.add_argument(
        "--no-history",
        action="store_true",
        help="ignore past accuracy (do not favour weak topics); with it the same "
        "seed always gives the same quiz",
    )
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    g = sub.add_parser(
        "grade",
        help="grade one answer to one quiz question (prints JSON)",
        description="Grade an answer the way the quiz does. Prints {verdict, message, expected, "
        "answer, diagnosis}; exit 0 correct, 1 incorrect, 2 invalid. An empty answer is a skip.",
    )
    g.add_argument(
        "--question",
        required=True,
        metavar="Q",
        help="one element of `studyapp quiz --format json`'s questions: JSON text, @FILE or - (stdin)",
    )
    g.add_argument(
        "--answer",
        required=True,
        metavar="A",
        help="the answer as typed: a choice number, letter or text; t/f; pairs like 1c 2b 3a; "
        "a number or formula; '' to skip",
    )
    return p


def _question_text(spec: str) -> str:
    """The text of --question: itself, @FILE's contents, or stdin for ``-``."""
    from studyapp.errors import UsageError

    if spec == "-":
        return sys.stdin.read()
    if spec.startswith("@"):
        try:
            with open(spec[1:], encoding="utf-8") as f:
                return f.read()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise UsageError(f"--question: cannot read {spec[1:]}: {reason}") from None
    return spec


def grade_one(args) -> int:
    """``studyapp quiz grade``: the quiz's own grading of one answer, as check-answer's JSON."""
    from studyapp.commands.check_answer import print_verdict
    from studyapp.core.questions import grade
    from studyapp.core.questions.restore import question_from_dict
    from studyapp.errors import UsageError

    try:
        obj = json.loads(_question_text(args.question))
    except ValueError as exc:
        raise UsageError(f"--question: not JSON ({exc})") from None
    try:
        question = question_from_dict(obj)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return print_verdict(grade(question, args.answer), "quiz grade")


def _weights(no_history: bool):
    """(per-topic accuracy, per-exercise-step accuracy) from the study database, if there is one
    (never creates it)."""
    if no_history:
        return None, None
    from studyapp.paths import data_dir

    path = data_dir(create=False) / "studyapp.db"
    if not path.exists():
        return None, None
    from studyapp.storage import Storage

    # only reads: a read-only database (file, folder or disk) is fine; DataError (exit 2, one
    # line) if it is unusable
    storage = Storage.open(path, read_only=True)
    try:
        return storage.topic_accuracy() or None, storage.step_accuracy() or None
    finally:
        storage.close()


def run(args) -> int:
    import random

    from studyapp.core.questions import quiz_blocks
    from studyapp.core.questions.generate import check_topic, load_content_or_empty
    from studyapp.errors import UsageError

    if getattr(args, "action", None) == "grade":
        return grade_one(args)
    if args.count < 1:
        raise UsageError(f"--count must be at least 1, got {args.count}")
    if args.count > 100000:
        raise UsageError(f"--count must be at most 100000, got {args.count}")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    content = load_content_or_empty()
    check_topic(args.topic, content)
    weights, step_weights = _weights(args.no_history)
    blocks = quiz_blocks(
        seed,
        args.count,
        topic=args.topic,
        weights=weights,
        content=content,
        step_weights=step_weights,
    )
    if args.format == "json":
        print_json(blocks, seed)
        return 0
    # a terminal on both ends: `studyapp quiz > key.txt` typed in a terminal prints the key
    interactive = (
        args.interactive
        if args.interactive is not None
        else (sys.stdin.isatty() and sys.stdout.isatty())
    )
    if interactive:
        return ask([q for block in blocks for q in block], seed)
    print_key(blocks, seed, args.count)
    return 0


def print_json(blocks, seed) -> None:
    """``{"schema": 1, "seed": S, "questions": [...]}`` as ``json.dump(..., indent=2)`` prints it,
    written a block of questions at a time (a quiz of 10⁵ questions is never all in memory)."""
    out = sys.stdout
    out.write(f'{{\n  "schema": 1,\n  "seed": {json.dumps(seed)},\n  "questions": [')
    sep = "\n"
    for block in blocks:
        for q in block:
            text = json.dumps(q.to_dict(), ensure_ascii=False, indent=2)
            out.write(sep + "    " + text.replace("\n", "\n    "))
            sep = ",\n"
    out.write("\n  ]\n}\n")


# ----------------------------------------------------------------------------- text output

WIDTH = 92


def _wrap(text: str, indent: str = "   ") -> str:
    """Wrapped to the terminal's usual width, with ASCII scripts (δ^L, W^(m+1)) as unicode."""
    from studyapp.core.mathtext import plain_scripts

    lines = []
    for line in plain_scripts(str(text)).splitlines() or [""]:
        lines.append(
            textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=indent)
            if line.strip()
            else ""
        )
    return "\n".join(lines)


def render_question(q, number: int, total: int) -> str:
    """The question as a terminal shows it (no answer)."""
    head = f"{number}/{total}  [{q.topic} · {q.kind.replace('_', '/')}]"
    out = [head, _wrap(q.prompt)]
    for i, c in enumerate(q.choices, start=1):
        out.append(_wrap(f"{i}) {c}", "     "))
    return "\n".join(out)


def render_answer(q) -> str:
    if q.kind == QuestionKind.MCQ:
        answer = f"{q.choices.index(q.answer) + 1}) {q.answer}"
    elif q.kind == QuestionKind.MATCHING:
        answer = " ".join(f"{n}{letter}" for n, letter in q.expected["key"].items())
    else:
        answer = q.answer
    return "\n".join(
        [_wrap(f"Answer: {answer}"), _wrap(f"Why: {q.explanation}"), _wrap(f"Source: {q.source}")]
    )


def print_key(blocks, seed, total: int) -> None:
    """The readable quiz with its answer key, block by block as the questions are made."""
    print(f"Quiz · seed {seed} · {total} questions")
    questions = (q for block in blocks for q in block)
    for n, q in enumerate(questions, start=1):
        print()
        print(render_question(q, n, total))
        print(render_answer(q))


HELP = {
    QuestionKind.MCQ: "type the number of your choice",
    QuestionKind.TRUE_FALSE: "type t or f",
    QuestionKind.MATCHING: "type pairs like 1b 2a 3d 4c",
    QuestionKind.NUMERIC: "type a number (expressions like 1/3 are fine)",
    QuestionKind.TYPED: "type your answer",
    QuestionKind.CLOZE: "type what goes in the blank",
}


def _record(storage, q, correct: bool, seconds: float) -> None:
    from studyapp.core.attempts import AttemptKind

    if storage is None:
        return
    try:
        storage.record_attempt(AttemptKind.QUIZ, q.base_id, q.topic, correct, seconds)
    except Exception as exc:  # a failing history must not end the quiz
        print(f"(could not record the attempt: {exc})", file=sys.stderr)


def _open_storage():
    from studyapp.storage import Storage

    try:
        return Storage.open()
    except Exception as exc:
        print(f"(not recording this quiz: {exc})", file=sys.stderr)
        return None


def ask(questions, seed, stdin=None, out=None) -> int:
    """Ask every question on stdin; print a verdict and the explanation after each one, and
    the score at the end. End of input stops early (the score counts what was answered)."""
    from studyapp.core.questions import grade
    from studyapp.core.questions.model import SKIPPED

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    storage = _open_storage()
    score = answered = 0
    print(f"Quiz · seed {seed} · {len(questions)} questions (Ctrl-D to stop)", file=out)
    try:
        for n, q in enumerate(questions, start=1):
            print("", file=out)
            print(render_question(q, n, len(questions)), file=out)
            start = time.monotonic()
            verdict = None
            for _attempt in range(3):
                prompt = f"   ({HELP.get(q.kind, 'answer')}; enter alone: don't know) > "
                if stdin is sys.stdin and out is sys.stdout and stdin.isatty():
                    line = input(prompt) + "\n"  # a terminal: readline editing and history
                else:
                    print(prompt, end="", file=out, flush=True)
                    line = stdin.readline()
                    if not line:
                        raise EOFError
                verdict = grade(q, line.strip())
                if verdict.verdict != "invalid":
                    break
                print(f"   Could not read that: {verdict.message}", file=out)
            answered += 1
            correct = verdict is not None and verdict.verdict == "correct"
            score += correct
            _record(storage, q, correct, time.monotonic() - start)
            if correct:
                print("   ✓ correct", file=out)
            elif verdict is not None and verdict.message == SKIPPED:
                print("   – don't know: counted as a miss", file=out)
            else:
                msg = f": {verdict.message}" if verdict is not None and verdict.message else ""
                diag = getattr(verdict, "diagnosis", None)
                print(f"   ✗ not quite{msg}" + (f" ({diag})" if diag else ""), file=out)
            print(render_answer(q), file=out)
    except EOFError:
        print("", file=out)
    finally:
        if storage is not None:
            storage.close()
    pct = f" ({100 * score / answered:.0f} %)" if answered else ""
    print(
        f"\nScore: {score}/{answered}{pct}"
        + (f" — stopped after {answered} of {len(questions)}" if answered < len(questions) else ""),
        file=out,
    )
    return 0
