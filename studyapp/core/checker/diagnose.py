"""Explanations of wrong answers by the slips students make most.

Given the sample points where both formulas were evaluated, each test below asks whether a
known slip turns the expected formula into the answer at *every* point (to 1e-9): a flipped
sign, a constant factor (2, ½, ...), a factor of a variable (n), a constant offset, the
derivative of a different activation, the activation instead of its derivative, or a chain
rule with the activation-derivative factor left out. For numbers, vectors and matrices:
sign, factor, power of ten, transposition, and rounding too coarsely.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from studyapp.core.checker.limits import CONTENT_LIMITS
from studyapp.core.checker.render import format_number

REL = 1e-9

# activation -> (display name, function template, derivative template, derivative shown)
ACTIVATIONS = {
    "sigmoid": ("σ", "sigma({v})", "sigma({v})*(1 - sigma({v}))", "σ′({v}) = σ({v})(1 − σ({v}))"),
    "tanh": ("tanh", "tanh({v})", "1 - tanh({v})^2", "tanh′({v}) = 1 − tanh²({v})"),
    "relu": ("ReLU", "max(0, {v})", "step({v})", "ReLU′({v}) = 1 for {v} ≥ 0, else 0"),
    "softplus": ("softplus", "softplus({v})", "sigma({v})", "softplus′({v}) = σ({v})"),
    "swish": (
        "swish",
        "{v}*sigma({v})",
        "sigma({v}) + {v}*sigma({v})*(1 - sigma({v}))",
        "swish′({v}) = σ({v}) + {v}·σ({v})(1 − σ({v}))",
    ),
    "leaky_relu": (
        "leaky ReLU",
        "leaky_relu({v})",
        "0.01 + 0.99*step({v})",
        "leaky ReLU′({v}) = 1 for {v} ≥ 0, else 0.01",
    ),
    "elu": (
        "ELU",
        "elu({v})",
        "step({v}) + (1 - step({v}))*exp({v})",
        "ELU′({v}) = 1 for {v} ≥ 0, else e^{v}",
    ),
    "exp": ("exp", "exp({v})", "exp({v})", "exp′({v}) = exp({v})"),
}
# derivatives written in the activation's output a (the notes' a(1 − a) and 1 − a²)
OUTPUT_FORMS = {
    "sigmoid": ("{v}*(1 - {v})", "σ′ written in the output: {v}(1 − {v})"),
    "tanh": ("1 - {v}^2", "tanh′ written in the output: 1 − {v}²"),
}

# functions people confuse inside a derivative (the notes write tanh′ = 1 − σ²)
_SWAPPED = (("tanh", "sigma", "tanh", "σ"), ("sigma", "tanh", "σ", "tanh"))
# 1 − σ(z)² for tanh′ is wrong when σ is the sigmoid, as it is in a typed answer; the notes write
# σ^m for the nonlinearity of layer m, and in that reading their 1 − (σ^m(z^m))² is right.
_TANH_NOTATION = (
    " (ambiguous notation, not an error of the notes: their 1 − (σ^m(z^m))² means layer m's own "
    "nonlinearity, here tanh; typed, σ(z) is the sigmoid)"
)

_NICE_FACTORS = {
    2.0: "twice",
    0.5: "half",
    -2.0: "−2 times",
    -0.5: "−½ times",
    4.0: "4 times",
    0.25: "a quarter of",
}


def _close(x, y, rel: float = REL) -> bool:
    if x == y:
        return True
    return abs(x - y) <= rel * max(abs(x), abs(y), 1e-300)


def _all_close(xs, ys) -> bool:
    return len(xs) >= 3 and all(_close(x, y) for x, y in zip(xs, ys, strict=False))


def _factor_phrase(r: float) -> str:
    for value, phrase in _NICE_FACTORS.items():
        if _close(r, value):
            return (
                f"{phrase} the expected value"
                if "times" not in phrase
                else f"{phrase} the expected value"
            )
    frac = Fraction(r).limit_denominator(12)
    if _close(float(frac), r, 1e-12):
        shown = str(frac)
    else:
        shown = format_number(r)
    return f"{shown} times the expected value"


_SLOT = "u"  # the variable of every compiled template; the sampled variable's value goes here


@lru_cache(maxsize=512)
def _compiled(template: str):
    """A template (``"sigma({v})*(1 - sigma({v}))"``) compiled once, in the variable ``u``.

    The user's variable name never enters the text that is parsed: a name as long as the
    answer limit allows would make the template longer than any limit (issue 15).
    """
    from studyapp.core.checker.numeric import compile_node
    from studyapp.core.checker.parser import parse

    return compile_node(parse(template.format(v=_SLOT), limits=CONTENT_LIMITS))


class _Candidates:
    """Values of template formulas at the sample points, computed lazily.

    A candidate is a template and the variable it is applied to. ``matches`` first evaluates
    it at 3 points and only goes on to the rest when those agree, so trying ~50 candidates
    costs little more than trying a few.
    """

    def __init__(self, samples):
        from studyapp.core.checker.numeric import LOW_DPS, context

        self.ctx = ctx = context(LOW_DPS)
        self.envs = [{k: ctx.mpf(x) for k, x in point.items()} for point, _e, _a in samples]
        self.cache: dict = {}

    def values(self, template: str, v: str, upto: int):
        from studyapp.core.checker.numeric import Undefined

        done = self.cache.setdefault((template, v), [])
        if len(done) < upto:
            fn = _compiled(template)
            for env in self.envs[len(done) : upto]:
                try:
                    done.append(fn(self.ctx, {_SLOT: env[v]}))
                except (Undefined, ZeroDivisionError, ValueError, OverflowError):
                    done.append(None)
        return done[:upto]

    def matches(self, values, template: str, v: str) -> bool:
        if not _match(values[:3], self.values(template, v, 3), need=3):
            return False
        return _match(values, self.values(template, v, len(values)))


def _match(values, candidate, need: int | None = None) -> bool:
    pairs = [(x, c) for x, c in zip(values, candidate, strict=False) if c is not None]
    if need is None:
        ok = len(pairs) >= 3 and len(pairs) >= len(values) - 2
    else:
        ok = len(pairs) >= need
    return ok and all(_close(x, c) for x, c in pairs)


def diagnose_expression(samples, names: list[str], expected_node=None) -> str | None:
    """Name the slip that turns the expected formula into the answer, if a known one does.

    ``samples``: (point, expected value, answer value) at well-defined points (mpf values).
    ``names``: the variables to try as activation arguments (those of the expected formula).
    ``expected_node``: the expected formula's tree, to evaluate it at other points (sign slips).
    """
    if len(samples) < 3:
        return None
    samples = samples[:16]
    E = [e for _, e, _ in samples]
    A = [a for _, _, a in samples]
    names = sorted(names)[:3]

    if names:
        found = _activation_slip(_Candidates(samples), names, E, A)
        if found:
            return found

    nonzero = [(p, e, a) for p, e, a in samples if e]
    if len(nonzero) >= 3:
        ratios = [a / e for _, e, a in nonzero]
        if all(_close(r, ratios[0]) for r in ratios):
            r = float(ratios[0])
            if _close(r, -1.0):
                return (
                    "sign flipped: the answer is the negative of the expected one "
                    "(e.g. y − a instead of a − y)"
                )
            if abs(r - 1.0) < 5e-3:
                return (
                    "almost equal but not exactly: a constant seems rounded (write exact "
                    "values such as 1/3, e or sqrt(2))"
                )
            if not _close(r, 1.0):
                return f"off by a constant factor: the answer is {_factor_phrase(r)}"
        for v in sorted({k for p, _, _ in nonzero for k in p}):
            if all(_close(r, p[v]) for r, (p, _, _) in zip(ratios, nonzero, strict=False)):
                return f"off by a factor of {v}: the answer is {v} times the expected one"
            if all(_close(r * p[v], 1.0) for r, (p, _, _) in zip(ratios, nonzero, strict=False)):
                return f"off by a factor of {v}: the answer is the expected one divided by {v}"
    # a rounded constant (2.718 for e) is a small relative error at moderate arguments; at
    # z = 1000 the 2.718^z drifts far from e^z, so only points with every |x| ≤ 10 count
    moderate = [(p, e, a) for p, e, a in nonzero if all(abs(x) <= 10 for x in p.values())]
    if len(moderate) >= 3 and all(abs(a / e - 1) < 5e-3 for _, e, a in moderate):
        return (
            "almost equal but not exactly: a constant seems rounded (write exact values "
            "such as 1/3, e or sqrt(2))"
        )
    diffs = [a - e for e, a in zip(E, A, strict=False)]
    if all(_close(d, diffs[0]) for d in diffs) and diffs[0]:
        d = float(diffs[0])
        return (
            f"differs by a constant: the answer is the expected one "
            f"{'plus' if d > 0 else 'minus'} {format_number(abs(d))}"
        )
    if expected_node is not None:
        return _negated_variable(samples, expected_node, names)
    return None


def _negated_variable(samples, expected_node, names) -> str | None:
    """The answer is the expected formula with one variable's sign flipped: e^z written for
    e^(−z) (the notes' sigmoid), or x + α∇f for x − α∇f (the notes' gradient descent)."""
    from studyapp.core.checker.numeric import LOW_DPS, Undefined, compile_node, context

    ctx = context(LOW_DPS)
    fn = compile_node(expected_node)
    answers = [a for _, _, a in samples]
    for v in names:
        values = []
        for point, _e, _a in samples:
            env = {k: ctx.mpf(x) for k, x in point.items()}
            env[v] = -env[v]
            try:
                values.append(fn(ctx, env))
            except (Undefined, ZeroDivisionError, ValueError, OverflowError):
                values.append(None)
        if _match(answers, values):
            return (
                f"a sign slip: the answer is the expected formula with −{v} in place of {v} "
                f"(e.g. e^z written for e^(−z), or a gradient added where it is subtracted)"
            )
    return None


class _Forms:
    """Whether sampled values are an activation (or its derivative) of a variable."""

    def __init__(self, cands: _Candidates) -> None:
        self.cands = cands

    @staticmethod
    def deriv_forms(x: str) -> list:
        forms = [ACTIVATIONS[x][2]]
        if x in OUTPUT_FORMS:
            forms.append(OUTPUT_FORMS[x][0])
        return forms

    def is_deriv(self, values, x: str, v: str) -> bool:
        return any(self.cands.matches(values, f, v) for f in self.deriv_forms(x))

    def is_func(self, values, x: str, v: str) -> bool:
        return self.cands.matches(values, ACTIVATIONS[x][1], v)


def _derivative_slip(forms: _Forms, x: str, v: str, E, A) -> str | None:
    """The expected is the derivative of activation ``x``: a swapped σ/tanh, the function itself,
    or the derivative of another activation."""
    disp_x, _f, derivative, shown_x = ACTIVATIONS[x]
    for src, dst, disp_src, disp_dst in _SWAPPED:
        swapped = derivative.replace(src + "(", dst + "(")
        if swapped != derivative and forms.cands.matches(A, swapped, v):
            note = _TANH_NOTATION if x == "tanh" else ""
            return (
                f"{disp_dst} written where {disp_src} belongs: the derivative is "
                f"{shown_x.format(v=v)}{note}"
            )
    if forms.is_func(A, x, v) and not forms.is_deriv(A, x, v):
        return f"this is {disp_x}({v}) itself, not its derivative ({shown_x.format(v=v)})"
    for y, (disp_y, _f2, _d2, _s2) in ACTIVATIONS.items():
        if y != x and forms.is_deriv(A, y, v) and not forms.is_deriv(E, y, v):
            return (
                f"derivative of the wrong function: this is the derivative of "
                f"{disp_y}, but the question is about {disp_x} "
                f"({shown_x.format(v=v)})"
            )
    return None


def _function_slip(forms: _Forms, x: str, v: str, A) -> str | None:
    """The expected is activation ``x`` itself: its derivative given, or another activation."""
    disp_x = ACTIVATIONS[x][0]
    if forms.is_deriv(A, x, v):
        return f"this is the derivative of {disp_x}, but the question asks for {disp_x}({v}) itself"
    for y, (disp_y, _f2, _d2, _s2) in ACTIVATIONS.items():
        if y != x and forms.is_func(A, y, v):
            return f"wrong function: this is {disp_y}({v}), not {disp_x}({v})"
    return None


_CHAIN_RULE_PHRASES = (
    # expected = answer × f'(v): the factor is missing
    (
        lambda e, a: e / a if a else None,
        "missing the activation-derivative factor of the chain rule: multiply by {text}",
    ),
    # answer = expected × f'(v): one factor too many (∂C/∂z given where ∂C/∂a was asked)
    (
        lambda e, a: a / e if e else None,
        "one chain-rule factor too many: the answer is the expected one times {text}",
    ),
)


def _ratio_is_a_derivative(forms: _Forms, ratios: list, names) -> str | None:
    """The text of the activation derivative f'(v) that the ratios follow, if any."""
    for v in names:
        for x, (_disp, _f, _d, shown) in ACTIVATIONS.items():
            if x == "exp":
                continue
            texts = [shown.format(v=v)]
            if x in OUTPUT_FORMS:
                texts.append(OUTPUT_FORMS[x][1].format(v=v))
            for form, text in zip(forms.deriv_forms(x), texts, strict=False):
                vals = forms.cands.values(form, v, len(ratios))
                pairs = [
                    (r, c)
                    for r, c in zip(ratios, vals, strict=False)
                    if r is not None and c is not None
                ]
                if len(pairs) >= 3 and all(_close(r, c) for r, c in pairs):
                    return text
    return None


