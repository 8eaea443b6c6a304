"""``grade(question, user_text) -> Verdict``: one entry point for every kind of question.

Numbers and formulas go to the answer checker; choices, true/false, words and pairings are
compared here. The verdict has the checker's fields (verdict, message, expected, answer,
diagnosis), so the CLI and the TUI show every kind the same way.
"""

from __future__ import annotations

import difflib
import json
import re

from studyapp.core.questions import _checking as chk
from studyapp.core.questions.builders.common import BLANK, LETTERS, norm_text, symbols_in
from studyapp.core.questions.model import SKIPPED, ExpectedKind, Question

# "1" and "2" are the True and False buttons' numbers in the TUI
TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "2", "0"}


def grade(question: Question, user_text: str):
    """Grade ``user_text`` against ``question``; returns a Verdict (never raises on user text).

    An empty answer is a skip ("don't know"): incorrect, with the message ``skipped``.
    """
    text = (user_text or "").strip()
    if not text:
        return chk.make_verdict("incorrect", SKIPPED, question.answer, "")
    return _GRADERS[question.expected_kind](question, text)


def _grade_numeric(question: Question, text: str):
    expected = float(question.expected)
    return chk.check_value(expected, text, rel_tol=0.005, abs_tol=chk.numeric_abs_tol(expected))


def _grade_expression(question: Question, text: str):
    if _same_text(text, question.answer):
        # the stored answer itself: no need to ask the checker (or wait on its sympy worker)
        return chk.make_verdict("correct", "Correct.", question.answer, text)
    names = symbols_in(question.expected) or None
    context = question.entry_id or None  # the entry's symbol domains (Leaky ReLU's α in (0, 1))
    if question.cloze_template:
        # substitute the blank and compare whole formulas: any equivalent filling counts
        filled = question.cloze_template.replace(BLANK, f"({text})")
        verdict = chk.check_expression(question.expected, filled, names, context)
        return chk.make_verdict(
            verdict.verdict,
            verdict.message,
            question.answer,
            text,
            getattr(verdict, "diagnosis", None),
        )
    return chk.check_expression(question.expected, text, names, context)


def _same_text(a: str, b: str) -> bool:
    """Equal up to spaces, ``**`` for ``^`` and one pair of outer brackets."""

    def canon(t: str) -> str:
        t = re.sub(r"\s+", "", t).replace("**", "^")
        return t[1:-1] if t.startswith("(") and t.endswith(")") and t.count("(") == 1 else t

    return canon(a) == canon(b)


def choice_index(question: Question, text: str) -> int | None:
    """The 0-based choice a user picked: ``2``, ``b``, ``(b)`` or the option's own text (a
    number option also by its value: ``0.50`` for ``0.5``; numeric options always show a decimal
    point, so a bare integer is always an option number)."""
    t = text.strip().strip("().").lower()
    if t.isdigit() and 1 <= int(t) <= len(question.choices):
        return int(t) - 1
    if len(t) == 1 and "a" <= t <= "z" and ord(t) - ord("a") < len(question.choices):
        return ord(t) - ord("a")
    for i, c in enumerate(question.choices):  # the exact text first: "-0.5" is not "0.5"
        if c.strip() == text.strip():
            return i
    loose = [i for i, c in enumerate(question.choices) if norm_text(c) == norm_text(text)]
    if len(loose) == 1:
        return loose[0]
    by_value = [i for i, c in enumerate(question.choices) if _same_number(c, text)]
    return by_value[0] if len(by_value) == 1 else None


def _same_number(option: str, text: str) -> bool:
    """Both are decimal numbers, and equal (``0.50`` and ``0.5``; ``−0.5`` and ``-0.5``)."""
    number = re.compile(r"[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?")
    a, b = (x.strip().replace("−", "-") for x in (option, text))
    return bool(number.fullmatch(a) and number.fullmatch(b)) and float(a) == float(b)


def _grade_choice(q: Question, text: str):
    i = choice_index(q, text)
    if i is None:
        return chk.make_verdict(
            "invalid", f"give a choice number 1-{len(q.choices)}", q.answer, text
        )
    picked = q.choices[i]
    ok = picked == q.answer
    return chk.make_verdict(
        "correct" if ok else "incorrect",
        "correct" if ok else f"the answer is {q.choices.index(q.answer) + 1}: {q.answer}",
        q.answer,
        picked,
    )


def _grade_boolean(q: Question, text: str):
    t = text.strip().lower().rstrip(".!")
    if t in TRUE_WORDS:
        got = True
    elif t in FALSE_WORDS:
        got = False
    else:
        return chk.make_verdict("invalid", "answer true or false", q.answer, text)
    ok = got == bool(q.expected)
    return chk.make_verdict(
        "correct" if ok else "incorrect",
        "correct" if ok else f"the statement is {q.answer}",
        q.answer,
        text,
    )


