"""Numbers as a learner types and reads them: formatting, parsing, shapes, and the tolerance one
step is graded with.

Parsing reads literals (``0.52``, ``[0.52, 0.91]``, ``(0.5, 0.8)``, ``[[1, 2], [3, 4]]``) and, through
the checker's safe parser and evaluator, arithmetic without variables (``0.1 + 0.005881``,
``σ(0)``); never ``eval``. Values are float64 arrays in the step's natural shape.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import numpy as np


def fmt_number(value: float, digits: int = 4) -> str:
    """A number as a person writes it: 4 significant digits, no ``-0``, no exponent unless tiny/huge."""
    value = float(value)
    if value == 0 or abs(value) < 1e-12:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text


def fmt_value(value: Any, digits: int = 4) -> str:
    """Scalar -> ``0.52``; vector -> ``[0.52, 0.91]``; matrix -> ``[[0.2, 0.4], [0.3, 0.7]]``.

    This is also the syntax the checker accepts, so a revealed answer can be typed back as is.
    """
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return fmt_number(float(arr), digits)
    return "[" + ", ".join(fmt_value(row, digits) for row in arr) + "]"


class _NumberParser:
    """Numbers, vectors ``[0.5, 0.8]``/``(0.5, 0.8)`` and matrices ``[[1, 2], [3, 4]]`` -> ndarray.

    Only literals: this gives the user's own value to carry forward. Grading itself is the checker's
    (which also accepts expressions); an answer this cannot read is still graded, just not carried.
    """

    _NUMBER = r"\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?"
    _TOKEN = re.compile(rf"\s*(?:({_NUMBER})|(.))")

    def __init__(self, text: str):
        text = _minus(text)
        self.tokens: list[str] = []
        for num, other in self._TOKEN.findall(text.strip()):
            self.tokens.append(num or other)
        self.pos = 0

    def parse(self) -> np.ndarray | None:
        try:
            value = self._value(depth=0)
        except (ValueError, IndexError):
            return None
        if self.pos != len(self.tokens):
            return None
        try:
            arr = np.asarray(value, dtype=float)
        except ValueError:  # ragged rows
            return None
        return arr if np.all(np.isfinite(arr)) else None

    def _value(self, depth: int):
        if depth > 3:
            raise ValueError("too deep")
        tok = self.tokens[self.pos]
        if tok in "[(":
            close = "]" if tok == "[" else ")"
            self.pos += 1
            items = [self._value(depth + 1)]
            while self.tokens[self.pos] in (",", ";"):
                self.pos += 1
                items.append(self._value(depth + 1))
            if self.tokens[self.pos] != close:
                raise ValueError("unbalanced")
            self.pos += 1
            return items
        sign = 1.0
        while tok in "+-":
            sign = -sign if tok == "-" else sign
            self.pos += 1
            tok = self.tokens[self.pos]
        self.pos += 1
        return sign * float(tok)


def _minus(text: str) -> str:
    """The dashes people type for a minus sign, as ``-``."""
    return text.replace("−", "-").replace("–", "-").replace("⁻", "-")


def parse_numbers(text: str) -> np.ndarray | None:
    """The numeric value of an answer: a literal, or arithmetic the checker can evaluate
    (``0.1 + 0.005881``, ``[sigma(0.52), sigma(0.91)]``); None when it has variables or is unreadable.
    """
    if not text or len(text) > 2000:
        return None
    value = _NumberParser(text).parse()
    return value if value is not None else _checker_value(text)


def _checker_value(text: str) -> np.ndarray | None:
    """Evaluate typed arithmetic with the checker's own safe parser and evaluator (never eval)."""
    from studyapp.core.checker import parse
    from studyapp.core.checker.nodes import Mat, Vec, free_symbols
    from studyapp.core.checker.numeric import evaluate

    value: float | list[float] | list[list[float]]
    try:
        node = parse(text)
        if free_symbols(node):
            return None
        if isinstance(node, Mat):
            value = [[float(evaluate(c)) for c in row] for row in node.rows]
        elif isinstance(node, Vec):
            value = [float(evaluate(c)) for c in node.items]
        else:
            value = float(evaluate(node))
        arr = np.asarray(value, dtype=float)
    except Exception:  # any parse/evaluation problem: the value is just not carried forward
        return None
    return arr if np.all(np.isfinite(arr)) else None


