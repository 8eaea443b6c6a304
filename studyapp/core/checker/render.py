"""Render checker trees as readable unicode (for previews) or canonical ASCII text.

``to_unicode(parse("s(z)*(1-s(z))"))``-style output: ``σ(z)·(1 − σ(z))``, ``z²``, ``½(a − y)²``,
``√(v̂ + ε)``, ``β₁``. The ASCII form (``to_text``) is what the checker reports as the normalized
expected/answer; it parses back to the same tree shape.
"""

from __future__ import annotations

from fractions import Fraction

from studyapp.core.checker.names import FUNCTIONS, GREEK_DISPLAY, SUBSCRIPT_OF, SUPERSCRIPT_OF
from studyapp.core.checker.nodes import BinOp, Call, Const, Mat, Neg, Node, Num, Pow, Sym, Vec

ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5

_VULGAR = {
    (1, 2): "½",
    (1, 3): "⅓",
    (2, 3): "⅔",
    (1, 4): "¼",
    (3, 4): "¾",
    (1, 5): "⅕",
    (1, 6): "⅙",
    (1, 8): "⅛",
}
_DISPLAY = {spec.name: spec.display for spec in FUNCTIONS.values()}
_TRIG_STYLE = {"tanh", "sinh", "cosh", "sech", "sin", "cos", "tan"}


def _prec(node: Node) -> int:
    if isinstance(node, BinOp):
        return ADD if node.op in "+-" else MUL
    if isinstance(node, Neg):
        return NEG
    if isinstance(node, Pow):
        return POW
    if isinstance(node, Num) and node.text.startswith("-"):
        return NEG
    return ATOM


def _is_small_fraction(node: Node) -> tuple[int, int] | None:
    if (
        isinstance(node, BinOp)
        and node.op == "/"
        and isinstance(node.left, Num)
        and isinstance(node.right, Num)
        and node.left.text.isdigit()
        and node.right.text.isdigit()
    ):
        key = (int(node.left.text), int(node.right.text))
        if key in _VULGAR:
            return key
    return None


def _unicode_name(name: str) -> str:
    base, sep, sub = name.partition("_")
    shown = GREEK_DISPLAY.get(base, base)
    if not sep:
        return shown
    if sub == "hat":
        return "ŷ" if shown == "y" else shown + "\u0302"
    if sub.endswith("_hat"):
        return _unicode_name(f"{base}_{sub[:-4]}") + "\u0302"
    if all(ch in SUBSCRIPT_OF for ch in sub):
        return shown + "".join(SUBSCRIPT_OF[ch] for ch in sub)
    return f"{shown}_{sub}"


def _unicode_number(text: str) -> str:
    if "e" in text:
        mant, _, exp = text.partition("e")
        return f"{mant}×10{''.join(SUPERSCRIPT_OF[c] for c in exp)}"
    return text


