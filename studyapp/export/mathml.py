"""A tiny MathML (Core) builder for worksheets: numbers, vectors, matrices and formulas.

Why not sympy's MathML printer for everything: sympy reorders terms into its canonical order
(``θ − lr·g`` may come out as ``−g·lr + θ``), which is not how the notes write an update rule.
Building the markup directly keeps the notes' notation and needs no heavy import. Every function
returns a string of MathML *content for inside* ``<math>``; :func:`math` wraps it.

Browsers with MathML Core (Chromium ≥ 109, Firefox, Safari) render this without any script, so the
HTML worksheet stays self-contained and prints as it shows.
"""

from __future__ import annotations

import html
import math as _math
from collections.abc import Iterable, Sequence

MINUS = "\u2212"
_OPERATORS = set("+-−=←·×/()[]{},;:|<>≤≥≈⊙∑√") | {"−", "←", "⊙", "·"}


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def mi(name: str, normal: bool = False) -> str:
    """An identifier; ``normal`` forces upright letters (function names such as ``tanh``)."""
    attr = ' mathvariant="normal"' if normal and len(name) == 1 else ""
    return f"<mi{attr}>{_esc(name)}</mi>"


def mn(value: str | float) -> str:
    return f"<mn>{_esc(value)}</mn>"


def mo(op: str, **attrs) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f"<mo{extra}>{_esc(op)}</mo>"


def mtext(text: str) -> str:
    return f"<mtext>{_esc(text)}</mtext>"


def space(em: float = 0.5) -> str:
    return f'<mspace width="{em}em"/>'


def x(item) -> str:
    """Coerce a shorthand to MathML: markup passes through, numbers become ``<mn>``,
    operator characters ``<mo>``, anything else ``<mi>``."""
    if isinstance(item, (int, float)):
        return mn(fmt_given(item))
    text = str(item)
    if text.startswith("<"):
        return text
    if text in _OPERATORS:
        return mo(text.replace("-", MINUS))
    try:
        float(text)
    except ValueError:
        return mi(text)
    return mn(text)


def row(*items) -> str:
    return "<mrow>" + "".join(x(i) for i in items) + "</mrow>"


def sub(base, index) -> str:
    return f"<msub>{x(base)}{x(index)}</msub>"


def sup(base, exponent) -> str:
    return f"<msup>{x(base)}{x(exponent)}</msup>"


def subsup(base, index, exponent) -> str:
    return f"<msubsup>{x(base)}{x(index)}{x(exponent)}</msubsup>"


def frac(numerator, denominator) -> str:
    return f"<mfrac>{x(numerator)}{x(denominator)}</mfrac>"


def sqrt(*items) -> str:
    return "<msqrt>" + "".join(x(i) for i in items) + "</msqrt>"


def hat(base) -> str:
    return f'<mover accent="true">{x(base)}<mo>^</mo></mover>'


def paren(*items, open: str = "(", close: str = ")") -> str:
    return row(mo(open), *items, mo(close))


def fn(name: str, *args) -> str:
    """A function application: ``name(args)`` with an upright name."""
    return row(mi(name, normal=True), mo("\u2061"), paren(*args))


def under(base, below) -> str:
    return f"<munder>{x(base)}{x(below)}</munder>"


def math(*items, display: str = "inline") -> str:
    """A complete ``<math>`` element (``display="block"`` for a centred line of its own)."""
    return f'<math display="{display}">' + "".join(x(i) for i in items) + "</math>"


# --------------------------------------------------------------------------- numbers


def fmt_given(v: float) -> str:
    """A given (already rounded) value exactly as drawn: 0.5, −0.25, 3."""
    if float(v).is_integer() and abs(v) < 1e15:
        text = str(int(v))
    else:
        text = f"{v:g}"
    return text.replace("-", MINUS)


def given(v: float) -> str:
    return mn(fmt_given(v))


def num(v: float, digits: int = 4) -> str:
    """A computed value to ``digits`` significant digits; tiny/huge values as m × 10^k."""
    if v == 0 or not _math.isfinite(v):
        return mn("0" if v == 0 else str(v))
    text = f"{v:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return row(
            mn(mantissa.replace("-", MINUS)),
            mo("×"),
            sup(mn("10"), mn(str(int(exponent)).replace("-", MINUS))),
        )
    return mn(text.replace("-", MINUS))


def num_text(v: float, digits: int = 4) -> str:
    """Plain-text twin of :func:`num` (for Markdown and alt text)."""
    if v == 0:
        return "0"
    text = f"{v:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}×10^{int(exponent)}".replace("-", MINUS)
    return text.replace("-", MINUS)


# --------------------------------------------------------------------------- arrays


def matrix(
    rows: Sequence[Sequence[float]], cell=num, brackets: tuple[str, str] = ("[", "]")
) -> str:
    """A matrix in stretchy brackets; ``cell`` formats each number (:func:`num` or :func:`given`)."""
    body = "".join("<mtr>" + "".join(f"<mtd>{cell(v)}</mtd>" for v in r) + "</mtr>" for r in rows)
    return row(
        mo(brackets[0], stretchy="true"),
        f"<mtable>{body}</mtable>",
        mo(brackets[1], stretchy="true"),
    )


def column(values: Iterable[float], cell=num) -> str:
    """A column vector in parentheses (the notes' z, a, δ, b are columns)."""
    return matrix([[v] for v in values], cell, ("(", ")"))


def tuple_(values: Iterable[float], cell=num) -> str:
    """An inline tuple ``(v1, v2, …)`` for element-wise optimizer quantities."""
    parts: list[str] = []
    for i, v in enumerate(values):
        if i:
            parts.append(mo(","))
        parts.append(cell(v))
    return paren(*parts)
