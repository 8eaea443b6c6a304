"""The maths of the content: `content_math.maths_problems` (what `studyapp content check` runs)
finds nothing in the shipped content and catches every class of slip; and the claims the content
makes in words (softmax Jacobian, SELU's constants, the adaptive loss's special cases, the worked
example's numbers, the LaTeX shown beside each typed formula) are true.

Formulas reach sympy only through the checker's parser (``content_math.sympy_formula``).
"""

from __future__ import annotations

import copy
import math
import random
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from studyapp.core.checker import CONTENT_LIMITS, parse
from studyapp.core.checker.numeric import Undefined, evaluate
from studyapp.core.content import Content, load_content
from studyapp.core.content_math import canonical, maths_problems, sympy_formula, sympy_symbol

CONTENT = load_content(include_user=False)


def test_the_shipped_content_has_no_mathematical_problem():
    assert maths_problems(CONTENT) == []


def _with(entry_id: str, key: str, value) -> Content:
    """A copy of the content with one field of one entry replaced (``key`` may be
    ``"steps[2].rhs"`` for a nested value)."""
    entries = []
    for entry in CONTENT.entries:
        if entry.id == entry_id:
            entry = copy.deepcopy(entry)
            m = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", key)
            if m:
                entry.fields[m.group(1)][int(m.group(2))][m.group(3)] = value
            else:
                entry.fields[key] = value
        entries.append(entry)
    return Content(entries, CONTENT.errata, CONTENT.recommendations, CONTENT.files)


@pytest.mark.parametrize(
    "entry_id, key, value, at, message",
    [
        # the notes' own slips: reported at the derivative, and the engine disagrees too
        ("act.sigmoid", "formula", "1/(1 + exp(z))", "derivative", "is not d/dz of the formula"),
        ("act.sigmoid", "formula", "1/(1 + exp(z))", "engine", "disagrees with the engine's"),
        ("act.tanh", "derivative", "1 - sigma(z)^2", "derivative", "'1 - sigma(z)^2' is not d/dz"),
        ("loss.half_sse", "derivative", "y - a", "derivative", "'y - a' is not d/da"),
        # pieces, parameters, the engine and the reduction
        (
            "act.selu",
            "derivative_pieces[0].value",
            "alpha*exp(z)",
            "derivative_pieces[0]",
            "piece 1",
        ),
        ("act.leaky_relu", "pieces[0].value", "z", "pieces[0]", "(z < 0: z) disagrees"),
        ("act.elu", "parameters", {"alpha": 2.0}, "engine", "disagrees with the engine's 'elu'"),
        ("act.relu", "engine", "relu6", "engine", "engine has no activation 'relu6'"),
        ("loss.bce", "reduction", "mean", "reduction", "'mean' disagrees with the engine's 'bce'"),
        ("loss.mse", "reduction", "sum", "reduction", "takes the mean over the 3 outputs"),
        ("loss.huber", "derivative_pieces[1].value", "1", "derivative_pieces[1]", "piece 2"),
        # optimizer rules against engine.optimizers
        ("opt.adam", "steps[2].rhs", "m", "steps[2]", "step 3 (m_hat ← m) disagrees"),
        ("opt.rmsprop", "steps[1].rhs", "theta + eta*g/sqrt(Eg2 + eps)", "steps[1]", "step 2"),
        ("opt.batch_gd", "steps[0].rhs", "theta + eta*g", "steps[0]", "(theta ← theta + eta*g)"),
        ("opt.adadelta", "steps[1].rhs", "-sqrt(Edx2 + eps)/sqrt(Eg2)*g", "steps[1]", "step 2"),
        ("opt.momentum", "hyperparameters", {"eta": 0.01}, "hyperparameters", "gamma, lr"),
    ],
)
def test_every_kind_of_slip_is_caught_at_its_line(entry_id, key, value, at, message):
    problems = maths_problems(_with(entry_id, key, value))
    where = CONTENT.by_id[entry_id].where(at)
    assert any(p.startswith(f"{where}: {entry_id}: ") and message in p for p in problems), (
        f"{entry_id}.{key} = {value!r}: expected {where}: …{message}…, got {problems}"
    )
    assert all(f": {entry_id}: " in p for p in problems), problems  # nothing else is blamed


