"""Tokenizer for answers as people type them: ``tokenize(text) -> list[Token]``.

The alphabet is fixed: digits, ASCII and Greek letters, the operators ``+-*/^()[],;|`` (and the
unicode spellings people paste: ``·``, ``×``, ``−``, ``÷``, …), superscripts, primes, ``√``,
vulgar fractions (``½``), ``∂`` (``∂C/∂a`` reads as ``dC/da``) and a few LaTeX habits
(``\\sigma``, ``\\cdot``, ``\\hat{y}``). Any other character is a ParseError naming it and its
position. Brackets are checked for balance here, so the grammar never sees a stray one.

How it reads: :func:`_rule_for` picks one small function per token class from the character
under the cursor (numbers and names first, then ``**``, then a table keyed by character); each
function appends its tokens and moves the cursor past what it read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Container
from fractions import Fraction

from studyapp.core.checker.errors import LimitError, ParseError
from studyapp.core.checker.limits import DEFAULT_LIMITS, Limits
from studyapp.core.checker.names import (
    FUNCTIONS,
    GREEK_LETTERS,
    GREEK_WORDS,
    SUBSCRIPTS,
    SUPERSCRIPTS,
)

NUM, NAME, OP, SUP, PRIME_TOK, SQRT, END = "NUM", "NAME", "OP", "SUP", "PRIME", "SQRT", "END"

# unicode operators people paste -> ASCII operator
_OP_ALIASES = {
    "·": "*",
    "⋅": "*",
    "×": "*",
    "∗": "*",
    "•": "*",
    "−": "-",
    "–": "-",
    "—": "-",
    "÷": "/",
    "∕": "/",
    "＋": "+",
    "（": "(",
    "）": ")",
    "{": "(",
    "}": ")",
}
_OPS = set("+-*/^()[],;|")
_PRIMES = {"'", "′", "’"}
_HAT = "\u0302"  # combining circumflex: y + ̂  ->  y_hat
_PRECOMPOSED_HAT = {"ŷ": "y", "ĥ": "h", "x̂": "x", "ŵ": "w", "ĝ": "g"}
_WORD_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS = set("0123456789")
_VULGAR = {
    "½": (1, 2),
    "⅓": (1, 3),
    "⅔": (2, 3),
    "¼": (1, 4),
    "¾": (3, 4),
    "⅕": (1, 5),
    "⅙": (1, 6),
    "⅛": (1, 8),
}
_SPACES = set(" \t\n\r\u00a0\u2009\u202f")
_CLOSER = {"(": ")", "[": "]"}


class Token:
    """One token: ``kind`` (NUM, NAME, OP, SUP, PRIME, SQRT, END), its ``value`` and the
    0-based ``pos`` of its first character. A NUM's value is ``(Fraction, text as typed)``."""

    __slots__ = ("kind", "value", "pos")

    def __init__(self, kind: str, value, pos: int):
        self.kind, self.value, self.pos = kind, value, pos

    def is_op(self, *ops: str) -> bool:
        return self.kind == OP and self.value in ops

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Token({self.kind}, {self.value!r}, {self.pos})"


def tokenize(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Token]:
    """Split ``text`` into tokens (the last one END); raises ParseError naming the first bad
    character or unbalanced bracket, LimitError for a number beyond ``limits``."""
    if _HAT in text:
        text = unicodedata.normalize("NFC", text)
    lexer = _Lexer(text, limits)
    while lexer.i < lexer.n:
        raw = text[lexer.i]
        if raw in _SPACES:
            lexer.i += 1
            continue
        ch = _OP_ALIASES.get(raw, raw)
        _rule_for(lexer, ch)(lexer, ch)
    lexer.all_closed()
    lexer.tokens.append(Token(END, None, lexer.n))
    return lexer.tokens