def _grade_text(q: Question, text: str):
    got = norm_text(text)
    if not got:
        return chk.make_verdict("invalid", "type a word or phrase", q.answer, text)
    accepted = [norm_text(a) for a in (q.expected or [q.answer]) if str(a).strip()]
    ok = got in accepted or any(
        len(a) >= 5 and difflib.SequenceMatcher(None, got, a).ratio() >= 0.85 for a in accepted
    )
    return chk.make_verdict(
        "correct" if ok else "incorrect",
        "correct" if ok else f"expected: {q.answer}",
        q.answer,
        text,
    )


class _Unreadable(ValueError):
    """A pairing that cannot be read; the message says why, in one line."""


_PAIR = re.compile(r"(\d+)\s*[-:=>.)]*\s*([a-z])(?![a-z])", re.I)


def parse_pairing(q: Question, text: str) -> dict[str, str]:
    """A user's pairing as {left number: right letter}: ``1b 2a 3c``, ``1b2a3c``, ``1-b, 2-a``,
    ``b a c`` (letters in the order of the left items) or the JSON object of the answer.

    Raises _Unreadable naming what is wrong: text that is no pairing, an item or option that does
    not exist, an item paired twice, items left out ("missing pairs for 3, 4")."""
    exp = q.expected
    lefts, rights = exp["lefts"], exp["rights"]
    letters = LETTERS[: len(rights)]
    t = text.strip()
    if t.startswith("{"):
        got = _json_pairing(q, t)
    elif _PAIR.search(t):
        rest = _PAIR.sub(" ", t)
        if re.search(r"\w", rest):
            raise _Unreadable(f"cannot read {rest.strip()!r}: give pairs like 1b 2a 3d 4c")
        got = {}
        for n, letter in _PAIR.findall(t):
            if got.setdefault(str(int(n)), letter.lower()) != letter.lower():
                raise _Unreadable(f"item {int(n)} is paired twice")
    elif re.fullmatch(r"[a-z]((\s*[,;]\s*|\s+)[a-z])*", t, re.I):  # "b a c", "b, a, c"
        got = {str(i + 1): c.lower() for i, c in enumerate(re.findall(r"[a-z]", t, re.I))}
    else:
        raise _Unreadable("give pairs like 1b 2a 3d 4c")
    extra = sorted((n for n in got if not 1 <= int(n) <= len(lefts)), key=int)
    if extra:
        raise _Unreadable(f"there is no item {extra[0]} (items 1-{len(lefts)})")
    stray = sorted({c for c in got.values() if c not in letters})
    if stray:
        raise _Unreadable(f"there is no option {stray[0]} (options a-{letters[-1]})")
    missing = [str(i) for i in range(1, len(lefts) + 1) if str(i) not in got]
    if missing:
        raise _Unreadable(f"missing pairs for {', '.join(missing)}: give a letter for every item")
    return got


def _json_pairing(q: Question, text: str) -> dict[str, str]:
    """The answer's JSON object ({left: right}) as {left number: right letter}."""
    try:
        obj = json.loads(text)
    except ValueError:
        raise _Unreadable("not a JSON object of pairs") from None
    if not isinstance(obj, dict):
        raise _Unreadable("not a JSON object of pairs")
    lefts, rights = q.expected["lefts"], q.expected["rights"]
    out = {}
    for left, right in obj.items():
        if left not in lefts or right not in rights:
            raise _Unreadable(f"no such pair in this question: {left!r} → {right!r}")
        out[str(lefts.index(left) + 1)] = LETTERS[rights.index(right)]
    return out


def _grade_matching(q: Question, text: str):
    try:
        got = parse_pairing(q, text)
    except _Unreadable as exc:
        return chk.make_verdict("invalid", str(exc), q.answer, text)
    key = q.expected["key"]
    wrong = [n for n in key if got[n] != key[n]]
    if not wrong:
        return chk.make_verdict("correct", "correct", q.answer, text)
    answer = " ".join(f"{n}{key[n]}" for n in key)
    return chk.make_verdict(
        "incorrect",
        f"{len(key) - len(wrong)} of {len(key)} pairs right; wrong: "
        + ", ".join(f"{n}{got[n]}" for n in wrong)
        + f"; the answer is {answer}",
        q.answer,
        text,
    )


_GRADERS = {
    ExpectedKind.CHOICE: _grade_choice,
    ExpectedKind.BOOLEAN: _grade_boolean,
    ExpectedKind.NUMERIC: _grade_numeric,
    ExpectedKind.EXPRESSION: _grade_expression,
    ExpectedKind.TEXT: _grade_text,
    ExpectedKind.MATCHING: _grade_matching,
}
