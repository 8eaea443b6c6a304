"""Numbers as a learner types and reads them: formatting, parsing, shapes, and the tolerance one
step is graded with.

Parsing reads literals (``0.52``, ``[0.52, 0.91]``, ``(0.5, 0.8)``, ``[[1, 2], [3, 4]]``) and, through
the checker's safe parser and evaluator, arithmetic without variables (``0.1 + 0.005881``,
``σ(0)``); never ``eval``. Values are float64 arrays in the step's natural shape.
"""

from __future__ import annotations

import re
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

    _TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|(.))")

    def __init__(self, text: str):
        text = text.replace("−", "-").replace("–", "-").replace("⁻", "-")
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
