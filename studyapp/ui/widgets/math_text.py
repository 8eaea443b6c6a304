"""Turning stored text into something readable in a terminal (never raw LaTeX).

These are thin, forgiving wrappers over :mod:`studyapp.core.mathtext` and the checker's
``to_unicode``: a screen must still show *something* if a formula cannot be converted.
Neither wrapper imports sympy.
"""

from __future__ import annotations

import re

# Text that looks like LaTeX: a backslash command, ^{...}, _{...} or $...$.
_LATEX_HINT = re.compile(r"\\[A-Za-z]+|[\^_]\{|\$")


_SUPER = dict(zip("0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδθιφχ",
                 "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᶿᶥᵠᵡ", strict=True))
_SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ",
               "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
# base^(group) / base^token, and a one-symbol base _(group) / _token (not snake_case words).
_SUP_RE = re.compile(r"\^(\([^()\s]{1,12}\)|[A-Za-z0-9αβγδθ]{1,2}(?![A-Za-z0-9]))")
_SUB_RE = re.compile(r"(?<![A-Za-z0-9_])([A-Za-zα-ωΑ-Ω][\u1d2c-\u1d6a\u1d9c-\u1dbf\u2070-\u209c²³¹]*)_"
                     r"(\([^()\s]{1,12}\)|[A-Za-z0-9]{1,2}(?![A-Za-z0-9]))")


def _script(token: str, table: dict[str, str]) -> str | None:
    """``token`` in super/subscript characters, or None if one of them has no such form."""
    out = [table.get(ch) for ch in token]
    return None if None in out else "".join(out)


def plain_scripts(text: str) -> str:
    """ASCII scripts in plain text as unicode: ``δ^L`` → ``δᴸ``, ``e^(−z)`` → ``e⁻ᶻ``,
    ``v_(t−1)`` → ``vₜ₋₁``, ``w_ij`` → ``wᵢⱼ``. The parentheses only group, and a raised or
    lowered run shows the group by itself. A script with a character that has no unicode form
    stays as typed, and snake_case words (``leaky_relu``) are left alone."""

    def ungroup(token: str) -> str:
        return token[1:-1] if token.startswith("(") and token.endswith(")") else token

    def sup(m: re.Match) -> str:
        return _script(ungroup(m.group(1)), _SUPER) or m.group(0)

    def sub(m: re.Match) -> str:
        scripted = _script(ungroup(m.group(2)), _SUB)
        return m.group(1) + scripted if scripted else m.group(0)

    return _SUB_RE.sub(sub, _SUP_RE.sub(sup, text))


def readable(text: object) -> str:
    """``text`` with any LaTeX in it rendered as unicode (σ, ∂, ², fractions …), and plain
    ASCII scripts (``δ^L``, ``θ_t``) as unicode super/subscripts.

    ``None`` becomes ``""``.
    """
    if text is None:
        return ""
    text = str(text)
    if not _LATEX_HINT.search(text):
        return plain_scripts(text)
    try:
        from studyapp.core.mathtext import latex_to_unicode

        return latex_to_unicode(text.replace("$", ""))
    except Exception:
        # Last resort: drop the markup characters rather than show raw LaTeX.
        return re.sub(r"\\([A-Za-z]+)", r"\1", text).replace("{", "").replace("}", "").replace("$", "")


def formula(text: object) -> str:
    """A formula in checker syntax (``1/(1+exp(-z))``) as unicode (``1/(1 + eˣ…)``)."""
    if text is None:
        return ""
    text = str(text)
    try:
        from studyapp.core.checker import to_unicode

        return to_unicode(text)
    except Exception:
        return readable(text)


def escape_markup(text: str) -> str:
    """Escape Textual markup so ``[0, ∞)`` or ``[[1, 2]]`` in a formula is shown literally.

    Every ``[`` is escaped: Textual's parser (unlike Rich's) takes any ``[`` as the start of a
    tag, so an interval like ``[0, ∞)`` before a real ``[dim]`` tag would break the markup.
    """
    return str(text).replace("[", "\\[")
