"""Formula helpers for distractors: plausible wrong versions of a formula, checked to be wrong.

Formulas are stored in the checker's input syntax (``sigma(z)*(1 - sigma(z))``). Mutations are
made on the text (a student's slips: a flipped sign, a dropped factor, the wrong function, a
missing square, ``exp(-z)`` written ``exp(z)``), then every candidate is kept only if the
checker can parse it and says it is NOT equivalent to the original.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from studyapp.core.checker.nodes import BinOp, Sym, children, free_symbols
from studyapp.core.questions import _checking as chk

BLANK = "____"  # how a blank is written in prompts and cloze templates


def split_top(text: str, ops: str) -> list[tuple[str, str]]:
    """Split ``text`` at the top-level (bracket depth 0) operators in ``ops``.

    Returns ``[(op_before, part), ...]``; the first op is "". Unary signs at the start or after
    another operator are not split points.
    """
    parts: list[tuple[str, str]] = []
    depth, start, op = 0, 0, ""
    prev = ""
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and ch in ops and i > 0:
            if ch in "+-" and (prev in "*/^(,+-" or prev == ""):
                pass  # a unary sign
            elif ch == "*" and (text[i - 1] == "*" or text[i + 1 : i + 2] == "*"):
                pass  # part of **
            else:
                parts.append((op, text[start:i].strip()))
                op, start = ch, i + 1
        if not ch.isspace():
            prev = ch
    parts.append((op, text[start:].strip()))
    return [(o, p) for o, p in parts if p]


def join_parts(parts: Sequence[tuple[str, str]]) -> str:
    out = ""
    for op, part in parts:
        out = (
            part
            if not out and not op
            else (f"{out} {op} {part}" if op in "+-" else f"{out}{op}{part}")
        )
    return out


def strip_outer(text: str) -> str:
    """Remove one pair of brackets wrapping the whole text."""
    t = text.strip()
    if t.startswith("(") and t.endswith(")"):
        depth = 0
        for i, ch in enumerate(t):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(t) - 1:
                return t
        return t[1:-1].strip()
    return t


_SWAPS = (
    (r"1 - ", "1 + "),
    (r"exp\(-", "exp("),
    (r"\(a - y\)", "(y - a)"),
    (r"\(y - a\)", "(a - y)"),
    (r"\^2", ""),
    (r"\*\*2", ""),
    (r"\bsigma\(", "tanh("),
    (r"\btanh\(", "sigma("),
    (r"\bsqrt\(", "("),
    (r"\bln\(", "exp("),
    (r"\blog\(", "exp("),
    (r" \+ eps", ""),
    (r"1 - beta", "beta"),
    (r"\bbeta1\b", "beta2"),
    (r"- eta", "+ eta"),
    (r"\+ eta", "- eta"),
    (r"- lr", "+ lr"),
    (r"/n\b", ""),
    (r"\bmax\(0, ", "min(0, "),
)


def mutations(formula: str) -> list[str]:
    """Wrong-but-plausible versions of ``formula``, each verified not equivalent to it."""
    cands: list[str] = []
    for pattern, repl in _SWAPS:
        if re.search(pattern, formula):
            cands.append(re.sub(pattern, repl, formula, count=1))
    body = strip_outer(formula)
    terms = split_top(body, "+-")
    factors = split_top(body, "*/") if len(terms) == 1 else []
    if len(factors) > 1:
        for i in range(len(factors)):
            rest = [(o, p) for j, (o, p) in enumerate(factors) if j != i]
            if rest and rest[0][0] == "/":
                rest[0] = ("", "1/" + rest[0][1])
            elif rest and rest[0][0] == "*":
                rest[0] = ("", rest[0][1])
            cands.append(join_parts(rest))
    if len(terms) > 1:
        flipped = [(("-" if o == "+" else "+") if o else o, p) for o, p in terms]
        cands.append(join_parts(flipped))
    cands += [f"-({formula})", f"2*({formula})", f"({formula})/2"]
    out: list[str] = []
    seen = {formula.replace(" ", "")}
    for c in cands:
        key = c.replace(" ", "")
        if key in seen or not c.strip():
            continue
        seen.add(key)
        if chk.parses(c) and not chk.equivalent(formula, c):
            out.append(c)
    return out


def distinct_formulas(answer: str, candidates: list[str], need: int) -> list[str]:
    """Up to ``need`` candidates, none equivalent to ``answer`` nor to one another, and with
    distinct displays (so a choice list never shows the same thing twice)."""
    chosen: list[str] = []
    shown = {display(answer)}
    for c in candidates:
        if len(chosen) >= need:
            break
        if len(c.strip()) < 3 <= len(answer.strip()):
            continue  # a bare symbol ("g") next to a full update rule fools nobody
        d = display(c)
        if d in shown or not chk.parses(c) or chk.equivalent(answer, c):
            continue
        if any(chk.equivalent(c, o) for o in chosen):
            continue
        chosen.append(c)
        shown.add(d)
    return chosen


def display(formula: str) -> str:
    """How a formula is shown in prompts and choices (unicode)."""
    return chk.to_unicode(formula).strip()


# --------------------------------------------------------------------------- formula clozes

#: the blank as a symbol of the formula tree, so that the tree renders around it with the
#: precedence it has (``____/(exp(z) + exp(−z))``, never ``____/exp(z) + exp(−z)``)
_HOLE = "BLANKHOLE"


@dataclass(frozen=True)
class Cloze:
    """A formula with one sub-formula blanked: ``shown`` (unicode, ``____`` for the blank),
    ``template`` (checker syntax, ``____`` for the blank: put the answer there in brackets) and
    ``answer`` (the blanked sub-formula, checker syntax)."""

    shown: str
    template: str
    answer: str


def cloze_options(formula: str) -> list[Cloze]:
    """Every way to blank one operand of ``formula``'s outermost sum (a − b + c), else of its
    outermost product (a·b/c); operands without a variable (1, ½) are never blanked."""
    from studyapp.core.checker import CONTENT_LIMITS, parse

    tree = parse(formula, limits=CONTENT_LIMITS)
    for ops in ("+-", "*/"):
        paths = _operands(tree, ops, ())
        if len(paths) >= 2:
            return [_blanked(tree, p) for p in paths if free_symbols(_at(tree, p))]
    return []


def _operands(node, ops: str, path: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Paths of the operands of the left-associated chain of ``ops`` at ``node``."""
    if isinstance(node, BinOp) and node.op in ops:
        return _operands(node.left, ops, (*path, 0)) + [(*path, 1)]
    return [path]


def _at(node, path: tuple[int, ...]):
    for i in path:
        node = children(node)[i]
    return node


def _replace(node, path: tuple[int, ...], new):
    """``node`` with the sub-tree at ``path`` (binary operators only) replaced by ``new``."""
    if not path:
        return new
    if path[0] == 0:
        return replace(node, left=_replace(node.left, path[1:], new))
    return replace(node, right=_replace(node.right, path[1:], new))


def _blanked(tree, path: tuple[int, ...]) -> Cloze:
    from studyapp.core.checker import render_text, render_unicode

    holed = _replace(tree, path, Sym(_HOLE))
    shown = render_unicode(holed)
    # an atom next to a number or name is juxtaposed (2z); a blank reads better with its dot
    shown = re.sub(rf"(?<=[\w)]){_HOLE}", f"·{_HOLE}", shown)
    shown = re.sub(rf"{_HOLE}(?=[\w(])", f"{_HOLE}·", shown)
    return Cloze(
        shown.replace(_HOLE, BLANK),
        render_text(holed).replace(_HOLE, BLANK),
        render_text(_at(tree, path)),
    )
