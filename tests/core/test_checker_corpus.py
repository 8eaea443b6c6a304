"""Corpora built from the course notes: equivalent pairs, non-equivalent pairs, hostile inputs."""

from __future__ import annotations

import os
import time

import pytest

from studyapp.core.checker import check

# (expected, answer) pairs that must be judged correct.
EQUIVALENT = [
    # sigmoid and its derivative
    ("1/(1+exp(-z))", "sigma(z)"),
    ("1/(1+exp(-z))", "σ(z)"),
    ("1/(1+exp(-z))", "exp(z)/(1+exp(z))"),
    ("1/(1+e^(-z))", "e^z/(e^z+1)"),
    ("sigma(z)*(1-sigma(z))", "exp(-z)/(1+exp(-z))^2"),
    ("sigma(z)*(1-sigma(z))", "σ(z)(1−σ(z))"),
    ("sigma(z)*(1-sigma(z))", "sigmoid(z) - sigmoid(z)^2"),
    ("sigma(z)*(1-sigma(z))", "σ'(z)"),
    ("sigma(z)*(1-sigma(z))", "e^-z/(1+e^-z)²"),
    ("sigma(z)*(1-sigma(z))", "1/(2 + exp(z) + exp(-z))"),
    ("a*(1-a)", "a - a^2"),
    ("a*(1-a)", "a(1−a)"),
    # tanh
    ("tanh(z)", "(exp(z)-exp(-z))/(exp(z)+exp(-z))"),
    ("tanh(z)", "2*sigma(2z) - 1"),
    ("1 - tanh(z)^2", "sech(z)^2"),
    ("1 - tanh(z)^2", "tanh²(z)·(-1) + 1"),
    ("1 - tanh(z)^2", "1 - tanh^2(z)"),
    ("1 - tanh(z)^2", "4/(exp(z)+exp(-z))^2"),
    ("1 - a^2", "(1-a)(1+a)"),
    # relu family, softplus, swish
    ("max(0, z)", "relu(z)"),
    ("max(0, z)", "(z + abs(z))/2"),
    ("max(0, z)", "(z+|z|)/2"),
    ("ln(1+exp(z))", "softplus(z)"),
    ("ln(1+exp(z))", "log(1 + e^z)"),
    ("sigma(z)", "softplus'(z)"),
    ("z*sigma(z)", "swish(z)"),
    ("z*sigma(z)", "z/(1+exp(-z))"),
    ("max(0.01*z, z)", "leaky_relu(z)"),
    # losses and their derivatives
    ("1/2*(a-y)^2", "(y-a)^2/2"),
    ("1/2*(a-y)^2", "½(a − y)²"),
    ("1/2*(a-y)^2", "0.5*(a^2 - 2*a*y + y^2)"),
    ("a - y", "-(y - a)"),
    ("a - y", "−y + a"),
    ("(y-1)*log(1-a) - y*log(a)", "-(y*ln(a) + (1-y)*ln(1-a))"),
    ("(a-y)/(a*(1-a))", "-(y/a) + (1-y)/(1-a)"),
    ("(a-y)/(a*(1-a))", "(a - y)/(a - a^2)"),
    ("-y/a + (1-y)/(1-a)", "(a-y)/(a(1-a))"),
    ("(a-y)^2/n", "(y-a)(y-a)/n"),
    ("2*(a-y)/n", "2(a-y)/n"),
    ("2*(a-y)/n", "(2a - 2y)/n"),
    ("max(0, 1 - y*a)", "max(1 - a y, 0)"),
    ("abs(a-y)", "|y - a|"),
    ("abs(a-y)", "sqrt((a-y)^2)"),
    # chain rule / backprop deltas
    ("(a-y)*sigma(z)*(1-sigma(z))", "(a - y)·σ(z)·(1 − σ(z))"),
    ("(a-y)*a*(1-a)", "a(1-a)(a-y)"),
    ("(a-y)*(1-tanh(z)^2)", "(a-y)sech(z)^2"),
    ("w*delta*sigma(z)*(1-sigma(z))", "δ w σ(z)(1-σ(z))"),
    # optimizers (Ruder's forms)
    ("theta - eta*g", "θ − η g"),
    ("gamma*v - eta*g", "-(eta g - γ v)"),
    ("theta - eta*g/sqrt(G + eps)", "θ − η/√(G + ε)·g"),
    ("rho*Eg2 + (1-rho)*g^2", "ρ Eg2 + g² − ρ g²"),
    ("beta1*m + (1-beta1)*g", "β₁m + (1 − β₁)g"),
    ("beta2*v + (1-beta2)*g^2", "beta_2 v + (1-beta_2) g**2"),
    ("m/(1-beta1^t)", "m/(1 - β₁^t)"),
    ("theta - eta*m_hat/(sqrt(v_hat)+eps)", "θ − η m̂/(√v̂ + ε)"),
    ("theta - eta*m_hat/(sqrt(v_hat)+eps)", "theta - eta/(sqrt(vhat) + epsilon)*mhat"),
    (
        "theta - eta*(m/(1-beta1^t))/(sqrt(v/(1-beta2^t))+eps)",
        "theta - eta*m*sqrt(1-beta2^t)/((1-beta1^t)*(sqrt(v) + eps*sqrt(1-beta2^t)))",
    ),
    (
        "theta - eta*(m/(1-beta1^t))/(sqrt(v/(1-beta2^t))+eps)",
        "theta - (eta*sqrt(1-beta2^t)/(1-beta1^t)) * m/(sqrt(v) + eps*sqrt(1-beta2^t))",
    ),
    ("-sqrt(Edx2 + eps)/sqrt(Eg2 + eps)*g", "−g·√(Edx2 + ε)/√(Eg2 + ε)"),
    # numbers (tolerance)
    ("0.7310585786", "0.731"),
    ("0.7310585786", "sigma(1)"),
    ("1/3", "0.333"),
    ("0.0345", "0.035"),
    ("0.034", "3.4e-2"),
    ("2.5", "5/2"),
    ("-0.5", "-1/2"),
    ("0.2", "0.2004"),
    # vectors and matrices
    ("(0.5, 0.8)", "[0.5, 0.8]"),
    ("[[0.2, 0.4], [0.3, 0.7]]", "[[0.2,0.4],[0.3,0.7]]"),
    ("[[1, 2], [3, 4]]", "[1, 2; 3, 4]"),
    ("(sigma(z), 1 - sigma(z))", "(1/(1+exp(-z)), sigma(-z))"),
]