class _Lexer:
    """The reading state: ``text``, the cursor ``i``, the ``tokens`` so far and the open
    ``brackets`` (character, position)."""

    def __init__(self, text: str, limits: Limits):
        self.text = text
        self.n = len(text)
        self.limits = limits
        self.i = 0
        self.tokens: list[Token] = []
        self.brackets: list[tuple[str, int]] = []

    def at(self, j: int) -> str:
        """The character at ``j`` ('' past the end)."""
        return self.text[j] if j < self.n else ""

    def add(self, kind: str, value, pos: int) -> None:
        self.tokens.append(Token(kind, value, pos))

    def scan(self, j: int, chars: Container[str]) -> int:
        """The first position from ``j`` on whose character is not in ``chars``."""
        while j < self.n and self.text[j] in chars:
            j += 1
        return j

    def all_closed(self) -> None:
        if self.brackets:
            opener, at = self.brackets[-1]
            raise ParseError(
                f"unbalanced '{opener}' at position {at + 1}: missing '{_CLOSER[opener]}'", at
            )


Rule = Callable[[_Lexer, str], None]


def _rule_for(lx: _Lexer, ch: str) -> Rule:
    """The token class that starts with ``ch`` (``ch`` with unicode operators made ASCII)."""
    if ch in DIGITS or (ch == "." and lx.at(lx.i + 1) in DIGITS):
        return _number
    if _starts_name(ch):
        return _name
    if ch == "*" and lx.at(lx.i + 1) == "*":
        return _double_star
    return _BY_CHAR.get(ch, _bad_character)


def _starts_name(ch: str) -> bool:
    return ch in _LETTERS or ch in GREEK_LETTERS or ch in _PRECOMPOSED_HAT or ch in ("σ", "π")


# --------------------------------------------------------------------------- numbers


def _number(lx: _Lexer, ch: str) -> None:
    """``12``, ``0.5``, ``.5``, ``3.4e-2`` (scientific only when a digit follows the e)."""
    start = lx.i
    lx.i = _mantissa_end(lx, start)
    mantissa = lx.text[start : lx.i]
    exp10 = _exponent(lx, start)
    significant = mantissa.replace(".", "").lstrip("0")
    if len(significant) > lx.limits.max_digits:
        raise LimitError(
            f"number at position {start + 1} has too many digits (limit {lx.limits.max_digits})",
            start,
        )
    if lx.at(lx.i) == "." and lx.at(lx.i + 1) in DIGITS:
        raise ParseError(
            f"cannot read the number at position {start + 1} (two decimal points)", start
        )
    value = Fraction(mantissa) * (Fraction(10) ** exp10)
    typed = mantissa if exp10 == 0 else f"{mantissa}e{exp10}"
    lx.add(NUM, (value, typed), start)


def _mantissa_end(lx: _Lexer, start: int) -> int:
    """Digits, then a decimal point and more digits if there is one."""
    j = lx.scan(start, DIGITS)
    return lx.scan(j + 1, DIGITS) if lx.at(j) == "." else j


def _exponent(lx: _Lexer, start: int) -> int:
    """The power of ten after the mantissa (``e-2`` → -2; 0 if there is none). 2e^z is 2·e^z:
    an ``e`` without digits after it is left for the name rule."""
    e = lx.i
    if lx.at(e) not in ("e", "E"):
        return 0
    j = e + 1 + (lx.at(e + 1) in ("+", "-", "−"))
    if lx.at(j) not in DIGITS:
        return 0
    k = lx.scan(j, DIGITS)
    digits = lx.text[j:k]
    if len(digits) > 6 or int(digits) > lx.limits.max_exp10:
        raise LimitError(
            f"number at position {start + 1} is too large: exponents of ten are limited "
            f"to ±{lx.limits.max_exp10}",
            start,
        )
    lx.i = k
    return int(digits) * (-1 if lx.at(e + 1) in ("-", "−") else 1)


# --------------------------------------------------------------------------- names


def _name(lx: _Lexer, ch: str) -> None:
    """A name: ``ŷ``, an ASCII word (``beta1``, ``w_12``) or one Greek letter, each with the
    subscripts and hats that follow it."""
    start = lx.i
    first = lx.text[start]
    if first in _PRECOMPOSED_HAT:
        raw, lx.i = _PRECOMPOSED_HAT[first] + "_hat", start + 1
    elif first in _LETTERS:
        lx.i = lx.scan(start, _WORD_CHARS)
        raw = lx.text[start : lx.i]
    else:
        raw = _greek_name(lx, first)
    raw, lx.i = _name_suffix(lx, lx.i, raw)
    lx.add(NAME, raw, start)


