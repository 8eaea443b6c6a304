"""Parser, preview, limits, verdict API and diagnosis of the answer checker."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from studyapp.core.checker import (
    LimitError,
    ParseError,
    Verdict,
    check,
    check_value,
    equivalent,
    parse,
    preview,
    render_text,
    to_unicode,
)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("sigma(z)*(1-sigma(z))", "σ(z)·(1 − σ(z))"),
        ("σ(z)(1−σ(z))", "σ(z)(1 − σ(z))"),
        ("z^2", "z²"),
        ("z**3", "z³"),
        ("1/2(a-y)^2", "½(a − y)²"),
        ("theta - eta*m_hat/(sqrt(v_hat)+eps)", "θ − η·m̂/(√v̂ + ε)"),
        ("beta1*m", "β₁·m"),
        ("w_1 x_i", "w₁·xᵢ"),
        ("tanh²(z)", "tanh²(z)"),
        ("1 - tanh(z)^2", "1 − tanh²(z)"),
        ("sigma(z)^2", "σ(z)²"),
        ("2z", "2z"),
        ("ŷ - y", "ŷ − y"),
        ("|a - y|", "|a − y|"),
        ("x^-1", "x⁻¹"),
        ("e^(-z)", "e^(−z)"),
        ("[[1,2],[3,4]]", "[[1, 2], [3, 4]]"),
        ("σ'(z)", "σ′(z)"),
        ("sqrt(v + eps)", "√(v + ε)"),
    ],
)
def test_preview_renders_unicode(typed, shown):
    assert preview(typed) == shown


def test_preview_and_to_unicode_do_not_import_sympy_or_mpmath():
    code = (
        "import sys\n"
        "from studyapp.core.checker import preview, to_unicode\n"
        "preview('sigma(z)*(1-sigma(z))'); to_unicode('theta - eta*m/(sqrt(v)+eps)')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'mpmath')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty input"),
        ("   ", "empty input"),
        ("(z+1", "unbalanced '(' at position 1"),
        ("z+1)", "unbalanced ')' at position 4"),
        ("(z]", "'(' at position 1 is closed by ']' at position 3"),
        ("foo(z)", "unknown function 'foo'"),
        ("exec(z)", "known functions: sigma"),
        ("z +", "nothing after '+'"),
        ("2 3", "missing operator"),
        ("z!", "factorials are not supported"),
        ("a.b", "unexpected character '.'"),
        ("__import__", "names start with a letter"),
        ("z\x00", "U+0000"),
        ("max()", "needs an argument"),
        ("(1, )", "missing entry"),
        ("sigma(1, 2)", "takes 1 argument"),
        ("[[1,2],[3]]", "different lengths"),
    ],
)
def test_parse_errors_are_clear(text, fragment):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in str(info.value)


def test_parse_error_has_position():
    with pytest.raises(ParseError) as info:
        parse("1 + (2 * z")
    assert info.value.position == 4


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("z" * 501, "input too long: 501 characters (limit 500)"),
        ("(" * 31 + "z" + ")" * 31, "nested too deeply"),
        ("9^9^9^9", "power too large"),
        ("z^1001", "power too large"),
        ("1e301", "too large"),
        ("1" * 41, "too many digits"),
        ("z" + "+z" * 240, "nested too deeply (limit depth 100)"),
        ("[" + ",".join(["z+z+z"] * 70) + "]", "formula too large (limit 300 parts)"),
    ],
)
def test_limits_are_named(text, fragment):
    with pytest.raises(LimitError) as info:
        parse(text)
    assert fragment in str(info.value)


def test_nesting_up_to_the_limit_is_fine():
    assert check("z", "(" * 30 + "z" + ")" * 30).verdict == "correct"
    assert check("z", "-" * 30 + "z").verdict == "correct"  # an even number of signs


def test_powers_up_to_the_limit_are_fine():
    assert check("z^1000", "z^999*z").verdict == "correct"
    assert parse("2^10") is not None


@pytest.mark.parametrize(
    "typed",
    [
        "sigma(z)*(1 - sigma(z))",
        "theta - eta*m_hat/(sqrt(v_hat) + eps)",
        "-z^2",
        "(-z)^2",
        "a - (b - c)",
        "a/(b*c)",
        "2*e^-z",
        "z^-1",
        "-(a*b)",
        "a - -b",
        "[[1, 2], [3, 4]]",
        "max(0, z)",
        "log(x, 2)",
        "x^y^z",
        "(x^y)^z",
        "1/2*(a - y)^2",
        "3.4e-2*z",
    ],
)
def test_text_rendering_round_trips(typed):
    node = parse(typed)
    assert parse(render_text(node)) == node


def test_implicit_multiplication_and_names():
    assert check("a*y", "ay").verdict == "correct"  # split into known variables
    assert check("a*(1-a)", "a(1-a)").verdict == "correct"
    assert check("b*eta", "beta").verdict == "incorrect"  # beta is β, not b·η
    assert check("2*sigma(z)", "2 σ(z)").verdict == "correct"
    assert check("eps", "epsilon").verdict == "correct"
    assert check("eps", "ε").verdict == "correct"
    assert check("beta_1", "β1").verdict == "correct"
    assert check("y_hat", "ŷ").verdict == "correct"
    assert check("exp(z)", "e^z").verdict == "correct"
    assert check("log(z)", "ln z").verdict == "correct"


def test_latex_habits():
    assert preview(r"\sigma(z)(1-\sigma(z))") == "σ(z)(1 − σ(z))"
    assert preview(r"\theta - \eta \cdot g") == "θ − η·g"
    assert preview(r"\hat{m}/(\sqrt{\hat{v}} + \epsilon)") == "m̂/(√v̂ + ε)"
    assert preview("w_{12} x_{i}") == "w₁₂·xᵢ"
    assert preview("σ_1 + σ₂") == "σ₁ + σ₂"  # subscripted σ is a variable
    with pytest.raises(ParseError, match="frac"):
        parse(r"\frac{1}{2}")


def test_partial_derivative_notation():
    assert preview("∂C/∂a · ∂a/∂z") == "dC/da·da/dz"
    assert check("dC/dz", "∂C/∂a · ∂a/∂z").verdict == "correct"
    assert check("dC/dz", "∂C/∂a").verdict == "incorrect"


def test_trailing_underscore_and_constants():
    assert parse("w_") == parse("w")
    assert check("e", "e_").verdict == "correct"


def test_concurrent_checks_agree():
    from concurrent.futures import ThreadPoolExecutor

    pairs = [
        ("sigma(z)*(1-sigma(z))", "exp(-z)/(1+exp(-z))^2"),
        ("a - y", "y - a"),
        ("theta - eta*m/(sqrt(v)+eps)", "theta - eta*m/sqrt(v)"),
        ("1/3", "0.333"),
    ] * 6
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda p: check(*p).verdict, pairs))
    assert got == [check(*p).verdict for p in pairs]


def test_adam_epsilon_trap_is_incorrect():
    v = check("theta - eta*m/(sqrt(v)+eps)", "theta - eta*m/sqrt(v)")
    assert v.verdict == "incorrect"
    assert v.expected == "theta - eta*m/(sqrt(v) + eps)"


def test_verdict_dict_is_the_contract():
    v = check("a - y", "y - a")
    assert isinstance(v, Verdict)
    d = v.to_dict()
    assert set(d) == {"verdict", "message", "expected", "answer", "diagnosis"}
    json.dumps(d)
    assert v.pretty == "y − a"


@pytest.mark.parametrize(
    ("expected", "answer", "fragment"),
    [
        ("a - y", "y - a", "sign flipped"),
        ("1/2*(a-y)^2", "(a-y)^2", "off by a constant factor: the answer is twice"),
        ("(a-y)^2", "1/2*(a-y)^2", "half"),
        ("2*(a-y)/n", "2*(a-y)", "off by a factor of n"),
        ("(a-y)*sigma(z)*(1-sigma(z))", "a - y", "missing the activation-derivative factor"),
        ("(a-y)*a*(1-a)", "a - y", "a(1 − a)"),
        ("sigma(z)*(1-sigma(z))", "1 - tanh(z)^2", "derivative of the wrong function"),
        ("1 - tanh(z)^2", "sigma(z)*(1-sigma(z))", "derivative of σ"),
        ("a*(1-a)", "1 - a^2", "derivative of the wrong function"),
        ("sigma(z)*(1-sigma(z))", "sigma(z)", "itself, not its derivative"),
        ("sigma(z)", "sigma(z)*(1-sigma(z))", "this is the derivative of σ"),
        ("z + 1", "z + 2", "differs by a constant"),
        ("(a-y)/(a*(1-a))", "a - y", "one chain-rule factor too many"),
        ("step(z)", "0.01 + 0.99*step(z)", "derivative of leaky ReLU"),
        ("exp(-z)", "2.718^(-z)", "a constant seems rounded"),
        ("z/3", "0.333*z", "a constant seems rounded"),
        # the notes' own slip: tanh′ written 1 − σ²
        ("1 - tanh(z)^2", "1 - sigma(z)^2", "σ written where tanh belongs"),
        ("sigma(z)*(1-sigma(z))", "tanh(z)*(1-tanh(z))", "tanh written where σ belongs"),
        # the notes' sigmoid 1/(1 + e^z) and gradient ascent x + α∇f
        ("1/(1+exp(-z))", "1/(1+e^z)", "with −z in place of z"),
        ("x - alpha*g", "x + alpha*g", "a sign slip"),
    ],
)
def test_diagnosis_of_classic_slips(expected, answer, fragment):
    v = check(expected, answer)
    assert v.verdict == "incorrect"
    assert v.diagnosis is not None and fragment in v.diagnosis, v


@pytest.mark.parametrize("length", [1, 60, 489, 493, 499])
def test_diagnosis_works_for_names_as_long_as_the_parser_allows(length):
    # issue 15: the diagnosis wrote each name into template text and parsed that text again,
    # so a 493-letter name made a template longer than any limit (a LimitError traceback)
    name = "q" * length
    v = check(name, "x")
    assert v.verdict == "incorrect" and len(v.message) < 400  # long names are shortened
    if length + 1 <= 500:
        v = check(name, "-" + name)
        assert v.diagnosis and "sign flipped" in v.diagnosis
    if length + 11 <= 500:
        v = check(f"1-tanh({name})^2", f"1-σ({name})²")
        assert v.diagnosis and "σ written where tanh belongs" in v.diagnosis


def test_tanh_with_sigma_names_the_ambiguous_notation_not_an_error_of_the_notes():
    v = check("1 - tanh(z)^2", "1 − σ(z)²")
    assert v.verdict == "incorrect"
    assert "σ written where tanh belongs" in v.diagnosis  # typed, σ is the sigmoid
    assert "ambiguous notation" in v.diagnosis and "σ^m" in v.diagnosis
    assert "slip" not in v.diagnosis
    # a plain sigmoid derivative for tanh′ keeps its own diagnosis
    v = check("1 - tanh(z)^2", "sigma(z)*(1 - sigma(z))")
    assert "derivative of σ" in v.diagnosis and "ambiguous" not in v.diagnosis


def test_no_diagnosis_when_no_known_slip():
    v = check("sigma(z)", "z^3 + 1")
    assert v.verdict == "incorrect" and v.diagnosis is None


def test_number_tolerance_is_configurable():
    assert check("100", "100.4").verdict == "correct"  # 0.4 %
    assert check("100", "100.6").verdict == "incorrect"  # 0.6 %
    assert check("100", "100.6", rel_tol=0.01).verdict == "correct"
    assert check("0.01", "0.0104").verdict == "correct"  # absolute 5e-4 below 0.1
    assert check("0.01", "0.0106").verdict == "incorrect"
    assert check("0.01", "0.0106", abs_tol=1e-3).verdict == "correct"
    assert check("1/3", "0.333", kind="expression").verdict == "incorrect"
    with pytest.raises(ValueError):
        check("1", "1", rel_tol=-1)
    with pytest.raises(ValueError):
        check("1", "1", kind="fuzzy")


def test_number_slips():
    assert "rounded too coarsely" in check("0.7310586", "0.7").diagnosis
    assert "sign flipped" in check("0.25", "-0.25").diagnosis
    assert "power of ten" in check("0.25", "2.5").diagnosis


def test_variables_restrict_names():
    assert check("z", "z", variables=["z"]).verdict == "correct"
    v = check("z", "q + z - q", variables="z")
    assert v.verdict == "invalid" and "q" in v.message
    assert check("eps", "ε", variables=["epsilon"]).verdict == "correct"
    with pytest.raises(ValueError, match="too long"):
        check("z", "z", variables="z," * 300)
    with pytest.raises(ValueError, match="too many variables"):
        check("z", "z", variables=[f"x_{i}" for i in range(51)])


def test_kinds():
    assert check("0.5", "z", kind="numeric").verdict == "invalid"
    assert check("z", "0.5", kind="numeric").verdict == "invalid"
    v = check("1/3", "0.3", kind="expression")
    assert v.verdict == "incorrect" and "rounded too coarsely" in v.diagnosis
    assert check("[[1,2],[3,4]]", "[[1,2],[3,4]]", kind="matrix").verdict == "correct"
    v = check("[[1,2],[3,4]]", "(1, 2)")
    assert v.verdict == "incorrect" and "expected a 2×2 matrix, got a 2-vector" in v.message
    assert check("z", "(1, 2)").verdict == "incorrect"


def test_invalid_answer_reports_position():
    v = check("z", "(z + 1")
    assert v.verdict == "invalid" and "position 1" in v.message and v.pretty == ""
    assert v.answer == "(z + 1"


def test_invalid_expected_is_invalid_too():
    v = check("__class__", "z")
    assert v.verdict == "invalid" and v.message.startswith("expected answer")


def test_check_value_numbers_vectors_matrices():
    import numpy as np

    assert check_value(0.7310585786, "0.731").verdict == "correct"
    assert check_value(0.7310585786, "σ(1)").verdict == "correct"
    assert check_value(1 / 3, "1/3").verdict == "correct"
    assert check_value([0.5, 0.8], "(0.5, 0.8)").verdict == "correct"
    assert check_value([0.5, 0.8], "0.5, 0.8").verdict == "correct"
    assert check_value(np.array([[0.2, 0.4], [0.3, 0.7]]), "[[0.2,0.4],[0.3,0.7]]").correct
    assert check_value([[0.5, 0.6]], "(0.5, 0.6)").verdict == "correct"  # 1×2 vs 2-vector
    assert check_value([0.3], "0.3").verdict == "correct"


def test_check_value_accepts_space_separated_entries():
    assert check_value([0.5, -0.8], "0.5 -0.8").verdict == "correct"
    assert check_value([[1, 2], [3, 4]], "[[1 2], [3 4]]").verdict == "correct"
    assert check_value([[1, 2], [3, 4]], "[1 2; 3 4]").verdict == "correct"
    assert check_value(-0.3, "0.5 - 0.8").verdict == "correct"  # scalar: arithmetic
    assert check_value([0.5, 0.8], "0.5 - 0.8").verdict == "incorrect"


def test_check_value_diagnoses():
    v = check_value([[0.1, 0.2], [0.3, 0.4]], "[[0.1, 0.3], [0.2, 0.4]]")
    assert v.verdict == "incorrect" and "transposed" in v.diagnosis
    v = check_value([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], "[[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]")
    assert "expected a 2×3 matrix, got a 3×2 matrix" in v.message and "transposed" in v.diagnosis
    v = check_value([0.5, -0.25], "(-0.5, 0.25)")
    assert "sign flipped" in v.diagnosis
    v = check_value([[1.0, 2.0], [3.0, 4.0]], "(1, 2)")
    assert "expected a 2×2 matrix, got a 2-vector" in v.message
    v = check_value(0.5, "z")
    assert v.verdict == "invalid" and "number is expected" in v.message
    v = check_value(0.5, "1/0")  # readable, but with no value: incorrect, not invalid
    assert v.verdict == "incorrect" and "no real value (division by zero)" in v.message
    v = check_value(0.731, "0.7")
    assert "rounded too coarsely" in v.diagnosis


def test_friendly_hints():
    v = check_value(0.5, "0,5")
    assert v.verdict == "invalid" and "write 0.5 with a decimal point" in v.message
    assert check("0.5", "0,5").verdict == "invalid"
    assert check("[[1, 2], [3, 4]]", "[[1 2], [3 4]]").verdict == "correct"
    assert "0.05" in check("0.05", "5%").message
    assert check(0.731, "0.731").verdict == "correct"  # a float expected goes to check_value
    assert check([0.5, 0.8], "(0.5, 0.8)").verdict == "correct"


def test_equivalent():
    assert equivalent("sigma(z)*(1-sigma(z))", "exp(-z)/(1+exp(-z))^2")
    assert not equivalent("theta - eta*m/(sqrt(v)+eps)", "theta - eta*m/sqrt(v)")


def test_to_unicode_accepts_long_content_formulas():
    long = " + ".join(["sigma(z)*(1-sigma(z))"] * 30)
    assert len(long) > 500
    assert to_unicode(long).startswith("σ(z)·(1 − σ(z)) + ")
    with pytest.raises(LimitError):
        preview(long)


def test_common_answers_never_start_the_sympy_worker():
    code = (
        "import sys\n"
        "from studyapp.core.checker import check\n"
        "from studyapp.core.checker import worker\n"
        "for e, a in [('sigma(z)*(1-sigma(z))', 'exp(-z)/(1+exp(-z))^2'), ('a - y', 'y - a'),\n"
        "             ('theta - eta*m/(sqrt(v)+eps)', 'theta - eta*m/sqrt(v)'), ('0.5', '1/2'),\n"
        "             ('[[1,2],[3,4]]', '[[1,3],[2,4]]'), ('max(0,z)', 'relu(z)')]:\n"
        "    check(e, a)\n"
        "print(worker._WORKER is None, 'sympy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_inconclusive_numerics_are_settled_by_the_worker():
    # both sides are undefined for every real z, so only sympy can tell
    assert check("sqrt(-1-z^2)", "sqrt(-(1+z^2))").verdict == "correct"
    assert check("sqrt(-1-z^2)", "sqrt(-2-z^2)").verdict == "incorrect"