def describe_shape(shape: tuple[int, ...]) -> str:
    """What a value of this shape is, in words: "a number", "a 2-vector", "a 2×3 array"."""
    if len(shape) == 0:
        return "a number"
    if len(shape) == 1:
        return f"a {shape[0]}-vector"
    return f"a {'×'.join(str(n) for n in shape)} array"


def fit_shape(value: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray | None:
    """The user's value in the expected shape when it is the same thing written differently.

    ``0.739`` for a 1-vector, ``[0.1, 0.2]`` for a 1×2 matrix, ``[[0.52], [0.91]]`` for a 2-vector
    (column written out): same numbers in the same order. A transposed matrix is NOT fitted.
    """
    if value is None:
        return None
    if value.shape == shape:
        return value
    squeezed = tuple(n for n in value.shape if n != 1)
    if value.size == int(np.prod(shape)) and squeezed == tuple(n for n in shape if n != 1):
        return value.reshape(shape)
    return None


REL_TOL = 0.005  # the contract's 0.5 %


def check_answer(expected: np.ndarray, text: str):
    """``studyapp.core.checker.check_value`` on the expected value in the shape the user wrote.

    Returns the checker's Verdict (fields verdict, message, diagnosis, pretty).
    """
    exp = np.asarray(expected, dtype=float)
    user = parse_numbers(text)
    fitted = fit_shape(user, exp.shape)
    if fitted is not None and user is not None and user.shape != exp.shape:
        exp = exp.reshape(user.shape)  # same numbers, written as the user did
    elif user is None and exp.size == 1 and not text.lstrip().startswith(("[", "(")):
        exp = exp.reshape(())  # "0.739" for a 1-vector typed as an expression
    expected_arg = float(exp) if exp.ndim == 0 else exp.tolist()
    abs_tol = step_abs_tol(exp)
    from studyapp.core.checker import check_value

    return check_value(expected_arg, text, rel_tol=REL_TOL, abs_tol=abs_tol)


def step_abs_tol(expected: np.ndarray) -> float:
    """Absolute tolerance for one step: the contract's 5e-4, but never more than 0.5 % of the step's
    largest entry — a δ of −0.0059 must not accept −0.0055 (5e-4 alone would allow 8 %)."""
    scale = float(np.max(np.abs(expected))) if np.size(expected) else 0.0
    return float(min(5e-4, max(REL_TOL * scale, 1e-9)))


# --------------------------------------------------------------------------- updated parameters


def half_units(text: str) -> np.ndarray | None:
    """Half a unit of the last decimal of each number typed, in order (``0.2003`` → 0.00005,
    ``12`` → 0.5, ``2e-4`` → 0.00005). An entry written as arithmetic (``0.2 - 0.1*(-0.003)``)
    is exact: 0, graded at full precision. None when the entries cannot be told apart."""
    text = _minus(text)
    number = re.compile(rf"[-+]?({_NumberParser._NUMBER})")
    if _NumberParser(text).parse() is not None:  # plain numbers: every one is a literal
        leaves = [m.group(1) for m in number.finditer(text)]
    else:  # a list with some arithmetic in it: its entries lie between brackets and commas
        parts = [p.strip() for p in re.split(r"[\[\],;]", text) if p.strip()]
        if any(p.count("(") != p.count(")") for p in parts):
            return None  # a comma inside a function call or a (…) vector: not split here
        leaves = [m.group(1) if (m := number.fullmatch(p)) else "" for p in parts]
    return np.array([_half_unit(leaf) for leaf in leaves])


def _half_unit(literal: str) -> float:
    """Half a unit of the last decimal of a number literal; 0 for "" (arithmetic: exact)."""
    if not literal:
        return 0.0
    exponent = Decimal(literal).as_tuple().exponent
    return 0.5 * 10.0**exponent if isinstance(exponent, int) else 0.0


def decimals_to_show(change: np.ndarray) -> int:
    """Decimal places that show every nonzero entry of ``change`` (half a unit of the last one is at
    most half of the smallest change): ``0.0003`` → 4."""
    moving = np.abs(np.asarray(change, dtype=float))
    moving = moving[moving > 0]
    if moving.size == 0:
        return 0
    return max(0, math.ceil(-math.log10(float(moving.min())) - 1e-12))


def fmt_update(before: np.ndarray, after: np.ndarray) -> str:
    """An updated parameter with the digits its change needs (three significant digits of the
    smallest change): ``0.2002941`` is ``0.200294``, not ``0.2003``."""
    places = min(12, decimals_to_show(np.asarray(after) - np.asarray(before)) + 2)
    arr = np.asarray(after, dtype=float)

    def one(x: float) -> str:
        text = f"{x:.{places}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    if arr.ndim == 0:
        return one(float(arr))
    if arr.ndim == 1:
        return "[" + ", ".join(one(x) for x in arr.tolist()) + "]"
    return "[" + ", ".join("[" + ", ".join(one(x) for x in row) + "]" for row in arr.tolist()) + "]"


def check_update(before: np.ndarray, expected: np.ndarray, text: str):
    """Grade a parameter after one update step on its change Δ = new − old (the contract's
    ``exercise grade`` rule): right when |Δ − Δ_expected| ≤ max(0.5 % of |Δ_expected|, half a unit
    of the last decimal typed) and, where Δ_expected ≠ 0, new ≠ old. A half unit more than half of
    |Δ_expected| cannot show the update: incorrect, asking for more digits. So an unchanged
    parameter, or one moved the wrong way, is never right, however small the step.

    ``before``, ``expected``: the old and the expected new value (same shape). Returns the checker's
    Verdict (an unreadable answer gets :func:`check_answer`'s "invalid").
    """
    from studyapp.core.checker import Verdict

    old = np.asarray(before, dtype=float)
    new = np.asarray(expected, dtype=float)
    user = fit_shape(parse_numbers(text), new.shape)
    if user is None:
        return check_answer(new, text)
    half = half_units(text)
    half = half.reshape(new.shape) if half is not None and half.size == new.size else 0 * new
    want, got = new - old, user - old
    moving = want != 0
    too_few = moving & (half > 0.5 * np.abs(want))
    slack = 1e-12 * np.maximum(np.abs(new), 1.0)  # float64's rounding of a decimal on paper
    within = np.abs(got - want) <= np.maximum(REL_TOL * np.abs(want), half) + slack
    right = within & ~too_few & (~moving | (user != old))

    def verdict(word: str, message: str):
        return Verdict(word, message, fmt_update(old, new), text)

    if right.all():
        return verdict("correct", "correct")
    wrong = ~right
    if (too_few & wrong).any():
        places = decimals_to_show(want)
        return verdict(
            "incorrect",
            f"too few digits to show the update: new − old should be about "
            f"{fmt_value(want, 2)}, so type at least {places} decimal places",
        )
    change = f"new − old should be {fmt_value(want)}"
    if (moving & wrong & (user == old)).all():
        return verdict("incorrect", f"unchanged: the step moves it ({change})")
    if (moving & wrong & (np.sign(got) == -np.sign(want))).any():
        return verdict("incorrect", f"moved the wrong way: {change}, you have {fmt_value(got)}")
    return verdict("incorrect", f"{change}, you have {fmt_value(got)}")
