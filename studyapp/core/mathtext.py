"""Render the LaTeX of the content as readable Unicode for the terminal (no sympy).

``latex_to_unicode(r"\\sigma(z) = \\frac{1}{1 + e^{-z}}")`` gives ``"σ(z) = 1/(1 + e⁻ᶻ)"``.

It understands the subset of LaTeX the content uses: ``\\frac``/``\\dfrac`` (written inline as
``a/b``, with parentheses only where needed), superscripts and subscripts (Unicode ⁰¹²/₀₁₂ when every
character has a form, else ``^(…)``/``_(…)``), Greek letters, ``\\partial``, ``\\nabla``, ``\\sqrt``,
``\\hat``, ``\\sum``, ``\\text``/``\\mathrm``, ``\\left``/``\\right``, and the ``cases``/``pmatrix``/
``align`` environments. Unknown commands degrade to their name, so the result is always readable.
"""

from __future__ import annotations

import re

__all__ = [
    "latex_to_unicode",
    "latex_to_plain",
    "prose_to_unicode",
    "render",
    "to_superscript",
    "to_subscript",
    "unicode_to_plain",
]

_SUP = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθιφχ⊤′*",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᶥᵠᵡᵀ′*",
        strict=True,
    )
)
_SUB = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)

_SYMBOLS = {
    # Greek
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
    # calculus and sets
    "partial": "∂",
    "nabla": "∇",
    "infty": "∞",
    "sum": "Σ",
    "prod": "Π",
    "int": "∫",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "cup": "∪",
    "cap": "∩",
    "emptyset": "∅",
    # products and relations
    "cdot": "·",
    "times": "×",
    "circ": "∘",
    "odot": "⊙",
    "otimes": "⊗",
    "pm": "±",
    "mp": "∓",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "equiv": "≡",
    "propto": "∝",
    "gt": ">",
    "lt": "<",
    "leftarrow": "←",
    "gets": "←",
    "rightarrow": "→",
    "to": "→",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "leftrightarrow": "↔",
    "mapsto": "↦",
    # misc
    "top": "⊤",
    "prime": "′",
    "ldots": "…",
    "cdots": "⋯",
    "dots": "…",
    "vdots": "⋮",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "wedge": "∧",
    "vee": "∨",
    "star": "⋆",
    "{": "{",
    "}": "}",
    "|": "‖",
    "lvert": "|",
    "rvert": "|",
    "lVert": "‖",
    "rVert": "‖",
    "langle": "⟨",
    "rangle": "⟩",
    "%": "%",
    "&": "&",
    "_": "_",
    "#": "#",
    "$": "$",
}
# Operators written with a space on each side at the top level.
_SPACED = set("+−=<>≤≥≠≈←→⇒∘×∈±↦∼≡∝")
_FUNCTIONS = {
    "log",
    "ln",
    "exp",
    "tanh",
    "sinh",
    "cosh",
    "sin",
    "cos",
    "tan",
    "max",
    "min",
    "arg",
    "sign",
    "sgn",
    "det",
    "lim",
    "sup",
    "inf",
    "sech",
    "softmax",
}
_SPACES = {
    ",": "",
    ";": " ",
    ":": " ",
    "!": "",
    " ": " ",
    "quad": "  ",
    "qquad": "   ",
    "enspace": " ",
    "thinspace": "",
}
_ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "bar": "\u0304",
    "overline": "\u0304",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
}
_TEXT_CMDS = {"text", "textrm", "textit", "textbf", "mbox"}
_STYLE_CMDS = {
    "mathrm",
    "mathit",
    "mathbf",
    "boldsymbol",
    "bm",
    "mathsf",
    "mathtt",
    "operatorname",
    "displaystyle",
    "textstyle",
}
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
_CALLIGRAPHIC = {"O": "𝒪", "L": "ℒ", "N": "𝒩", "D": "𝒟", "C": "𝒞"}

_FRAC = "\x00"  # marks a rendered fraction until its neighbours are known

_TOKEN_RE = re.compile(r"\\([A-Za-z]+|.)|(\s+)|(.)", re.S)


def to_superscript(text: str) -> str | None:
    """``text`` in Unicode superscripts, or None if some character has no superscript form."""
    if text and all(c in _SUP for c in text):
        return "".join(_SUP[c] for c in text)
    return None


def to_subscript(text: str) -> str | None:
    """``text`` in Unicode subscripts, or None if some character has no subscript form."""
    if text and all(c in _SUB for c in text):
        return "".join(_SUB[c] for c in text)
    return None


