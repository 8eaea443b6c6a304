"""Turning stored text into something readable in a terminal (never raw LaTeX).

These are thin, forgiving wrappers over :mod:`studyapp.core.mathtext` and the checker's
``to_unicode``: a screen must still show *something* if a formula cannot be converted.
Neither wrapper imports sympy.
"""

from __future__ import annotations

import re


def readable(text: object) -> str:
    """``text`` with the LaTeX in it rendered as unicode (σ, ∂, ², fractions …) span by span, so
    prose keeps its spaces, and plain ASCII scripts (``δ^L``, ``θ_t``) as unicode scripts
    (:func:`studyapp.core.mathtext.prose_to_unicode`). ``None`` becomes ``""``."""
    if text is None:
        return ""
    # Imported here: the dashboard (the first screen) needs escape_markup only, and this
    # module's 10 ms import would delay its first frame.
    from studyapp.core.mathtext import prose_to_unicode

    try:
        return prose_to_unicode(str(text))
    except Exception:
        # Last resort: drop the markup characters rather than show raw LaTeX.
        return (
            re.sub(r"\\([A-Za-z]+)", r"\1", str(text))
            .replace("{", "")
            .replace("}", "")
            .replace("$", "")
        )


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