class _Renderer:
    def __init__(self, pretty: bool):
        self.pretty = pretty

    def wrap(self, node: Node, paren: bool) -> str:
        s = self.render(node)
        return f"({s})" if paren else s

    def render(self, node: Node) -> str:
        pretty = self.pretty
        if isinstance(node, Num):
            return _unicode_number(node.text) if pretty else node.text
        if isinstance(node, Sym):
            return _unicode_name(node.name) if pretty else node.name
        if isinstance(node, Const):
            return ("π" if pretty else "pi") if node.name == "pi" else "e"
        if isinstance(node, Neg):
            inner = self.wrap(node.arg, _prec(node.arg) < NEG)
            return ("−" if pretty else "-") + inner
        if isinstance(node, BinOp):
            return self.binop(node)
        if isinstance(node, Pow):
            return self.power(node)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Vec):
            items = ", ".join(self.render(x) for x in node.items)
            return f"({items})" if pretty else f"[{items}]"
        if isinstance(node, Mat):
            return (
                "["
                + ", ".join("[" + ", ".join(self.render(x) for x in row) + "]" for row in node.rows)
                + "]"
            )
        raise TypeError(f"not a checker node: {node!r}")

    def binop(self, node: BinOp) -> str:
        pretty = self.pretty
        op = node.op
        if op in "+-":
            left = self.render(node.left)
            right = self.wrap(
                node.right, _prec(node.right) <= ADD or (pretty and isinstance(node.right, Neg))
            )
            sym = ("−" if pretty else "-") if op == "-" else "+"
            return f"{left} {sym} {right}"
        if op == "/":
            if pretty:
                frac = _is_small_fraction(node)
                if frac:
                    return _VULGAR[frac]
            left = self.wrap(node.left, _prec(node.left) < MUL)
            right = self.wrap(
                node.right, _prec(node.right) <= MUL or (pretty and _prec(node.right) == NEG)
            )
            return f"{left}/{right}"
        # multiplication
        left = self.wrap(node.left, _prec(node.left) < MUL)
        right_paren = _prec(node.right) <= MUL or (pretty and _prec(node.right) == NEG)
        right = self.wrap(node.right, right_paren)
        if not pretty:
            return f"{left}*{right}"
        # Juxtapose where it reads unambiguously: a(1 − a), 2z, 2σ(z), (a − y)σ(z);
        # between two names keep the dot (β₁·w₁, not β₁w₁).
        starts_safely = not right[:1].isdigit() and right[:1] not in ".−"
        if node.implicit and (
            right_paren or right.startswith("(") or (isinstance(node.right, Call) and starts_safely)
        ):
            return f"{left}{right}"
        if isinstance(node.left, Num) and starts_safely and _prec(node.right) >= POW:
            return f"{left}{right}"
        return f"{left}·{right}"

    def power(self, node: Pow) -> str:
        base_paren = _prec(node.base) <= POW or (
            isinstance(node.base, Num) and "e" in node.base.text
        )
        if self.pretty and isinstance(node.base, Call) and node.base.func == "sqrt":
            base_paren = True
        exp = node.exp
        if (
            self.pretty
            and isinstance(node.base, Call)
            and node.base.func in _TRIG_STYLE
            and isinstance(exp, Num)
            and exp.text.isdigit()
        ):
            # tanh²(z), as in the notes, rather than tanh(z)²
            sup = "".join(SUPERSCRIPT_OF[c] for c in exp.text)
            return f"{node.base.func}{sup}({', '.join(self.render(a) for a in node.base.args)})"
        base = self.wrap(node.base, base_paren)
        if self.pretty:
            if isinstance(exp, Num) and exp.text.isdigit():
                return base + "".join(SUPERSCRIPT_OF[c] for c in exp.text)
            if isinstance(exp, Neg) and isinstance(exp.arg, Num) and exp.arg.text.isdigit():
                return base + "⁻" + "".join(SUPERSCRIPT_OF[c] for c in exp.arg.text)
        exp_s = self.wrap(exp, _prec(exp) < (ATOM if self.pretty else NEG))
        return f"{base}^{exp_s}"

    def call(self, node: Call) -> str:
        args = node.args
        if self.pretty:
            if node.func == "abs":
                return f"|{self.render(args[0])}|"
            if node.func == "sqrt":
                arg = args[0]
                return "√" + self.wrap(
                    arg, _prec(arg) < ATOM or isinstance(arg, Num) and "e" in arg.text
                )
            if node.func == "log" and len(args) == 2:
                return f"log_{self.wrap(args[1], _prec(args[1]) < ATOM)}({self.render(args[0])})"
            name = _DISPLAY.get(node.func, node.func)
        else:
            name = node.func
        return f"{name}({', '.join(self.render(a) for a in args)})"


_PRETTY = _Renderer(True)
_TEXT = _Renderer(False)


def render_unicode(node: Node) -> str:
    """Readable unicode: ``σ(z)·(1 − σ(z))``, ``z²``, ``½``, ``√v̂``."""
    return _PRETTY.render(node)


def render_text(node: Node) -> str:
    """Canonical ASCII (``sigma(z)*(1 - sigma(z))``) that parses back to the same tree."""
    return _TEXT.render(node)


def format_number(value: float | Fraction, digits: int = 6) -> str:
    """A short decimal for messages: ``0.731059``, ``-2``, ``1.2e-05``."""
    x = float(value)
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{digits}g}"