# base^(group) / base^token, and a one-symbol base _(group) / _token (not snake_case words).
_PLAIN_SUP_RE = re.compile(r"\^(\([^()\s]{1,12}\)|[A-Za-z0-9αβγδθ]{1,2}(?![A-Za-z0-9]))")
_PLAIN_SUB_RE = re.compile(
    r"(?<![A-Za-z0-9_])([A-Za-zα-ωΑ-Ω][\u1d2c-\u1d6a\u1d9c-\u1dbf\u2070-\u209c²³¹]*)_"
    r"(\([^()\s]{1,12}\)|[A-Za-z0-9]{1,2}(?![A-Za-z0-9]))"
)


def plain_scripts(text: str) -> str:
    """ASCII scripts in plain prose as unicode: ``δ^L`` → ``δᴸ``, ``e^(−z)`` → ``e⁻ᶻ``,
    ``v_(t−1)`` → ``vₜ₋₁``, ``w_ij`` → ``wᵢⱼ``. The parentheses only group, and a raised or
    lowered run shows the group by itself. A script with a character that has no unicode form
    stays as typed, and snake_case words (``leaky_relu``) are left alone."""

    def ungroup(token: str) -> str:
        return token[1:-1] if token.startswith("(") and token.endswith(")") else token

    def sup(m: re.Match) -> str:
        return to_superscript(ungroup(m.group(1))) or m.group(0)

    def sub(m: re.Match) -> str:
        scripted = to_subscript(ungroup(m.group(2)))
        return m.group(1) + scripted if scripted else m.group(0)

    return _PLAIN_SUB_RE.sub(sub, _PLAIN_SUP_RE.sub(sup, text))


def _tokenize(latex: str) -> list[tuple[str, str]]:
    """Tokens: ("cmd", name), ("space", " "), ("char", c)."""
    tokens = []
    for m in _TOKEN_RE.finditer(latex):
        if m.group(1) is not None:
            tokens.append(("cmd", m.group(1)))
        elif m.group(2) is not None:
            tokens.append(("space", " "))
        else:
            tokens.append(("char", m.group(3)))
    return tokens


_SCRIPT_CHARS = set(_SUP.values()) | set(_SUB.values())
_VULGAR = {
    ("1", "2"): "½",
    ("1", "3"): "⅓",
    ("2", "3"): "⅔",
    ("1", "4"): "¼",
    ("3", "4"): "¾",
    ("1", "5"): "⅕",
    ("1", "8"): "⅛",
}


def _atomic(text: str) -> bool:
    """True when ``text`` can stand as a numerator/denominator/radicand without parentheses."""
    if not text:
        return True
    core = text.lstrip("√").rstrip("".join(_SCRIPT_CHARS))
    if core and core[0] in "([" and _balanced_outer(core):
        return True
    if len(core) >= 2 and core[0] == core[-1] == "|" and "|" not in core[1:-1]:
        return True
    return not any(c in text for c in " +−-/=<>≤≥,·×∘←")


def _balanced_outer(text: str) -> bool:
    """Whether the first bracket of ``text`` closes at its last character."""
    depth = 0
    for i, c in enumerate(text):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0


def _wrap(text: str) -> str:
    return text if _atomic(text) else f"({text})"


def _resolve_fractions(out: list[str]) -> str:
    """Join pieces; a fraction juxtaposed with a neighbour gets parentheses: (∂C/∂z)(∂z/∂w)."""
    pieces = [p for p in out if p]
    result = []
    for k, piece in enumerate(pieces):
        if not piece.startswith(_FRAC):
            result.append(piece)
            continue
        body = piece[len(_FRAC) :]
        before = "".join(result)[-1:]
        after = pieces[k + 1][:1] if k + 1 < len(pieces) else ""
        if after == _FRAC:
            after = "x"
        glued_before = bool(before) and (
            before.isalnum() or before in ")]|′" or before in _SCRIPT_CHARS
        )
        glued_after = bool(after) and (
            after.isalnum()
            or after in "([|√∂∇Σ"
            or after in _SCRIPT_CHARS
            or after in "αβγδεηθλμπρσφω"
        )
        result.append(f"({body})" if glued_before or glued_after else body)
    return "".join(result).replace(_FRAC, "")


