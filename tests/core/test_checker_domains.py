"""Domain-aware equivalence: the contract's sampling rule, symbols' domains, the domain corpus."""

from __future__ import annotations

import json
import shutil
import tomllib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.core.checker import check, provably_different
from studyapp.core.checker.core import Outcome, Verdict
from studyapp.core.checker.domains import (
    REAL,
    Domain,
    DomainError,
    parse_assumption,
    parse_assumptions,
    parse_domain,
)

CORPUS = tomllib.loads((Path(__file__).parent / "data" / "checker_domains.toml").read_text())[
    "pair"
]


# --------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize(
    "pair", CORPUS, ids=[f"{p['expected']} | {p['answer']} | {p.get('assume')}" for p in CORPUS]
)
def test_domain_corpus_verdicts(pair):
    v = check(pair["expected"], pair["answer"], assume=pair.get("assume"))
    assert v.verdict == pair["verdict"], (pair["why"], v.message)
    if v.verdict == "incorrect":
        assert v.message.startswith(("Not equal", "Not correct")), v.message  # settled, not unsure


def test_domain_corpus_is_large_and_balanced():
    verdicts = [p["verdict"] for p in CORPUS]
    assert len(CORPUS) >= 60
    assert verdicts.count("correct") >= 25 and verdicts.count("incorrect") >= 25
    assert all(p["why"].strip() for p in CORPUS)


# --------------------------------------------------------------------------- the sampling rule


def test_contract_examples():
    v = check("(a^b)^c", "a^(b*c)")
    assert v.verdict == "incorrect" and v.settled_by == "numeric"
    v = check("sqrt((x-3)*(x-5))", "sqrt(x-3)*sqrt(x-5)")
    assert v.verdict == "incorrect" and "no real value" in v.message
    assert check("x + 1", "(x^2 - 1)/(x - 1)").verdict == "correct"  # removable hole


def test_an_answer_without_a_real_value_is_incorrect_not_invalid():
    for expected, answer in (("2", "(-8)^(1/3)"), ("z", "log(0)"), ("z", "sqrt(-1)*z")):
        v = check(expected, answer)
        assert v.verdict == "incorrect" and "no real value" in v.message, (answer, v)
    # an expected answer without a value cannot be graded, and a value too large is a limit
    assert check("log(0)", "1").verdict == "invalid"
    assert check("1", "exp(exp(10))").verdict == "invalid"


def test_unsettled_equality_is_incorrect_never_correct():
    # the expected side is real nowhere: sampling cannot decide, and sympy gets no time
    v = check("sqrt(-1-z^2)", "sqrt(-(1+z^2))", symbolic_timeout=0.01)
    assert v.verdict == "incorrect" and "could not be verified" in v.message
    assert v.settled_by is None


def test_sympy_settles_what_sampling_cannot():
    v = check("sqrt(-1-z^2)", "sqrt(-(1+z^2))", symbolic_timeout=30)
    assert v.verdict == "correct" and v.settled_by == "symbolic"


def test_sympy_gets_the_domains_sign_assumptions():
    # real nowhere, so sympy decides: sqrt(x^2) is |x| for a real x, and x for a positive one
    expected, answer = "sqrt(-x^2-1)*sqrt(x^2)", "sqrt(-x^2-1)*x"
    v = check(expected, answer, symbolic_timeout=30)
    assert v.verdict == "incorrect" and v.settled_by == "symbolic"
    v = check(expected, answer, assume=["x > 0"], symbolic_timeout=30)
    assert v.verdict == "correct" and v.settled_by == "symbolic", v.message


def test_exact_points_catch_identities_that_fail_only_there():
    # H(0) + H(-0) = 2, 1 elsewhere: only the exact point 0 shows it
    v = check("step(x) + step(-x)", "1")
    assert v.verdict == "incorrect" and "at x = 0" in v.message