# (expected, answer) pairs that must be judged incorrect.
NOT_EQUIVALENT = [
    ("theta - eta*m/(sqrt(v)+eps)", "theta - eta*m/sqrt(v)"),
    ("theta - eta*m/(sqrt(v)+1e-8)", "theta - eta*m/sqrt(v)"),
    ("theta - eta*m_hat/(sqrt(v_hat)+eps)", "theta - eta*m_hat/sqrt(v_hat + eps)"),
    ("theta - eta*(m/(1-beta1^t))/(sqrt(v/(1-beta2^t))+eps)", "theta - eta*m/(sqrt(v)+eps)"),
    ("theta - eta*g", "theta + eta*g"),
    ("theta - eta*g/sqrt(G + eps)", "theta - eta*g/(G + eps)"),
    ("gamma*v - eta*g", "gamma*v + eta*g"),
    ("beta1*m + (1-beta1)*g", "beta1*m + (1-beta1)*g^2"),
    ("beta2*v + (1-beta2)*g^2", "beta2*v + (1-beta2)*g"),
    ("m/(1-beta1^t)", "m/(1-beta1)"),
    ("rho*Eg2 + (1-rho)*g^2", "rho*Eg2 + (1-rho)*g"),
    ("sigma(z)*(1-sigma(z))", "sigma(z)"),
    ("sigma(z)*(1-sigma(z))", "1 - sigma(z)^2"),
    ("sigma(z)*(1-sigma(z))", "1 - tanh(z)^2"),
    ("sigma(z)*(1-sigma(z))", "sigma(z)*(1+sigma(z))"),
    ("1/(1+exp(-z))", "1/(1+exp(z))"),
    ("1 - tanh(z)^2", "1 - tanh(z)"),
    ("1 - tanh(z)^2", "tanh(z)"),
    ("1 - a^2", "a*(1-a)"),
    ("a*(1-a)", "1 - a^2"),
    ("max(0, z)", "z"),
    ("max(0, z)", "max(0.001, z)"),
    ("ln(1+exp(z))", "exp(z)"),
    ("z*sigma(z)", "sigma(z)"),
    ("a - y", "y - a"),
    ("1/2*(a-y)^2", "(a-y)^2"),
    ("(a-y)^2/n", "(a-y)^2"),
    ("2*(a-y)/n", "2*(a-y)"),
    ("2*(a-y)/n", "(a-y)/n"),
    ("(a-y)/(a*(1-a))", "(a-y)/a"),
    ("(y-1)*log(1-a) - y*log(a)", "y*log(a) + (1-y)*log(1-a)"),
    ("(a-y)*sigma(z)*(1-sigma(z))", "a - y"),
    ("(a-y)*a*(1-a)", "a - y"),
    ("(a-y)*(1-tanh(z)^2)", "(a-y)*sigma(z)*(1-sigma(z))"),
    ("abs(a-y)", "a - y"),
    ("max(0, 1 - y*a)", "1 - y*a"),
    ("0.7310585786", "0.7"),
    ("0.7310585786", "-0.731"),
    ("0.25", "0.5"),
    ("1/3", "0.3"),
    ("(0.5, 0.8)", "(0.8, 0.5)"),
    ("[[0.2, 0.4], [0.3, 0.7]]", "[[0.2, 0.3], [0.4, 0.7]]"),
    ("[[1, 2], [3, 4]]", "(1, 2)"),
    ("(0.5, 0.8)", "(0.5, 0.8, 0.1)"),
]