class _Renderer:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.i = 0

    # -- token helpers ------------------------------------------------------------------------
    def _peek(self, skip_space: bool = True) -> tuple[str, str] | None:
        j = self.i
        while skip_space and j < len(self.tokens) and self.tokens[j][0] == "space":
            j += 1
        return self.tokens[j] if j < len(self.tokens) else None

    def _skip_space(self) -> None:
        while self.i < len(self.tokens) and self.tokens[self.i][0] == "space":
            self.i += 1

    def _raw_group(self) -> str:
        """The literal text of the next ``{...}`` group (or next token), for \\text and env names."""
        self._skip_space()
        if self.i >= len(self.tokens):
            return ""
        kind, value = self.tokens[self.i]
        if (kind, value) != ("char", "{"):
            self.i += 1
            return value
        self.i += 1
        depth, out = 1, []
        while self.i < len(self.tokens):
            kind, value = self.tokens[self.i]
            self.i += 1
            if (kind, value) == ("char", "{"):
                depth += 1
            elif (kind, value) == ("char", "}"):
                depth -= 1
                if depth == 0:
                    break
            if kind == "cmd":
                out.append(
                    _SYMBOLS.get(value, value) if len(value) > 1 or value in _SYMBOLS else value
                )
            else:
                out.append(value)
        return "".join(out)

    def argument(self, compact: bool = True) -> str:
        """Render the next argument: a ``{group}``, one command (with its arguments) or one char."""
        self._skip_space()
        if self.i >= len(self.tokens):
            return ""
        kind, value = self.tokens[self.i]
        if (kind, value) == ("char", "{"):
            self.i += 1
            return self.sequence(stop="}", compact=compact)
        if kind == "cmd":
            self.i += 1
            return self.command(value, compact)
        self.i += 1
        return "−" if value == "-" else value

    # -- rendering ----------------------------------------------------------------------------
    def sequence(self, stop: str | None = None, compact: bool = False) -> str:
        """Render tokens up to ``stop`` ("}") or the end. ``compact``: no spaces around operators."""
        out: list[str] = []
        pending_space = False

        def emit(piece: str) -> None:
            nonlocal pending_space
            if not piece:
                return
            if pending_space and (piece[0].isalnum() or piece[0] in "∂∇√"):
                out.append(" ")
            pending_space = False
            out.append(piece)

        while self.i < len(self.tokens):
            kind, value = self.tokens[self.i]
            self.i += 1
            if kind == "space":
                continue
            if kind == "char":
                if value == stop:
                    break
                if value == "{":
                    emit(self.sequence(stop="}", compact=compact))
                elif value in "^_":
                    arg = self.argument(compact=True)
                    out.append(self._script(arg, value == "^"))
                elif value == "~":
                    out.append(" ")
                elif value in "-+=<>":
                    symbol = "−" if value == "-" else value
                    self._operator(out, symbol, compact)
                elif value == ",":
                    out.append(", " if not compact else ",")
                elif value == "'":
                    out.append("′")
                else:
                    emit(value)
                continue
            # a command
            if value in _SPACES:
                out.append(_SPACES[value] if not compact else "")
                continue
            rendered = self.command(value, compact)
            if value in _FUNCTIONS:
                if not pending_space and out and out[-1] and out[-1][-1].isalnum():
                    out.append(" ")
                emit(rendered)
                pending_space = True
            elif rendered in _SPACED and len(rendered) == 1:
                self._operator(out, rendered, compact)
            else:
                emit(rendered)
        text = _resolve_fractions(out)
        return re.sub(r" {2,}", "  ", text).strip() if not compact else text

    @staticmethod
    def _operator(out: list[str], symbol: str, compact: bool) -> None:
        """Append a binary operator with spaces, or a unary sign without."""
        prev = "".join(out).rstrip()
        unary = symbol in "−+" and (not prev or prev[-1] in "([{,×·/:;" or prev[-1] in _SPACED)
        if compact or unary:
            out.append(symbol)
        else:
            while out and out[-1].endswith(" "):
                out[-1] = out[-1].rstrip()
            out.append(f" {symbol} ")

    @staticmethod
    def _script(arg: str, sup: bool) -> str:
        if sup and arg in ("′", "′′"):
            return arg
        if sup and arg == "⊤":
            return "ᵀ"
        mapped = to_superscript(arg) if sup else to_subscript(arg)
        if mapped is not None:
            return mapped
        mark = "^" if sup else "_"
        return f"{mark}{arg}" if len(arg) == 1 else f"{mark}({arg})"

    def command(self, name: str, compact: bool) -> str:
        if name in ("frac", "dfrac", "tfrac"):
            num = self.argument(compact=False)
            den = self.argument(compact=False)
            if (num, den) in _VULGAR:
                return _VULGAR[(num, den)]
            return _FRAC + f"{_wrap(num)}/{_wrap(den)}"
        if name == "sqrt":
            index = ""
            nxt = self._peek()
            if nxt == ("char", "["):
                self._skip_space()
                self.i += 1
                parts = []
                while self.i < len(self.tokens) and self.tokens[self.i] != ("char", "]"):
                    parts.append(self.tokens[self.i][1])
                    self.i += 1
                self.i += 1
                index = to_superscript("".join(parts)) or ""
            body = self.argument(compact=False)
            return f"{index}√{_wrap(body)}"
        if name in _ACCENTS:
            body = self.argument(compact=True)
            return body + _ACCENTS[name] if len(body) == 1 else f"{body}{_ACCENTS[name]}"
        if name in _TEXT_CMDS:
            return self._raw_group()
        if name == "mathbb":
            body = self._raw_group()
            return "".join(_BLACKBOARD.get(c, c) for c in body)
        if name == "mathcal":
            body = self._raw_group()
            return "".join(_CALLIGRAPHIC.get(c, c) for c in body)
        if name in _STYLE_CMDS:
            if name in ("displaystyle", "textstyle"):
                return ""
            return self.argument(compact=compact)
        if name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big"):
            self._skip_space()
            if self.i < len(self.tokens):
                kind, value = self.tokens[self.i]
                self.i += 1
                if value == ".":
                    return ""
                return _SYMBOLS.get(value, value) if kind == "cmd" else value
            return ""
        if name == "begin":
            return self.environment(self._raw_group())
        if name == "end":
            self._raw_group()
            return ""
        if name == "\\":
            return "; "
        if name in _FUNCTIONS:
            return name
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        return name  # unknown command: its name is still readable

    def environment(self, env: str) -> str:
        """Render ``\\begin{env} … \\end{env}`` (rows split on ``\\\\``, cells on ``&``)."""
        start = self.i
        depth = 0
        end = len(self.tokens)
        j = start
        while j < len(self.tokens):
            tok = self.tokens[j]
            if tok == ("cmd", "begin"):
                depth += 1
            elif tok == ("cmd", "end"):
                if depth == 0:
                    end = j
                    break
                depth -= 1
            j += 1
        body = self.tokens[start:end]
        self.i = end
        if end < len(self.tokens):
            self.i += 1
            self._raw_group()  # the {env} after \end
        rows: list[list[list[tuple[str, str]]]] = [[[]]]
        depth_env = depth_brace = 0
        for tok in body:
            if tok == ("cmd", "begin"):
                depth_env += 1
            elif tok == ("cmd", "end"):
                depth_env -= 1
            elif tok == ("char", "{"):
                depth_brace += 1
            elif tok == ("char", "}"):
                depth_brace -= 1
            if depth_env == 0 and depth_brace == 0 and tok == ("char", "&"):
                rows[-1].append([])
                continue
            if depth_env == 0 and depth_brace == 0 and tok == ("cmd", "\\"):
                rows.append([[]])
                continue
            rows[-1][-1].append(tok)
        cells = [[_Renderer(cell).sequence() for cell in row] for row in rows]
        cells = [row for row in cells if any(c.strip() for c in row)]
        base = env.rstrip("*")
        if base in ("cases", "dcases"):
            parts = []
            for row in cells:
                value = row[0]
                cond = " ".join(c for c in row[1:] if c).strip().rstrip(",")
                cond = re.sub(r"^(if|for|when)\s+", "", cond)
                if not cond:
                    parts.append(value)
                elif cond in ("otherwise", "else"):
                    parts.append(f"{value} otherwise")
                else:
                    parts.append(f"{value} if {cond}")
            return "{ " + "; ".join(parts) + " }"
        if base in ("pmatrix", "bmatrix", "matrix", "vmatrix", "Bmatrix"):
            return "[" + ", ".join("[" + ", ".join(row) + "]" for row in cells) + "]"
        # align, aligned, array, gather, …: one line per row
        return "\n".join(" ".join(c for c in row if c).strip() for row in cells)


