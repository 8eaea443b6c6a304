"""The answer checker as the question generator uses it.

Equivalence results are cached: distractors and mutations come from a finite set of content
formulas, so a long run of quizzes asks the same pairs again and again.
"""

from __future__ import annotations

from functools import lru_cache

from studyapp.core import checker as _checker
from studyapp.core.checker import CONTENT_LIMITS, ParseError


@lru_cache(maxsize=20000)
def equivalent(a: str, b: str) -> bool:
    """True unless the two formulas (checker syntax) are proven unequal by numeric sampling.

    Used to keep generated wrong options and "false" statements truly wrong: an inconclusive
    comparison counts as equivalent, and an unparsable side as not equivalent.
    """
    if a.strip() == b.strip():
        return True
    try:
        return not _checker.provably_different(a, b)
    except ParseError:
        return False


@lru_cache(maxsize=20000)
def parses(text: str) -> bool:
    """True when the checker can read ``text`` as a stored formula (content lengths allowed)."""
    try:
        _checker.parse(text, limits=CONTENT_LIMITS)
    except ParseError:
        return False
    return True


@lru_cache(maxsize=20000)
def to_unicode(text: str) -> str:
    """Readable unicode rendering of a stored formula (the text itself if it cannot be read)."""
    try:
        return _checker.to_unicode(text)
    except ParseError:
        return text


def check_expression(
    expected: str, answer: str, variables: list[str] | None = None, context: str | None = None
):
    """A Verdict for a typed formula. With ``variables`` (the names of the expected formula),
    an answer using other names is "invalid" with a message naming them, so it can be fixed.
    ``context``: the content entry the formula belongs to (its symbols' domains apply)."""
    verdict = _checker.check(
        expected, answer, kind="expression", variables=variables, context=context
    )
    if verdict.verdict == "invalid" and variables and "expected answer" in verdict.message:
        # the names were the problem on our side, not the user's: grade without them
        return _checker.check(expected, answer, kind="expression", context=context)
    return verdict


def numeric_abs_tol(expected: float) -> float:
    """Absolute tolerance for a quiz number: the checker's 5e-4, but never more than 0.5 % of a
    nonzero answer ("4 significant digits" must hold near zero: 0 is not 0.0003)."""
    return 5e-4 if expected == 0 else min(5e-4, 0.005 * abs(expected))


def check_value(expected, answer: str, rel_tol: float = 0.005, abs_tol: float = 5e-4):
    """A Verdict for a typed number (or vector)."""
    return _checker.check_value(expected, answer, rel_tol=rel_tol, abs_tol=abs_tol)


def make_verdict(
    verdict: str, message: str, expected: str, answer: str, diagnosis: str | None = None
):
    """A checker Verdict built by the quiz (for kinds the checker does not grade: choices,
    true/false, terms, matching), so callers always see one type."""
    return _checker.Verdict(
        verdict=verdict,
        message=message,
        expected=expected,
        answer=answer,
        diagnosis=diagnosis,
        pretty="",
    )
