"""Safe answer checking: a whitelisting parser, high-precision numeric equivalence, sympy
confirmation in a killable worker, and diagnosis of classic slips.

Public API::

    check(expected, answer, kind="auto", rel_tol=0.005, abs_tol=5e-4, variables=None,
          assume=None, context=None) -> Verdict     # Verdict.verdict is an Outcome (StrEnum)
    check_value(expected_float_or_array, answer_text, rel_tol=0.005, abs_tol=5e-4) -> Verdict
    equivalent(a, b, variables=None) -> bool
    provably_different(a, b) -> bool   # fast numeric-only test for generated distractors
    preview(text) -> str          # unicode of what was typed; raises ParseError (no sympy)
    to_unicode(formula_text) -> str
    parse(text) -> Node           # the checker's own tree
    prewarm()                     # start the sympy worker early (UI start-up)

Equality follows the check-answer contract: the answer must be real and equal wherever the
expected formula is real, sampled inside each symbol's domain (``content/symbols.toml``, see
``studyapp.core.symbols``; ``assume`` states more, e.g. ``["alpha in (0,1)", "n integer"]``).

Importing this package imports neither sympy nor mpmath: the parser and renderer are pure
Python, mpmath loads on the first ``check`` and sympy only inside the worker process.
"""

from __future__ import annotations

from studyapp.core.checker.errors import LimitError, ParseError
from studyapp.core.checker.limits import CONTENT_LIMITS, DEFAULT_LIMITS, Limits
from studyapp.core.checker.parser import parse
from studyapp.core.checker.render import render_text, render_unicode


def preview(text: str) -> str:
    """Unicode rendering of typed text (``s(z)(1-s(z))`` -> ``σ(z)(1 − σ(z))``).

    Raises ParseError (with ``.position``) when the text cannot be read. Cheap enough to call
    on every keystroke; never imports sympy.
    """
    return render_unicode(parse(text))


def to_unicode(formula_text: str) -> str:
    """Unicode rendering of a stored content formula (longer inputs allowed than for answers)."""
    return render_unicode(parse(formula_text, limits=CONTENT_LIMITS))


def __getattr__(name: str):
    # check & co. live in .core, which is light too; imported on first use to keep
    # `import studyapp.core.checker` minimal for preview-only callers.
    if name in (
        "check",
        "check_value",
        "equivalent",
        "provably_different",
        "Verdict",
        "Outcome",
        "grade_nodes",
        "KINDS",
    ):
        from studyapp.core.checker import core

        return getattr(core, name)
    if name in ("prewarm", "shutdown"):
        from studyapp.core.checker import worker

        return getattr(worker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CONTENT_LIMITS",
    "DEFAULT_LIMITS",
    "LimitError",
    "Limits",
    "Outcome",
    "ParseError",
    "Verdict",
    "check",
    "check_value",
    "equivalent",
    "parse",
    "prewarm",
    "preview",
    "provably_different",
    "render_text",
    "render_unicode",
    "shutdown",
    "to_unicode",
]