# Inputs that must come back "invalid" or "incorrect", fast, with no file left behind.
ADVERSARIAL = [
    "__import__('os').system('touch pwned')",
    "__import__",
    "().__class__.__bases__[0].__subclasses__()",
    "().__class__",
    "z.__class__",
    "lambda: 0",
    "lambda x: x",
    'exec(\'open("pwned","w")\')',
    "eval('1+1')",
    "open('pwned', 'w')",
    "os.system('ls')",
    "import os",
    "sys.exit(1)",
    "globals()",
    "getattr(z, 'real')",
    "[x for x in range(10**9)]",
    "9^9^9^9",
    "9**9**9**9",
    "2^2^2^2^2^2",
    "z^(10^10)",
    "10^1000000",
    "1e999999999",
    "1e400",
    "99999999999999999999999999999999999999999999999999",
    "100000!",
    "factorial(100000)",
    "exp(exp(exp(exp(exp(z)))))",
    "z^z^z^z^z^z",
    "(" * 1000 + "z" + ")" * 1000,
    "(" * 40 + "z" + ")" * 40,
    "-" * 400 + "z",
    "z" + "+z" * 300,
    "z" * 1_000_000,
    "1" * 1_000_000,
    "\x00",
    "z\x00+1",
    "\udcff\udcfe",
    "z\ud800",
    "\u202e z",
    "",
    "   ",
    "((z)",
    "z))",
    "[1, [2, 3]]",
    "sigma(sigma(sigma(sigma(sigma(sigma(sigma(sigma(sigma(sigma(z))))))))))" * 5,
    "max(" + ",".join(["z"] * 200) + ")",
    "log(0)",
    "1/0",
    "sqrt(-1)",
    "{}",
    "`ls`",
    "$(rm -rf /)",
    "z; import os",
    "\\frac{1}{2}",
    # many entries that each need sympy: one shared time budget, not one each
    "[" + ", ".join(f"sqrt(-{k}-z^2)" for k in range(1, 30)) + "]",
]