def _chain_rule_slip(forms: _Forms, names, E, A) -> str | None:
    for ratio, phrase in _CHAIN_RULE_PHRASES:
        ratios = [ratio(e, a) for e, a in zip(E, A, strict=False)]
        usable = [r for r in ratios if r is not None]
        if len(usable) < 3 or all(_close(r, usable[0]) for r in usable):
            continue  # a constant ratio is a factor slip, not a derivative
        text = _ratio_is_a_derivative(forms, ratios, names)
        if text is not None:
            return phrase.format(text=text)
    return None


def _activation_slip(cands: _Candidates, names, E, A) -> str | None:
    """A slip between activations and their derivatives, or a chain-rule factor missing/extra."""
    forms = _Forms(cands)
    for v in names:
        for x in ACTIVATIONS:
            if forms.is_deriv(E, x, v):
                slip = _derivative_slip(forms, x, v, E, A)
            elif forms.is_func(E, x, v):
                slip = _function_slip(forms, x, v, A)
            else:
                continue
            if slip is not None:
                return slip
    return _chain_rule_slip(forms, names, E, A)


# --------------------------------------------------------------------------- numbers


def _decimals_typed(text: str) -> int | None:
    """Digits after the decimal point in a plain typed number (``0.73`` -> 2), else None."""
    t = text.strip().replace("−", "-")
    try:
        d = Decimal(t)
    except Exception:
        return None
    if not d.is_finite():
        return None
    exp = d.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else None


def diagnose_number(expected: float, answer: float, answer_text: str | None = None) -> str | None:
    """Name the slip between two numbers: sign, factor 2/½, power of ten, rounding."""
    if expected == 0 or answer == 0:
        return None
    if _close(answer, -expected, 1e-3):
        return "sign flipped: the answer has the opposite sign"
    r = answer / expected
    for k in (2.0, 0.5):
        if _close(r, k, 2e-3):
            return f"off by a constant factor: the answer is {_factor_phrase(k)}"
    for p in range(1, 7):
        for k in (10.0**p, 10.0**-p):
            if _close(r, k, 2e-3):
                return (
                    f"off by a power of ten: the answer is {format_number(k)} times the "
                    "expected value (decimal point slip?)"
                )
    if answer_text is not None:
        places = _decimals_typed(answer_text)
        if places is not None and places < 12:
            rounded = round(expected, places)
            if _close(rounded, answer, 1e-12) or abs(rounded - answer) < 0.5 * 10**-places:
                return (
                    f"right value but rounded too coarsely: {format_number(expected, 6)} "
                    f"needs more digits than {places} decimal place{'s' if places != 1 else ''}"
                )
    return None