def _greek_name(lx: _Lexer, letter: str) -> str:
    """One Greek letter, with a subscript written as digits or ``_…`` (σ₁ is a variable,
    σ(z) the function)."""
    raw = letter if letter in ("σ", "π") else GREEK_LETTERS[letter]
    lx.i += 1
    nxt = lx.at(lx.i)
    if nxt and (nxt in DIGITS or nxt == "_" or nxt in SUBSCRIPTS):
        raw = {"σ": "sigma", "π": "pi"}.get(raw, raw)
    if nxt and (nxt in DIGITS or nxt == "_"):
        j = lx.scan(lx.i, _WORD_CHARS)
        word = lx.text[lx.i : j]
        raw += word if nxt == "_" else "_" + word
        lx.i = j
    return raw


def _name_suffix(lx: _Lexer, i: int, raw: str) -> tuple[str, int]:
    """Subscripts and hats that follow a name: w_{12}, β₁, w₁₂, m̂ (returns new raw, index)."""
    raw, i = _ascii_subscript(lx, i, raw)
    raw, i = _braced_subscript(lx, i, raw)
    raw, i = _unicode_subscript(lx, i, raw)
    if lx.at(i) == _HAT:
        raw, i = raw + "_hat", i + 1
    return raw, i


def _ascii_subscript(lx: _Lexer, i: int, raw: str) -> tuple[str, int]:
    """``_12`` or ``_ab`` joins the name; bare digits after it become ``_digits``."""
    if lx.at(i) == "_" and not raw.endswith("_"):
        j = lx.scan(i + 1, _WORD_CHARS)
        return raw + lx.text[i:j], j
    if lx.at(i) in DIGITS:
        j = lx.scan(i, DIGITS)
        return f"{raw}_{lx.text[i:j]}", j
    return raw, i


def _braced_subscript(lx: _Lexer, i: int, raw: str) -> tuple[str, int]:
    """LaTeX habit: w_{12}, x_{i} -> w_12, x_i."""
    if not (raw.endswith("_") and lx.at(i) == "{"):
        return raw, i
    j = lx.text.find("}", i)
    inner = lx.text[i + 1 : j] if j > 0 else ""
    if inner and all(c in _WORD_CHARS for c in inner):
        return raw + inner, j + 1
    return raw, i


def _unicode_subscript(lx: _Lexer, i: int, raw: str) -> tuple[str, int]:
    """Unicode subscripts belong to the name: β₁, w₁₂."""
    j = lx.scan(i, SUBSCRIPTS)
    if j == i:
        return raw, i
    sub = "".join(SUBSCRIPTS[c] for c in lx.text[i:j])
    return (f"{raw}_{sub}" if "_" not in raw else raw + sub), j


# --------------------------------------------------------------------------- operators


def _double_star(lx: _Lexer, ch: str) -> None:
    """``**`` is ``^``."""
    lx.add(OP, "^", lx.i)
    lx.i += 2


def _operator(lx: _Lexer, ch: str) -> None:
    """One of ``+-*/^()[],;|``; brackets are matched as they come."""
    if ch in _CLOSER:
        lx.brackets.append((ch, lx.i))
    elif ch in (")", "]"):
        _close(lx, ch)
    lx.add(OP, ch, lx.i)
    lx.i += 1


def _close(lx: _Lexer, ch: str) -> None:
    i = lx.i
    if not lx.brackets:
        raise ParseError(
            f"unbalanced '{ch}' at position {i + 1}: no matching "
            f"'{'(' if ch == ')' else '['}' before it",
            i,
        )
    opener, at = lx.brackets.pop()
    if _CLOSER[opener] != ch:
        raise ParseError(
            f"unbalanced brackets: '{opener}' at position {at + 1} is closed by "
            f"'{ch}' at position {i + 1}",
            i,
        )


# --------------------------------------------------------------------------- LaTeX and ∂


