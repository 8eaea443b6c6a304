"""Property test: any argv given to any subcommand ends with exit 0, 1 or 2, exactly one stderr
line on 2, and never a traceback.

``studyapp.cli.main(argv)`` runs in this process, in a temporary working and data directory
(shared by the examples of one subcommand, so state builds up as it would for a user), with the
TUI and `serve` stubbed. The options and their choices are read from the real parsers; values are
a mix of valid ones, numbers of every shape, odd text and file names (a FIFO, a directory, a
device among them). Counts are bounded so that no example streams a million exercises.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.cli import build_parser

# per subcommand: about 450 in all, seconds in all; the same examples every run (derandomized) so
# the suite is stable. STUDYAPP_FUZZ_EXAMPLES=500 runs a longer, random campaign.
EXAMPLES = int(os.environ.get("STUDYAPP_FUZZ_EXAMPLES", "22"))
RANDOM = "STUDYAPP_FUZZ_EXAMPLES" in os.environ

# options whose value makes the work grow (count of exercises, steps of training, …), and the
# largest value an example may give them
BOUNDED = {"--count": 12, "--steps": 40, "--points": 40, "--size": 8, "--epochs": 2, "--batch": 40}
FILES = ["notes.md", "junk.bin", "sub", "fifo", "missing.md", "out.csv", "/dev/null", "-", ""]
ODD = [
    "",
    "-",
    "--",
    "=",
    "-0.5",
    "nan",
    "inf",
    "1e400",
    "0x10",
    "2,3,1",
    "1,,2",
    "0,0",
    "a" * 300,
    "σ(z)(1-σ(z))",
    "-(y-a)",
    "\x00",
    "é\u202e",
    "2026-02-30",
    "2026-01-01",
    "http://x",
    "127.0.0.1",
]


def _commands() -> dict[str, list[argparse.Action]]:
    """``"exercise backprop"`` → that parser's actions, for every (sub)command."""
    found: dict[str, list[argparse.Action]] = {}

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if path:
            found[" ".join(path)] = parser._actions
        for sub in subs:
            for name, child in sub.choices.items():
                walk(child, [*path, name])

    walk(build_parser(), [])
    return found


COMMANDS = _commands()


def _value(action: argparse.Action) -> st.SearchStrategy[str]:
    option = max(action.option_strings, key=len, default="")
    if option in BOUNDED:
        return st.integers(-3, BOUNDED[option]).map(str) | st.sampled_from(ODD)
    parts = [
        st.integers(-(10**6), 10**6).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(ODD + FILES),
        st.text(max_size=12),
    ]
    if action.choices:
        parts.insert(0, st.sampled_from([str(c) for c in action.choices]))
    return st.one_of(*parts)


@st.composite
def _argv(draw, name: str) -> list[str]:
    actions = [a for a in COMMANDS[name] if not isinstance(a, argparse._SubParsersAction)]
    options = [a for a in actions if a.option_strings]
    positionals = [a for a in actions if not a.option_strings]
    argv = name.split()
    for action in draw(st.lists(st.sampled_from(options), max_size=6)) if options else []:
        flag = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            argv.append(flag)
        elif draw(st.booleans()):
            argv.append(f"{flag}={draw(_value(action))}")
        else:
            argv += [flag, draw(_value(action))]
    for _ in positionals:
        if draw(st.integers(0, 9)):  # mostly given, sometimes left out
            argv.append(draw(st.sampled_from(FILES + ODD) | st.text(max_size=8)))
    if draw(st.integers(0, 9)) == 0:  # an option of another command, or stray text
        argv.insert(draw(st.integers(1, len(argv))), draw(st.sampled_from(ODD + ["--json"])))
    return _bounded(argv)


def _bounded(argv: list[str]) -> list[str]:
    """Any number given to a BOUNDED option, however it got there, capped to its bound."""
    out = list(argv)
    for i, token in enumerate(out):
        option, eq, value = token.partition("=")
        if option in BOUNDED and eq:
            out[i] = f"{option}={_cap(value, BOUNDED[option])}"
        elif token in BOUNDED and i + 1 < len(out):
            out[i + 1] = _cap(out[i + 1], BOUNDED[token])
    return out


def _cap(value: str, bound: int) -> str:
    return str(bound) if re.fullmatch(r"\s*[+-]?\d+\s*", value) and int(value) > bound else value


@pytest.fixture
def playground(tmp_path, monkeypatch, data_dir):
    """A working directory holding the files the examples name."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.md").write_text("| Term | Meaning |\n|---|---|\n| epoch | one pass |\n")
    (work / "junk.bin").write_bytes(bytes(range(256)))
    (work / "sub").mkdir()
    os.mkfifo(work / "fifo")
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n2\nt\n"))
    return work


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_any_argv_gets_an_exit_code_and_at_most_one_error_line(name, studyapp, playground, capsys):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_argv(name))
    def check(argv: list[str]) -> None:
        result = studyapp(*argv)
        assert result.code in (0, 1, 2), (argv, result.code, result.err)
        assert "Traceback" not in result.err + result.out, argv
        if result.code == 2:
            assert len(result.err.splitlines()) == 1, (argv, result.err)

    check()


def test_the_bound_reaches_every_spelling_of_a_count():
    assert _bounded(["exercise", "backprop", "--count", "99999999"])[-1] == "12"
    assert _bounded(["quiz", "--count=10000000"])[-1] == "--count=12"
    assert _bounded(["quiz", "--count", "x", "--steps", "7"]) == [
        "quiz",
        "--count",
        "x",
        "--steps",
        "7",
    ]