def latex_to_unicode(latex: str) -> str:
    """Readable Unicode for a LaTeX math string (see the module docstring). Never raises."""
    if not latex:
        return ""
    # a typed "−" (U+2212) is the same binary operator as "-" and is spaced like it
    text = latex.strip().replace("\u2212", "-")
    for delim in (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$")):
        if text.startswith(delim[0]) and text.endswith(delim[1]) and len(text) > 2 * len(delim[0]):
            text = text[len(delim[0]) : -len(delim[1])]
            break
    try:
        result = _Renderer(_tokenize(text)).sequence()
    except Exception:  # noqa: BLE001 - rendering is best effort; fall back to the source
        return latex
    result = re.sub(r"\(\s+", "(", result)
    result = re.sub(r"\s+\)", ")", result)
    result = re.sub(r"[ \t]+\n", "\n", result)
    return result


_INLINE_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


def text_to_unicode(text: str) -> str:
    """Prose with ``$…$`` / ``$$…$$`` math in it (as in imported Markdown notes), with every math
    segment rendered as readable unicode and the prose left as it is."""
    if "$" not in text:
        return text
    return _INLINE_MATH.sub(lambda m: latex_to_unicode(m.group(1) or m.group(2)), text)


# ---------------------------------------------------------------------------------------------
# Prose with a little LaTeX in it
# ---------------------------------------------------------------------------------------------

# What marks a word as LaTeX: a command, or a braced super/subscript.
_LATEX_HINT = re.compile(r"\\[A-Za-z]+|[\^_]\{")
# Commands that open a span running to their partner, across spaces.
_PAIRED = {"begin": re.compile(r"\\end\{[^{}]*\}"), "left": re.compile(r"\\right\W?")}
# Prefix symbols that LaTeX glues to what follows even when a space is typed: \partial C.
_PREFIX_END = re.compile(r"\\(?:partial|nabla)\s*$")
_SPACE = re.compile(r"\s")
# A prose word: three letters or more, not part of a command name.
_PROSE_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")


def _word_end(text: str, pos: int) -> int:
    """End of the word that runs on from ``pos``: the next whitespace outside braces."""
    depth, i = 0, pos
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif c.isspace() and depth == 0:
            return i
        i += 1
    if depth:  # unbalanced braces: the word ends at the next whitespace after all
        m = _SPACE.search(text, pos)
        return m.start() if m else len(text)
    return len(text)


def _latex_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every run of ``text`` that is LaTeX: each word holding a command or a
    braced script (braces may hold spaces), grown to a paired ``\\end{…}``/``\\right`` and over
    a word that a trailing ``\\partial``/``\\nabla`` applies to."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := _LATEX_HINT.search(text, pos)) is not None:
        start = m.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        if spans and start < spans[-1][1]:
            start = spans[-1][1]
        end = _word_end(text, m.start())
        for name, closer in _PAIRED.items():
            if re.search(rf"\\{name}(?![A-Za-z])", text[start:end]):
                partner = closer.search(text, end)
                if partner is not None:
                    end = _word_end(text, partner.end())
        while _PREFIX_END.search(text[start:end]):
            nxt = end
            while nxt < len(text) and text[nxt].isspace():
                nxt += 1
            if nxt == len(text):
                break
            end = _word_end(text, nxt)
        spans.append((start, max(end, m.end())))
        pos = max(end, m.end())
    return spans


def _is_formula(text: str) -> bool:
    """Whether ``text`` is a formula rather than prose: no prose word outside commands, scripts
    and ``\\begin{…}`` names (function names such as max or tanh do not count)."""
    bare = re.sub(r"\\(?:begin|end)\{[^{}]*\}|\\[A-Za-z]+|[\^_]\{[^{}]*\}", " ", text)
    return not any(w.lower() not in _FUNCTIONS for w in _PROSE_WORD.findall(bare))


def prose_to_unicode(text: str) -> str:
    """Readable unicode for text that may hold a little LaTeX, keeping its words apart.

    A formula (no prose word in it) is rendered whole by :func:`latex_to_unicode`. In prose only
    the math is rendered: ``$…$`` spans, and every word holding a ``\\command``, ``^{…}`` or
    ``_{…}``; the prose around them keeps its spaces, hyphens and quotes (LaTeX rendering would
    drop them all: "adecreasingfunctionwhosederivativeis…"), with ASCII scripts (``δ^L``,
    ``w_ij``) as unicode scripts. Never raises."""
    if not text:
        return ""
    text = text_to_unicode(text)
    if not _LATEX_HINT.search(text):
        return plain_scripts(text)
    if _is_formula(text):
        return latex_to_unicode(text)
    out, pos = [], 0
    for start, end in _latex_spans(text):
        out.append(plain_scripts(text[pos:start]))
        out.append(latex_to_unicode(text[start:end]))
        pos = end
    out.append(plain_scripts(text[pos:]))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Plain text (ASCII) and the three views of one formula
# ---------------------------------------------------------------------------------------------

_SUP_BACK = {v: k for k, v in _SUP.items() if k not in ("−", "⊤", "′", "*")}
_SUP_BACK.update({"⁻": "-", "ᵀ": "T"})
_SUB_BACK = {v: k for k, v in _SUB.items() if k != "−"}
_SUB_BACK["₋"] = "-"
_PLAIN = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "eps",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Γ": "Gamma",
    "Δ": "Delta",
    "Θ": "Theta",
    "Λ": "Lambda",
    "Σ": "sum",
    "Π": "prod",
    "Φ": "Phi",
    "Ψ": "Psi",
    "Ω": "Omega",
    "∂": "d",
    "∇": "grad ",
    "∞": "inf",
    "−": "-",
    "·": "*",
    "×": "*",
    "∘": "*",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "≈": "~=",
    "←": "<-",
    "→": "->",
    "⇒": "=>",
    "∈": " in ",
    "√": "sqrt",
    "′": "'",
    "…": "...",
    "⋯": "...",
    "ℝ": "R",
    "½": "(1/2)",
    "⅓": "(1/3)",
    "⅔": "(2/3)",
    "¼": "(1/4)",
    "¾": "(3/4)",
    "⅕": "(1/5)",
    "⅛": "(1/8)",
    "‖": "||",
    "⊤": "T",
    "±": "+/-",
    "∑": "sum",
    "𝒪": "O",
}
_COMBINING = {
    "\u0302": "_hat",
    "\u0304": "_bar",
    "\u0303": "_tilde",
    "\u20d7": "_vec",
    "\u0307": "_dot",
    "\u0308": "_ddot",
}