@pytest.mark.parametrize(
    "entry_id, key, value",
    [
        ("act.sigmoid", "formula", "1/(1 + exp(-z)"),
        ("act.relu", "pieces", ["z < 0"]),
        ("act.relu", "derivative_pieces", [{"when": "z", "value": "1"}, {"when": "z > 0"}]),
        ("act.elu", "parameters", "alpha"),
        ("act.swish", "parameters", {"beta": "one"}),
        ("loss.mse", "reduction", "median"),
        ("opt.adam", "steps", ["m = beta1*m"]),
        ("opt.adam", "steps", [{"lhs": "m m", "rhs": "g"}]),
        ("opt.sgd", "engine", 3),
        ("opt.sgd", "symbols", ["eta"]),
    ],
)
def test_malformed_entries_are_left_to_validation_not_a_traceback(entry_id, key, value):
    # validation reports these as file:line problems; the maths check must not crash on them
    problems = maths_problems(_with(entry_id, key, value))
    assert isinstance(problems, list)


def test_formulas_reach_sympy_only_through_the_checker():
    import studyapp.core.content_math as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert not re.search(r"sympify|parse_expr|\beval\(", source)


# ---------------------------------------------------------------------------------------------
# Claims made in words
# ---------------------------------------------------------------------------------------------


def test_softmax_jacobian_claim():
    note = CONTENT.by_id["act.softmax"].fields["derivative_note"]
    assert "s_i(δ_ij − s_j)" in note
    zs = sp.symbols("z1:4", real=True)
    denom = sum(sp.exp(v) for v in zs)
    s = [sp.exp(v) / denom for v in zs]
    point = {zs[0]: 0.3, zs[1]: -1.2, zs[2]: 2.0}
    for i in range(3):
        for j in range(3):
            claim = s[i] * ((1 if i == j else 0) - s[j])
            assert float(sp.diff(s[i], zs[j]).subs(point)) == pytest.approx(
                float(claim.subs(point)), rel=1e-12
            )


def test_softmax_cross_entropy_gradient_claim():
    zs = sp.symbols("z1:4", real=True)
    ys = (sp.Rational(1, 5), sp.Rational(7, 10), sp.Rational(1, 10))  # sums to 1
    denom = sum(sp.exp(v) for v in zs)
    loss = -sum(yi * sp.log(sp.exp(v) / denom) for yi, v in zip(ys, zs, strict=True))
    point = {zs[0]: 0.5, zs[1]: -0.4, zs[2]: 1.1}
    for i in range(3):
        claim = sp.exp(zs[i]) / denom - ys[i]
        assert float(sp.diff(loss, zs[i]).subs(point)) == pytest.approx(
            float(claim.subs(point)), rel=1e-12
        )


def test_selu_constants_make_mean_zero_variance_one_a_fixed_point():
    # Klambauer et al.: for z ~ N(0, 1), E[selu(z)] = 0 and E[selu(z)²] = 1
    selu = CONTENT.by_id["act.selu"].fields
    lam, alpha = selu["parameters"]["lam"], selu["parameters"]["alpha"]
    z = np.linspace(-12, 12, 400_001)
    density = np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    f = lam * np.where(z > 0, z, alpha * (np.exp(z) - 1))
    dz = z[1] - z[0]
    assert abs(np.sum(f * density) * dz) < 1e-6
    assert abs(np.sum(f * f * density) * dz - 1) < 1e-6
    assert "1.0507" in selu["derivative_note"] and "λ ≈ 1.0507 and α ≈ 1.6733" in selu["notes"]


