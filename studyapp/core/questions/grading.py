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
from studyapp.core.questions.builders.common import BLANK, norm_text, symbols_in
from studyapp.core.questions.model import ExpectedKind, Question

TRUE_WORDS = {"true", "t", "yes", "y", "1", "vrai", "wahr"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}


def grade(question: Question, user_text: str):
    """Grade ``user_text`` against ``question``; returns a Verdict (never raises on user text)."""
    text = (user_text or "").strip()
    if not text:
        return chk.make_verdict("invalid", "empty answer", question.answer, "")
    return _GRADERS[question.expected_kind](question, text)


def _grade_numeric(question: Question, text: str):
    expected = float(question.expected)
    return chk.check_value(expected, text, rel_tol=0.005, abs_tol=chk.numeric_abs_tol(expected))


def _grade_expression(question: Question, text: str):
    if _same_text(text, question.answer):
        # the stored answer itself: no need to ask the checker (or wait on its sympy worker)
        return chk.make_verdict("correct", "Correct.", question.answer, text)
    names = symbols_in(question.expected) or None
    if question.cloze_template:
        # substitute the blank and compare whole formulas: any equivalent filling counts
        filled = question.cloze_template.replace(BLANK, text)
        verdict = chk.check_expression(question.expected, filled, names)
        return chk.make_verdict(
            verdict.verdict,
            verdict.message,
            question.answer,
            text,
            getattr(verdict, "diagnosis", None),
        )
    return chk.check_expression(question.expected, text, names)


def _same_text(a: str, b: str) -> bool:
    """Equal up to spaces, ``**`` for ``^`` and one pair of outer brackets."""

    def canon(t: str) -> str:
        t = re.sub(r"\s+", "", t).replace("**", "^")
        return t[1:-1] if t.startswith("(") and t.endswith(")") and t.count("(") == 1 else t

    return canon(a) == canon(b)


def choice_index(question: Question, text: str) -> int | None:
    """The 0-based choice a user picked: ``2``, ``b``, ``(b)`` or the option's own text."""
    t = text.strip().strip("().").lower()
    if t.isdigit() and 1 <= int(t) <= len(question.choices):
        return int(t) - 1
    if len(t) == 1 and "a" <= t <= "z" and ord(t) - ord("a") < len(question.choices):
        return ord(t) - ord("a")
    for i, c in enumerate(question.choices):  # the exact text first: "-0.5" is not "0.5"
        if c.strip() == text.strip():
            return i
    loose = [i for i, c in enumerate(question.choices) if norm_text(c) == norm_text(text)]
    return loose[0] if len(loose) == 1 else None


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


def parse_pairing(q: Question, text: str) -> dict[str, str] | None:
    """A user's pairing as {left number: right letter}: ``1b 2a 3c``, ``1-b, 2-a``, ``b a c``
    (letters in the order of the left items) or the JSON object of the answer."""
    exp = q.expected
    t = text.strip()
    if t.startswith("{"):
        try:
            obj = json.loads(t)
        except ValueError:
            return None
        rights = exp["rights"]
        out = {}
        for i, left in enumerate(exp["lefts"]):
            if left not in obj or obj[left] not in rights:
                return None
            out[str(i + 1)] = "abcdef"[rights.index(obj[left])]
        return out
    pairs = re.findall(r"(\d+)\s*[-:=>)]*\s*([a-fA-F])\b", t)
    if pairs:
        return {n: letter.lower() for n, letter in pairs}
    letters = re.findall(r"\b([a-fA-F])\b", t)
    if len(letters) == len(exp["lefts"]):
        return {str(i + 1): letter.lower() for i, letter in enumerate(letters)}
    return None


def _grade_matching(q: Question, text: str):
    got = parse_pairing(q, text)
    if got is None:
        return chk.make_verdict("invalid", "give pairs like 1b 2a 3d 4c", q.answer, text)
    key = q.expected["key"]
    wrong = [n for n in key if got.get(n) != key[n]]
    ok = not wrong
    return chk.make_verdict(
        "correct" if ok else "incorrect",
        "correct"
        if ok
        else f"{len(key) - len(wrong)} of {len(key)} pairs right; answer: "
        + " ".join(f"{n}{key[n]}" for n in key),
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
