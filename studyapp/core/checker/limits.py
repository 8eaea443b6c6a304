"""Bounds on what the checker accepts, so no input can make it slow or hungry.

Every limit breach is reported as a :class:`~studyapp.core.checker.errors.LimitError` whose
message names the limit, and becomes the verdict "invalid".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Size limits for one parsed input.

    max_length   characters of input (checked before anything else, so 1 MB is rejected at once)
    max_nodes    nodes of the expression tree
    max_depth    depth of the expression tree
    max_nesting  brackets / unary signs / powers open at the same time while parsing
    max_power    largest |exponent| when the exponent is a constant (``z^1000`` yes, ``9^9^9`` no)
    max_digits   significant digits of one number literal
    max_exp10    largest |k| in scientific notation ``1e-k``
    max_entries  entries of a vector or matrix
    """

    max_length: int = 500
    max_nodes: int = 300
    max_depth: int = 100
    max_nesting: int = 30
    max_power: int = 1000
    max_digits: int = 40
    max_exp10: int = 300
    max_entries: int = 100


DEFAULT_LIMITS = Limits()
# Stored course formulas are trusted text but can be longer (e.g. a whole Adam step).
CONTENT_LIMITS = Limits(max_length=2000, max_nodes=1200)