# --------------------------------------------------------------------------- domains


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("real", REAL),
        ("in (0, 1)", Domain(Fraction(0), Fraction(1))),
        ("(0,1]", Domain(Fraction(0), Fraction(1), hi_closed=True)),
        ("in [0, inf)", Domain(lo=Fraction(0), lo_closed=True)),
        ("> 0", Domain(lo=Fraction(0))),
        ("≥ 0.5", Domain(lo=Fraction(1, 2), lo_closed=True)),
        ("<= -1/2", Domain(hi=Fraction(-1, 2), hi_closed=True)),
        ("positive integer", Domain(lo=Fraction(0), integer=True)),
        ("integer", Domain(integer=True)),
        ("> 0 and < 1", Domain(Fraction(0), Fraction(1))),
        ("is nonnegative", Domain(lo=Fraction(0), lo_closed=True)),
    ],
)
def test_parse_domain(text, domain):
    assert parse_domain(text) == domain


@pytest.mark.parametrize(
    ("text", "name", "domain"),
    [
        ("alpha in (0,1)", "alpha", Domain(Fraction(0), Fraction(1))),
        ("α ∈ (0, 1)", "alpha", Domain(Fraction(0), Fraction(1))),
        ("x > 0", "x", Domain(lo=Fraction(0))),
        ("n integer", "n", Domain(integer=True)),
        ("0 < p < 1", "p", Domain(Fraction(0), Fraction(1))),
        ("0 <= p <= 1", "p", Domain(Fraction(0), Fraction(1), True, True)),
        ("beta1 in (0, 1)", "beta_1", Domain(Fraction(0), Fraction(1))),
        ("t positive integer", "t", Domain(lo=Fraction(0), integer=True)),
        ("eta is positive", "eta", Domain(lo=Fraction(0))),
    ],
)
def test_parse_assumption(text, name, domain):
    assert parse_assumption(text) == (name, domain)


@pytest.mark.parametrize(
    "text", ["", "alpha", "alpha in (0,", "x > y", "a+b > 0", "x > inf", "x in (1, 0)", "x >> 0"]
)
def test_bad_assumptions_raise_one_line(text):
    with pytest.raises(DomainError) as info:
        parse_assumption(text)
    assert "\n" not in str(info.value) and str(info.value)


def test_assumptions_about_one_name_all_hold():
    assert parse_assumptions(["x > 0", "x < 1"]) == {"x": Domain(Fraction(0), Fraction(1))}
    with pytest.raises(DomainError, match="leave no values"):
        parse_assumptions(["x > 1", "x < 0"])


DOMAINS = [
    REAL,
    parse_domain("(0, 1)"),
    parse_domain("> 0"),
    parse_domain(">= 0"),
    parse_domain("< -3"),
    parse_domain("positive integer"),
    parse_domain("integer"),
    parse_domain("[-5, 7] and integer"),
    parse_domain("(1e-8, 2e-8)"),
    parse_domain("> 1e20"),
]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(DOMAINS), st.integers(0, 2**32 - 1))
def test_sampled_values_lie_inside_the_domain(domain, seed):
    values = domain.random_values(np.random.default_rng(seed), 64)
    assert all(domain.contains(float(x)) for x in values), domain
    assert len(domain.exact_values()) >= 1
    assert all(domain.contains(x) for x in domain.exact_values())


def test_unrestricted_values_cover_several_magnitudes_and_signs():
    values = REAL.random_values(np.random.default_rng(1), 128)
    assert (values < 0).sum() > 20 and (values > 0).sum() > 20
    assert np.abs(values).max() > 100 and np.abs(values).min() < 0.01
    assert [float(x) for x in REAL.exact_values()] == [-2, -1.5, -1, -0.5, 0, 0.5, 1, 2]


# --------------------------------------------------------------------------- declared domains


def test_leaky_and_prelu_alpha_lie_in_zero_one_where_the_checker_meets_them():
    # the quiz and the workspace grade against the content's own formulas: no caller passes
    # a domain, the checker recognises the entry
    from studyapp.core.content import load_content

    content = load_content(include_user=False)
    for ident in ("act.leaky_relu", "act.prelu"):
        formula = content.by_id[ident].fields["formula"]
        assert check(formula, "max(alpha*z, z)", kind="expression").verdict == "correct"
        # an assumption narrows the declared (0, 1), it cannot widen it
        assert check(formula, "max(αz, z)", assume=["alpha in (0, 3)"]).verdict == "correct"
        with pytest.raises(ValueError, match="leaves no value"):
            check(formula, "max(αz, z)", assume=["alpha > 2"])
        # and so max(αz, z) is never offered as a wrong option for them
        assert not provably_different(formula, "max(alpha*z, z)")
    assert provably_different(content.by_id["act.elu"].fields["formula"], "max(z, alpha*z)")


