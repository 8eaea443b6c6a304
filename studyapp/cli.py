"""Command-line entry point.

``studyapp --version`` is answered before anything else is imported, and each sub-command's
module is imported only when that command runs, so heavy libraries (textual, sympy, numpy)
load only where they are needed.

Each module in ``COMMANDS`` provides ``add_parser(subparsers)`` (cheap: argparse only) and
``run(args) -> int``; it raises :class:`studyapp.errors.StudyappError` for user mistakes.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from studyapp import __version__
from studyapp.errors import one_line, os_reason

# name -> module; the module is imported only to build that command's parser or to run it.
COMMANDS: dict[str, str] = {
    "review": "studyapp.commands.tui",
    "exercise": "studyapp.commands.exercise",
    "check-answer": "studyapp.commands.check_answer",
    "quiz": "studyapp.commands.quiz",
    "export": "studyapp.commands.export",
    "worksheet": "studyapp.commands.worksheet",
    "stats": "studyapp.commands.stats",
    "optimize": "studyapp.commands.optimize",
    "content": "studyapp.commands.content",
    "backup": "studyapp.commands.backup",
    "serve": "studyapp.commands.serve",
    "playground": "studyapp.commands.playground",
}


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports a usage error as exactly one line on stderr (exit 2)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {one_line(message)}\n")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]):
        # `--count=--` gives the value "--"; argparse would drop it as the end-of-options marker
        # and hand the command an empty list instead of a string
        if arg_strings == ["--"] and action.option_strings and action.nargs is None:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)


def _takes_one_value(action: argparse.Action) -> bool:
    return bool(
        action.option_strings
        and action.nargs is None
        and not isinstance(
            action, (argparse._StoreConstAction, argparse._HelpAction, argparse._VersionAction)
        )
    )


def join_option_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Rewrite ``--opt -0.5`` as ``--opt=-0.5`` so option values may start with ``-``.

    argparse would otherwise take ``-0.5`` or ``-(y-a)`` for an option of its own.
    """
    out: list[str] = []
    current = parser
    i = 0
    while i < len(argv):
        token = argv[i]
        sub = _subparser(current, token)
        if sub is not None:
            current = sub
            out.append(token)
            i += 1
            continue
        action = current._option_string_actions.get(token)
        if action is not None and _takes_one_value(action) and i + 1 < len(argv):
            out.append(f"{token}={argv[i + 1]}")
            i += 2
            continue
        out.append(token)
        i += 1
    return out


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            return action.choices[name]
    return None


def build_parser(only: str | None = None) -> ArgumentParser:
    """The full parser; with ``only``, just that command's sub-parser is built (faster)."""
    parser = ArgumentParser(
        prog="studyapp",
        description="Study the deep-learning course notes: review, quizzes and backprop exercises.",
    )
    parser.add_argument("--version", action="version", version=f"studyapp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            continue
        importlib.import_module(module_name).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["--version"], ["-V"]):
        print(f"studyapp {__version__}")
        return 0
    if not argv:
        from studyapp.commands.tui import launch

        return launch(start=None)

    if any("\x00" in arg for arg in argv):  # no file name or value can hold one
        print("studyapp: error: an argument contains a NUL character", file=sys.stderr)
        return 2
    only = argv[0] if argv[0] in COMMANDS else None
    parser = build_parser(only)
    args = parser.parse_args(join_option_values(parser, argv))
    if args.command is None:
        parser.print_help()
        return 0

    from studyapp.errors import StudyappError

    module = importlib.import_module(COMMANDS[args.command])
    try:
        return int(module.run(args) or 0)
    except StudyappError as exc:
        print(f"studyapp {args.command}: error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"studyapp {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `studyapp ... | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0
    except OSError as exc:
        # The last resort for the environment failing under a command (a disk, a file that
        # vanished): one line naming the file, not a traceback. Commands name their own.
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"studyapp {args.command}: error: {one_line(where + os_reason(exc))}", file=sys.stderr
        )
        return 2
