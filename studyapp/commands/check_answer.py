"""``studyapp check-answer``: grade one typed answer and print the verdict as JSON.

Exit codes: 0 correct, 1 incorrect, 2 invalid (the JSON object is printed in every case; for
"invalid" the reason is also one line on stderr). A bad option (``--assume "x in (0,"``) is a
usage error: one stderr line, exit 2, no JSON.
sympy is not imported here: most answers are settled numerically in this process, and only
an inconclusive formula starts the symbolic worker process.
"""

from __future__ import annotations

import json
import math
import sys

from studyapp.errors import UsageError

EXIT_CODES = {"correct": 0, "incorrect": 1, "invalid": 2}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "check-answer",
        help="grade one answer (number, formula, vector or matrix) and print JSON",
        description="Grade a typed answer against the expected one. Prints one JSON object "
        "{verdict, message, expected, answer, diagnosis}; exit 0 correct, 1 incorrect, 2 invalid.",
    )
    p.add_argument(
        "--expected", required=True, metavar="E", help="the expected answer (typed text)"
    )
    p.add_argument("--answer", required=True, metavar="A", help="the answer to grade (typed text)")
    p.add_argument(
        "--kind",
        choices=("auto", "numeric", "expression", "matrix"),
        default="auto",
        help="how to compare (default auto: numbers within tolerance, formulas exactly)",
    )
    p.add_argument(
        "--rel-tol",
        type=float,
        default=0.005,
        metavar="R",
        help="relative tolerance for numbers (default 0.005 = 0.5%%)",
    )
    p.add_argument(
        "--abs-tol",
        type=float,
        default=5e-4,
        metavar="T",
        help="absolute tolerance when |expected| < 0.1 (default 5e-4)",
    )
    p.add_argument(
        "--vars", default=None, metavar="z,y,a", help="comma-separated variables the answer may use"
    )
    p.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="A",
        help="the domain of a symbol, e.g. 'alpha in (0,1)', 'x > 0', 'n integer', '0 < p < 1' "
        "(repeatable; narrows the domain content/symbols.toml declares for that symbol)",
    )


def _clean(value):
    """Replace lone surrogates (undecodable bytes in argv) so the JSON can be written."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def run(args) -> int:
    for name in ("rel_tol", "abs_tol"):
        value = getattr(args, name)
        if not math.isfinite(value) or value < 0:
            raise UsageError(f"--{name.replace('_', '-')} must be a number ≥ 0, got {value}")
    from studyapp.core.checker import check
    from studyapp.core.checker.core import canonical_variables
    from studyapp.core.checker.domains import DomainError, parse_assumptions

    try:
        variables = canonical_variables(args.vars)
    except ValueError as exc:
        raise UsageError(f"--vars: {exc}") from None
    try:
        assumed = parse_assumptions(args.assume)
    except DomainError as exc:
        raise UsageError(f"--assume: {exc}") from None
    try:
        verdict = check(
            args.expected,
            args.answer,
            kind=args.kind,
            rel_tol=args.rel_tol,
            abs_tol=args.abs_tol,
            variables=variables,
            assume=assumed,
        )
    except DomainError as exc:  # an assumption that contradicts the declared domain
        raise UsageError(str(exc)) from None
    return print_verdict(verdict, "check-answer")


def print_verdict(verdict, command: str) -> int:
    """Print the Verdict's contract JSON object (``verdict``, ``message``, ``expected``,
    ``answer``, ``diagnosis``) on stdout, and for "invalid" the reason as one stderr line;
    returns the exit code (0 correct, 1 incorrect, 2 invalid)."""
    payload = {k: _clean(v) for k, v in verdict.to_dict().items()}
    text = json.dumps(payload, ensure_ascii=False)
    out = sys.stdout
    try:
        out.write(text + "\n")
    except UnicodeEncodeError:  # a terminal that cannot show σ: fall back to \u escapes
        out.write(json.dumps(payload) + "\n")
    out.flush()
    if verdict.verdict == "invalid":  # the contract: the reason also as one line on stderr
        reason = " ".join(str(payload["message"]).split())
        print(f"studyapp {command}: {reason}", file=sys.stderr)
    return EXIT_CODES[verdict.verdict]
