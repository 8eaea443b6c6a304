"""Property tests: arbitrary text never breaks the parser or the checker."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.core.checker import CONTENT_LIMITS, ParseError, check, parse, preview, render_text

# Pieces of formulas, so that many generated strings get deep into the grammar.
TOKENS = [
    "z",
    "a",
    "y",
    "θ",
    "η",
    "ε",
    "σ",
    "sigma",
    "exp",
    "ln",
    "tanh",
    "max",
    "sqrt",
    "√",
    "e",
    "pi",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    "|",
    "+",
    "-",
    "−",
    "*",
    "·",
    "/",
    "^",
    "**",
    "²",
    "³",
    "'",
    "0.5",
    "2",
    "1e-3",
    "9",
    " ",
    "_",
    "1",
    "w_1",
    "β₁",
    "m̂",
    "!",
    ".",
    "__",
    "lambda",
    "\x00",
    "½",
    "\\",
    "\\sigma",
    "\\hat{y}",
    "{",
    "}",
    "_{1}",
    "σ₂",
    "\\frac",
    "\\cdot",
    "∂",
]

formula_like = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
any_text = st.text(max_size=300)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(any_text, formula_like))
def test_parse_raises_only_parse_errors(text):
    start = time.perf_counter()
    try:
        node = parse(text)
    except ParseError as exc:
        assert str(exc)
    else:
        preview(text)
        # canonical text parses back to the same tree
        assert parse(render_text(node), limits=CONTENT_LIMITS) == node
    # the contract's bound for any input (not a speed target: bench/check.py measures speed)
    assert time.perf_counter() - start < 3.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formula_like)
def test_check_always_gives_a_verdict_in_time(text):
    start = time.perf_counter()
    verdict = check("sigma(z)*(1 - sigma(z))", text, symbolic_timeout=1.0)
    assert verdict.verdict in ("correct", "incorrect", "invalid")
    assert time.perf_counter() - start < 3.0


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda x: abs(x) > 1e-3))
def test_a_number_equals_its_own_repr(x):
    assert check(repr(x), repr(x)).verdict == "correct"
    assert check(repr(x), repr(-x)).verdict == "incorrect"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.floats(allow_nan=False),
        st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=4),
    ),
    formula_like,
)
def test_check_value_never_raises(expected, text):
    from studyapp.core.checker import check_value

    assert check_value(expected, text).verdict in ("correct", "incorrect", "invalid")
