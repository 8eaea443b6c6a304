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


# Inputs at and around every parser limit (issue 15: a 493-letter name, which the parser
# accepts, crashed the diagnosis). Whatever the parser accepts must get a verdict.
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_long_name = st.one_of(
    st.builds(
        lambda first, rest: first + rest,
        st.sampled_from("qwxkQWXK"),
        st.text(alphabet=_LETTERS + "_0123456789", min_size=380, max_size=499),
    ),
    st.builds(lambda n: "q" * n, st.integers(470, 500)),
)


def _near_limits(name: str, k: int) -> list[str]:
    """Inputs built around ``name`` with ``k`` repetitions, near each limit of DEFAULT_LIMITS."""
    return [
        name,
        "-" + name,
        f"1 - {name}",
        f"sigma({name})",
        f"1-tanh({name})^2",
        "(" * (k % 33) + name + ")" * (k % 33),  # max_nesting 30
        "-" * (k % 33) + name,
        "sigma(" * (k % 33) + name + ")" * (k % 33),
        "+".join([name] * (90 + k % 15)),  # max_depth 100, max_nodes 300
        "*".join(["z", "a"] * (140 + k % 15)),
        f"{name}^{990 + k % 15}",  # max_power 1000
        "1" * (35 + k % 8),  # max_digits 40
        f"1e-{295 + k % 8}",  # max_exp10 300
        "[" + ",".join([name] * (95 + k % 8)) + "]",  # max_entries 100
        "z^" * (k % 40) + "2",
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_long_name, st.integers(0, 10_000), st.integers(0, 14), st.integers(0, 17))
def test_anything_the_parser_accepts_gets_a_verdict_near_every_limit(name, k, which, other):
    candidates = _near_limits(name, k)
    answers = ["x", "-" + name, "2*" + name, *_near_limits(name, k + other)]
    expected, answer = candidates[which], answers[other]
    start = time.perf_counter()
    verdict = check(expected, answer, symbolic_timeout=1.0)
    assert verdict.verdict in ("correct", "incorrect", "invalid")
    assert time.perf_counter() - start < 3.0
    readable = True
    for text in (expected, answer):
        try:
            parse(text)
        except ParseError:
            readable = False
    if readable:  # no limit hit inside the checker, on text it built itself
        assert "cannot be read" not in verdict.message, (expected[:60], answer[:60], verdict)