@pytest.mark.parametrize(("expected", "answer"), EQUIVALENT)
def test_equivalent_pairs_are_correct(expected, answer):
    verdict = check(expected, answer)
    assert verdict.verdict == "correct", verdict


@pytest.mark.parametrize(("expected", "answer"), NOT_EQUIVALENT)
def test_non_equivalent_pairs_are_incorrect(expected, answer):
    verdict = check(expected, answer)
    assert verdict.verdict == "incorrect", verdict


def test_corpora_sizes():
    assert len(EQUIVALENT) >= 60
    assert len(NOT_EQUIVALENT) >= 40
    assert len(ADVERSARIAL) >= 40


@pytest.mark.parametrize("hostile", ADVERSARIAL, ids=lambda s: repr(s[:30]))
def test_adversarial_inputs_are_rejected_quickly_and_leave_nothing(hostile, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for expected, answer in (("z", hostile), (hostile, "z")):
        start = time.perf_counter()
        verdict = check(expected, answer)
        elapsed = time.perf_counter() - start
        assert verdict.verdict in ("invalid", "incorrect"), (hostile[:50], verdict)
        assert elapsed < 3.0, (hostile[:50], elapsed)
        assert len(verdict.message) < 600
    assert os.listdir(tmp_path) == []


def test_vector_of_slow_entries_shares_one_time_budget():
    expected = "[" + ", ".join(f"sqrt(-{k}-z^2)" for k in range(1, 30)) + "]"
    answer = "[" + ", ".join(f"sqrt(-{k + 1}-z^2)" for k in range(1, 30)) + "]"
    start = time.perf_counter()
    verdict = check(expected, answer)
    assert verdict.verdict == "incorrect"
    assert time.perf_counter() - start < 3.0


def _course_formulas():
    import sympy as sp

    z, a, y, t, m, v, g = sp.symbols("z a y t m v g", real=True)
    b1, b2, eta, eps, th = sp.symbols("beta1 beta2 eta eps theta", real=True)

    def s(x):
        return 1 / (1 + sp.exp(-x))

    return sp, [
        s(z) * (1 - s(z)),
        1 - sp.tanh(z) ** 2,
        sp.log(1 + sp.exp(z)),
        (a - y) / (a * (1 - a)),
        (y - 1) * sp.log(1 - a) - y * sp.log(a),
        z * s(z),
        (a - y) ** 2 / 2,
        th - eta * (m / (1 - b1**t)) / (sp.sqrt(v / (1 - b2**t)) + eps),
        (a - y) * s(z) * (1 - s(z)),
        b1 * m + (1 - b1) * g,
        th - eta * g / sp.sqrt(v + eps),
    ]


def _text(expr) -> str:
    return str(expr).replace("E", "e")  # sympy prints Euler's number as E


def test_sympy_rewrites_of_course_formulas_are_correct():
    sp, formulas = _course_formulas()
    rewrites = [sp.expand, sp.factor, sp.together, sp.cancel, lambda e: e.rewrite(sp.exp)]
    checked = 0
    for expr in formulas:
        for rewrite in rewrites:
            other = _text(rewrite(expr))
            if len(other) > 500:
                continue
            verdict = check(_text(expr), other)
            assert verdict.verdict == "correct", (_text(expr), other, verdict.message)
            checked += 1
    assert checked >= 40


def test_tiny_perturbations_of_course_formulas_are_incorrect():
    sp, formulas = _course_formulas()
    for expr in formulas:
        first = sorted(expr.free_symbols, key=str)[0]
        for other in (
            expr + sp.Rational(1, 10**6),
            expr * (1 + sp.Rational(1, 10**9)),
            expr.subs(first, first * (1 + sp.Rational(1, 10**7))),
        ):
            verdict = check(_text(expr), _text(other))
            assert verdict.verdict == "incorrect", (_text(expr), _text(other))