def _unscript(text: str, table: dict[str, str], mark: str) -> str:
    """Runs of Unicode super/subscripts become ``^x`` / ``^(xy)`` (``_`` for subscripts)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            body = "".join(run)
            out.append(f"{mark}{body}" if len(body) == 1 else f"{mark}({body})")
            run.clear()

    for ch in text:
        if ch in table:
            run.append(table[ch])
        else:
            had_run = bool(run)
            flush()
            scripted = ch in _SUP_BACK or ch in _SUB_BACK or ch in _COMBINING
            if had_run and not scripted and (ch.isalnum() or ch in _PLAIN and _PLAIN[ch].isalpha()):
                out.append("*")  # x_1m would read as one name: x_1*m
            out.append(ch)
    flush()
    return "".join(out)


def unicode_to_plain(text: str) -> str:
    """ASCII transliteration of :func:`latex_to_unicode` output: ``σ(z) = 1/(1 + e⁻ᶻ)`` →
    ``sigma(z) = 1/(1 + e^(-z))``."""
    text = _unscript(text, _SUP_BACK, "^")
    text = _unscript(text, _SUB_BACK, "_")
    out = []
    for ch in text:
        if ch in _COMBINING:
            out.append(_COMBINING[ch])
        elif ch == "√":
            out.append("sqrt")
        else:
            out.append(_PLAIN.get(ch, ch))
    plain = "".join(out)
    # sqrt must be followed by parentheses to read as a function
    plain = re.sub(r"sqrt(?!\()([A-Za-z0-9_]+(?:_hat)?(?:_\w+|_\([^)]*\))?)", r"sqrt(\1)", plain)
    # a Greek name glued to a following letter would read as one word: keep them apart
    plain = re.sub(
        r"\b(alpha|beta|gamma|delta|eps|eta|theta|lambda|mu|rho|sigma|tau|phi|omega)(?=[a-z])",
        r"\1*",
        plain,
    )
    return re.sub(r"[ \t]{2,}", "  ", plain)


def latex_to_plain(latex: str) -> str:
    """Plain ASCII text for a LaTeX math string (for logs, TSV and CSV exports)."""
    return unicode_to_plain(latex_to_unicode(latex))


def render(latex: str, fmt: str = "unicode") -> str:
    """One formula in one of its three views: ``unicode`` (terminal), ``latex`` (MathJax
    ``\\( … \\)`` for Anki) or ``plain`` (ASCII)."""
    if fmt == "unicode":
        return latex_to_unicode(latex)
    if fmt == "latex":
        return "\\(" + latex + "\\)"
    if fmt == "plain":
        return latex_to_plain(latex)
    raise ValueError(f"unknown format {fmt!r} (use unicode, latex or plain)")