def test_declared_domains_follow_the_entry():
    from studyapp.core.symbols import declared_domains

    leaky = declared_domains(["alpha", "z"], "alpha*z")
    assert leaky == {"alpha": Domain(Fraction(0), Fraction(1))}  # z is real: not listed
    elu = declared_domains(["alpha"], "alpha*(exp(z) - 1)")
    assert elu == {"alpha": Domain(lo=Fraction(0))}
    adaptive = declared_domains(["alpha"], "x", context="loss.adaptive")
    assert adaptive == {}  # Barron's shape parameter is any real
    adam = declared_domains(["t", "beta_1", "eps", "eta"], "m/(1 - beta1^t)")
    assert adam["t"] == Domain(lo=Fraction(0), integer=True)
    assert adam["beta_1"] == Domain(Fraction(0), Fraction(1))
    assert adam["eps"] == adam["eta"] == Domain(lo=Fraction(0))


def test_the_shipped_symbols_file_is_valid_and_complete():
    from studyapp import paths
    from studyapp.core.content import validate
    from studyapp.core.symbols import SYMBOLS_FILE, symbol_problems

    content, problems = validate(include_user=False)
    assert problems == []
    path = paths.content_dir() / SYMBOLS_FILE
    assert symbol_problems(path, SYMBOLS_FILE, content.entries) == []


def _content_copy(tmp_path: Path) -> Path:
    from studyapp import paths

    target = tmp_path / "content"
    shutil.copytree(paths.content_dir(), target)
    return target


def test_content_check_reports_symbols_file_problems_with_file_and_line(tmp_path):
    from studyapp.core.content import validate

    base = _content_copy(tmp_path)
    path = base / "symbols.toml"
    text = path.read_text()
    text = text.replace('name = "eta"\ndomain = "> 0"', 'name = "eta"\ndomain = "> zero"')
    text = text.replace('entries = ["act.elu"]', 'entries = ["act.elu", "act.nope"]')
    # drop the declaration of G (Adagrad's sum of squares): a formula symbol without a domain
    start = text.index('[[symbol]]\nname = "G"')
    text = text[:start] + text[text.index("[[symbol]]", start + 5) :]
    path.write_text(text)
    _, problems = validate(base, include_user=False)
    joined = "\n".join(problems)
    assert "symbols.toml:" in joined
    assert "domain of eta: cannot read the domain '> zero'" in joined
    assert "unknown entry 'act.nope'" in joined
    assert "symbol G (used at content/optimizers.toml:" in joined
    assert "symbol eta" not in joined  # declared, with a domain reported as unreadable
    line = next(p for p in problems if "eta" in p).split(":")[1]
    assert path.read_text().splitlines()[int(line) - 1] == "[[symbol]]"


def test_content_check_cli_fails_on_a_broken_symbols_file(cli, tmp_path):
    base = _content_copy(tmp_path)
    (base / "symbols.toml").write_text('schema = 1\n[[symbol]]\nname = "z"\ndomain = "real"\n')
    result = cli("content", "check", "--path", str(base), "--no-user", timeout=60)
    assert result.returncode == 1
    assert "symbols.toml:2: meaning must be a non-empty string" in result.stdout


def test_a_broken_symbols_file_never_stops_grading(tmp_path, monkeypatch):
    from studyapp.core import symbols

    base = _content_copy(tmp_path)
    (base / "symbols.toml").write_text("this is = not [toml")
    monkeypatch.setattr(symbols, "_content_dir", lambda: base)
    assert check("max(0, z) + alpha*min(0, z)", "max(alpha*z, z)").verdict == "incorrect"
    assert check("x + 1", "1 + x").verdict == "correct"


# --------------------------------------------------------------------------- the Verdict type


def test_verdict_is_a_strenum():
    v = check("a - y", "-(y - a)")
    assert v.verdict is Outcome.CORRECT and v.verdict == "correct" and v.correct
    assert json.dumps(v.to_dict()).startswith('{"verdict": "correct", ')
    assert Verdict("incorrect", "m", "e", "a").verdict is Outcome.INCORRECT  # a str converts
    with pytest.raises(ValueError):
        Verdict("maybe", "m", "e", "a")
    assert [o.value for o in Outcome] == ["correct", "incorrect", "invalid"]