def _latex(lx: _Lexer, ch: str) -> None:
    """LaTeX habits: \\sigma, \\theta, \\cdot, \\hat{y}; anything else is refused by name."""
    start = lx.i
    end = lx.scan(start + 1, _LETTERS)
    word = lx.text[start + 1 : end]
    hat = lx.text[end : end + 3]
    if word in ("cdot", "times"):
        lx.add(OP, "*", start)
    elif word in ("hat", "widehat") and _is_braced_letter(hat):
        lx.add(NAME, hat[1] + "_hat", start)  # \hat{y} is ŷ
        end += 3
    elif word.lower() in GREEK_WORDS or word in FUNCTIONS:
        raw, end = _name_suffix(lx, end, word)
        lx.add(NAME, raw, start)
    elif word not in ("left", "right"):  # \left( and \right) are just brackets
        shown = f"\\{word}" if word else "'\\'"
        raise ParseError(
            f"{shown} at position {start + 1} is not supported: type the formula "
            "plainly, e.g. a/b for \\frac{a}{b}",
            start,
        )
    lx.i = end


def _is_braced_letter(text: str) -> bool:
    """``{y}``: one ASCII letter in braces."""
    return len(text) == 3 and text[0] == "{" and text[1] in _LETTERS and text[2] == "}"


def _partial(lx: _Lexer, ch: str) -> None:
    """∂C/∂a is typed dC/da in ASCII: the partial becomes part of the name."""
    start = lx.i
    j = lx.scan(start + 1, _SPACES)
    nxt = lx.at(j)
    if not nxt or not (nxt in _LETTERS or nxt in GREEK_LETTERS):
        raise ParseError(
            f"'∂' at position {start + 1} must be followed by a name, as in ∂C/∂a", start
        )
    lx.i = j
    _name(lx, nxt)
    lx.tokens[-1] = Token(NAME, "d" + lx.tokens[-1].value, start)


# --------------------------------------------------------------------------- single characters


def _vulgar(lx: _Lexer, ch: str) -> None:
    """½ reads as (1/2), so ½² and ½(a − y)² mean what they show."""
    num, den = _VULGAR[ch]
    i = lx.i
    lx.add(OP, "(", i)
    lx.add(NUM, (Fraction(num), str(num)), i)
    lx.add(OP, "/", i)
    lx.add(NUM, (Fraction(den), str(den)), i)
    lx.add(OP, ")", i)
    lx.i += 1


def _superscript(lx: _Lexer, ch: str) -> None:
    """A run of superscripts: an integer power such as ² or ⁻¹."""
    start = lx.i
    lx.i = lx.scan(start, SUPERSCRIPTS)
    sup = "".join(SUPERSCRIPTS[c] for c in lx.text[start : lx.i])
    if not any(c in DIGITS for c in sup) or "-" in sup[1:]:
        raise ParseError(f"cannot read the superscript at position {start + 1}", start)
    lx.add(SUP, sup, start)


def _prime(lx: _Lexer, ch: str) -> None:
    lx.add(PRIME_TOK, "'", lx.i)
    lx.i += 1


def _sqrt(lx: _Lexer, ch: str) -> None:
    lx.add(SQRT, "√", lx.i)
    lx.i += 1


_HINTS = {
    "!": " (factorials are not supported)",
    "=": " (type only the right-hand side of the formula)",
    "_": " (names start with a letter)",
    ".": " (a dot only belongs inside a number such as 0.5)",
    "%": " (write a percentage as a number: 5% is 0.05)",
}


def _bad_character(lx: _Lexer, ch: str) -> None:
    raw = lx.text[lx.i]
    shown = f"'{raw}'" if raw.isprintable() and not raw.isspace() else f"U+{ord(raw):04X}"
    raise ParseError(
        f"unexpected character {shown} at position {lx.i + 1}{_HINTS.get(raw, '')}", lx.i
    )


def _by_character() -> dict[str, Rule]:
    """Token classes keyed by their first character, earlier ones first where they overlap."""
    table: dict[str, Rule] = {}
    groups: list[tuple[set[str] | dict, Rule]] = [
        (_OPS, _operator),
        ({"\\"}, _latex),
        ({"∂"}, _partial),
        (_VULGAR, _vulgar),
        (SUPERSCRIPTS, _superscript),
        (_PRIMES, _prime),
        ({"√"}, _sqrt),
    ]
    for chars, rule in groups:
        for c in chars:
            table.setdefault(c, rule)
    return table


_BY_CHAR = _by_character()