def test_adaptive_loss_special_cases():
    rho = sympy_formula(CONTENT.by_id["loss.adaptive"].fields["formula"])
    a, y, alpha, c = (sympy_symbol(k) for k in ("a", "y", "alpha", "c"))

    def at(x, shape):
        return float(rho.subs({a: sp.nsimplify(x), y: 0, c: 1, alpha: shape}))

    for x in (-2.0, 0.3, 1.7):
        assert at(x, 1) == pytest.approx((x * x + 1) ** 0.5 - 1, rel=1e-12)  # pseudo-Huber
        assert at(x, 2 - sp.Rational(1, 10**9)) == pytest.approx(0.5 * x * x, rel=1e-6)  # L2
        assert at(x, -2) == pytest.approx(2 * x * x / (x * x + 4), rel=1e-12)  # Geman-McClure
        assert at(x, sp.Rational(1, 10**9)) == pytest.approx(math.log(0.5 * x * x + 1), rel=1e-6)


def test_worked_example_numbers_match_the_engine():
    from engine import exercises

    example = exercises.preset("seed-2-2-1")
    answers = exercises.solve_backprop(example)
    body = CONTENT.by_id["bp.worked_example"].fields["body"]
    assert f"{answers['delta'][1][0]:.5f}".replace("-", "−") in body  # δ² = −0.05030
    w1 = np.array(answers["grad_weights"][0])
    assert w1.shape == (2, 2)
    for value in w1.ravel():
        assert f"{value:.6f}".replace("-", "−").rstrip("0") in body
    # (W²)ᵀδ² is ∂C/∂a¹, which the notes label ∂J/∂z²
    dc_da1 = np.array(example["weights"][1]).T @ np.array(answers["delta"][1])
    for value in dc_da1:
        assert f"{value:.5f}".replace("-", "−") in body


def _plain_rhs(entry, latex: str) -> str | None:
    """The right-hand side of ``latex`` as checker input, via its plain-text view; None when it is
    not a plain expression (cases, sums, vectors)."""
    from studyapp.core.mathtext import latex_to_plain

    parts = latex_to_plain(latex).split(" = ")
    if len(parts) < 2:
        return None
    rhs = parts[1]
    if entry.fields.get("formula"):
        rhs = rhs.replace("f(z)", f"({entry.fields['formula']})")
    for old, new in (("a^L", "a"), ("y_hat_i", "a"), ("y_hat", "a"), ("y_i", "y"), ("^T", "")):
        rhs = rhs.replace(old, new)
    rhs = re.sub(r"\|([^|]+)\|", r"abs(\1)", rhs)
    if re.search(r"[{};\[\]]|sum|,", rhs):
        return None
    return rhs


def test_latex_agrees_with_the_typed_formula():
    compared = 0
    for entry in CONTENT.topic("activations") + CONTENT.topic("losses"):
        for latex_key, key in (("latex", "formula"), ("derivative_latex", "derivative")):
            if not entry.fields.get(key):
                continue
            rhs = _plain_rhs(entry, entry.fields[latex_key])
            try:
                shown = parse(rhs, limits=CONTENT_LIMITS) if rhs else None
            except ValueError:
                shown = None  # a display-only form (e.g. a named clip function)
            if shown is None:
                continue
            typed = parse(entry.fields[key], limits=CONTENT_LIMITS)
            rng = random.Random(entry.id + key)
            for _ in range(4):
                point = {
                    canonical(k): rng.uniform(0.1, 0.9)
                    for k in ("z", "a", "y", "alpha", "beta", "delta", "c", "lam")
                } | {"n": 1.0}
                try:
                    got = float(evaluate(shown, point))
                except (Undefined, KeyError):
                    break
                assert got == pytest.approx(float(evaluate(typed, point)), rel=1e-9, abs=1e-12), (
                    f"{entry.id}: {latex_key} {entry.fields[latex_key]!r} disagrees with {key}"
                )
            else:
                compared += 1
    assert compared >= 15
