"""Every formula of the content is mathematically right: derivatives equal sympy's derivative of
the formula, pieces agree with the formula, losses and activations agree with the engine, and
every optimizer's equations reproduce ``engine.optimizers.step``.

sympy parses our own stored content here (never user text). Formulas are first checked with the
answer checker's parser when it is importable, else with a strict sympy validation.
"""

from __future__ import annotations

import operator
import random
import re

import numpy as np
import pytest
import sympy as sp
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

from studyapp.core.content import load_content

CONTENT = load_content(include_user=False)
_X = sp.Symbol("x")
NAMES = {
    "z",
    "a",
    "y",
    "alpha",
    "beta",
    "delta",
    "c",
    "n",
    "theta",
    "g",
    "eta",
    "gamma",
    "rho",
    "eps",
    "beta1",
    "beta2",
    "t",
    "v",
    "m",
    "G",
    "Eg2",
    "Edx2",
    "m_hat",
    "v_hat",
    "wd",
}
SYMBOLS = {name: sp.Symbol(name, real=True) for name in NAMES}
FUNCTIONS = {
    "exp": sp.exp,
    "ln": sp.log,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "tanh": sp.tanh,
    "max": sp.Max,
    "min": sp.Min,
    "abs": sp.Abs,
    "sech": sp.sech,
    "sigma": sp.Lambda(_X, 1 / (1 + sp.exp(-_X))),
}
_GLOBALS = {"Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational, "Symbol": sp.Symbol}


def strict_sympy(text: str) -> sp.Expr:
    """Parse a stored formula with sympy, allowing only our names and functions."""
    assert re.fullmatch(r"[A-Za-z0-9_+\-*/^(). ,]+", text), f"unexpected characters in {text!r}"
    expr = parse_expr(
        text,
        local_dict={**SYMBOLS, **FUNCTIONS},
        global_dict=dict(_GLOBALS),
        transformations=standard_transformations + (convert_xor,),
        evaluate=True,
    )
    unknown = {str(s) for s in expr.free_symbols} - NAMES
    assert not unknown, f"{text!r} uses unknown names {unknown}"
    assert not expr.atoms(sp.core.function.AppliedUndef), f"{text!r} calls an unknown function"
    return expr


def all_formulas():
    for e in CONTENT.entries:
        for key in ("formula", "derivative"):
            if e.fields.get(key):
                yield e.id, key, e.fields[key]
        for key in ("pieces", "derivative_pieces"):
            for n, piece in enumerate(e.fields.get(key) or []):
                yield e.id, f"{key}[{n}].value", piece["value"]
                for side in re.split(r"<=|>=|<|>", piece["when"]):
                    yield e.id, f"{key}[{n}].when", side.strip()
        for n, step in enumerate(e.fields.get("steps") or []):
            yield e.id, f"steps[{n}]", step["rhs"]


FORMULAS = list(all_formulas())


def test_there_are_formulas_to_check():
    assert len(FORMULAS) > 80


@pytest.mark.parametrize(
    "entry_id, where, text", FORMULAS, ids=[f"{i}:{w}" for i, w, _ in FORMULAS]
)
def test_formula_parses_with_the_checker_or_strict_sympy(entry_id, where, text):
    try:
        from studyapp.core.checker import CONTENT_LIMITS, parse
    except ImportError:
        parse = None
    if parse is not None:
        parse(text, limits=CONTENT_LIMITS)  # raises ParseError if the checker cannot read it
    strict_sympy(text)  # and it is plain math sympy agrees with


# ---------------------------------------------------------------------------------------------
# Derivatives
# ---------------------------------------------------------------------------------------------


def _variable(entry) -> str:
    return "z" if entry.topic == "activations" else "a"


def _point(entry, rng: random.Random, wide: bool = False) -> dict:
    """Random values for every symbol: the variable over a wide range when ``wide`` (pieces)."""
    values = {
        "z": rng.uniform(-3, 3),
        "a": rng.uniform(-3, 3) if wide else rng.uniform(0.05, 0.95),
        "y": rng.uniform(-1.5, 1.5) if wide else rng.uniform(0.05, 0.95),
        "alpha": rng.uniform(0.1, 0.9),
        "beta": rng.uniform(0.5, 2.0),
        "delta": rng.uniform(0.3, 1.2),
        "c": rng.uniform(0.5, 2.0),
        "n": 3,
    }
    return {SYMBOLS[k]: v for k, v in values.items()}


def _num(expr, point) -> float:
    return float(sp.N(expr.subs(point), 30))


def _holds(when: str, point) -> bool:
    m = re.match(r"^(.*?)(<=|>=|<|>)(.*)$", when)
    ops = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
    return ops[m.group(2)](
        _num(strict_sympy(m.group(1)), point), _num(strict_sympy(m.group(3)), point)
    )


def _function_at(entry, point):
    """The entry's formula, or the piece that applies at ``point``."""
    if entry.fields.get("formula"):
        return strict_sympy(entry.fields["formula"])
    for piece in entry.fields["pieces"]:
        if _holds(piece["when"], point):
            return strict_sympy(piece["value"])
    raise AssertionError(f"{entry.id}: no piece applies at {point}")


SMOOTH = [
    e
    for e in CONTENT.entries
    if e.topic in ("activations", "losses") and e.fields.get("derivative")
]
PIECEWISE = [
    e
    for e in CONTENT.entries
    if e.topic in ("activations", "losses")
    and (e.fields.get("pieces") or e.fields.get("derivative_pieces"))
]


@pytest.mark.parametrize("entry", SMOOTH, ids=[e.id for e in SMOOTH])
def test_derivative_equals_sympy_derivative_of_formula(entry):
    var = SYMBOLS[_variable(entry)]
    f = strict_sympy(entry.fields["formula"])
    d = strict_sympy(entry.fields["derivative"])
    expected = sp.diff(f, var)
    rng = random.Random(entry.id)
    for _ in range(6):
        point = _point(entry, rng)
        assert _num(d, point) == pytest.approx(_num(expected, point), rel=1e-9, abs=1e-12), (
            f"{entry.id}: derivative {entry.fields['derivative']!r} != d/d{var} of {entry.fields['formula']!r}"
        )


@pytest.mark.parametrize("entry", PIECEWISE, ids=[e.id for e in PIECEWISE])
def test_pieces_agree_with_the_formula_and_its_derivative(entry):
    var = SYMBOLS[_variable(entry)]
    rng = random.Random(entry.id)
    for key, derivative in (("pieces", False), ("derivative_pieces", True)):
        for piece in entry.fields.get(key) or []:
            value = strict_sympy(piece["value"])
            hits = 0
            for _ in range(400):
                point = _point(entry, rng, wide=True)
                if not _holds(piece["when"], point):
                    continue
                f = _function_at(entry, point)
                expected = sp.diff(f, var) if derivative else f
                assert _num(value, point) == pytest.approx(
                    _num(expected, point), rel=1e-9, abs=1e-12
                ), f"{entry.id}: {key} {piece} wrong at {point}"
                hits += 1
                if hits == 5:
                    break
            assert hits >= 3, f"{entry.id}: condition {piece['when']!r} almost never holds"


def test_a_wrong_derivative_would_be_caught():
    # the notes' mistakes must fail the same comparison the tests above use
    z, a, y = SYMBOLS["z"], SYMBOLS["a"], SYMBOLS["y"]
    point = {z: 0.3, a: 0.4, y: 0.9}
    assert _num(sp.diff(strict_sympy("(a - y)^2/2"), a), point) != pytest.approx(
        _num(strict_sympy("y - a"), point)
    )
    assert _num(sp.diff(strict_sympy("tanh(z)"), z), point) != pytest.approx(
        _num(strict_sympy("1 - sigma(z)^2"), point)
    )
    wrong_sigmoid = strict_sympy("1/(1 + exp(z))")
    assert _num(sp.diff(wrong_sigmoid, z), point) != pytest.approx(
        _num(strict_sympy("sigma(z)*(1 - sigma(z))"), point)
    )


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
            assert _num(sp.diff(s[i], zs[j]), point) == pytest.approx(_num(claim, point), rel=1e-12)


def test_softmax_cross_entropy_gradient_claim():
    zs = sp.symbols("z1:4", real=True)
    ys = (sp.Rational(1, 5), sp.Rational(7, 10), sp.Rational(1, 10))  # sums to 1
    denom = sum(sp.exp(v) for v in zs)
    loss = -sum(yi * sp.log(sp.exp(v) / denom) for yi, v in zip(ys, zs, strict=True))
    point = {zs[0]: 0.5, zs[1]: -0.4, zs[2]: 1.1}
    for i in range(3):
        claim = sp.exp(zs[i]) / denom - ys[i]
        assert _num(sp.diff(loss, zs[i]), point) == pytest.approx(_num(claim, point), rel=1e-12)


def test_adaptive_loss_special_cases():
    rho = strict_sympy(CONTENT.by_id["loss.adaptive"].fields["formula"])
    a, y, alpha, c = (SYMBOLS[k] for k in ("a", "y", "alpha", "c"))
    for x in (-2.0, 0.3, 1.7):
        base = {a: sp.nsimplify(x), y: 0, c: 1}
        # α = 1: pseudo-Huber / Charbonnier, √(x² + 1) − 1
        assert _num(rho, {**base, alpha: 1}) == pytest.approx((x * x + 1) ** 0.5 - 1, rel=1e-12)
        # α → 2: ½ x²
        assert _num(rho, {**base, alpha: 2 - sp.Rational(1, 10**9)}) == pytest.approx(
            0.5 * x * x, rel=1e-6
        )
        # α = −2: Geman-McClure, 2x²/(x² + 4)
        assert _num(rho, {**base, alpha: -2}) == pytest.approx(2 * x * x / (x * x + 4), rel=1e-12)
        # α → 0: Cauchy, log(½x² + 1)
        import math

        assert _num(rho, {**base, alpha: sp.Rational(1, 10**9)}) == pytest.approx(
            math.log(0.5 * x * x + 1), rel=1e-6
        )


# ---------------------------------------------------------------------------------------------
# Agreement with the engine
# ---------------------------------------------------------------------------------------------

ENGINE_ACTIVATIONS = [
    e
    for e in CONTENT.topic("activations")
    if e.fields.get("engine") and (e.fields.get("formula") or e.fields.get("pieces"))
]
ENGINE_LOSSES = [e for e in CONTENT.topic("losses") if e.fields.get("engine")]


@pytest.mark.parametrize("entry", ENGINE_ACTIVATIONS, ids=[e.id for e in ENGINE_ACTIVATIONS])
def test_activation_matches_engine(entry):
    activations = pytest.importorskip("engine.activations")
    act = activations.ACTIVATIONS[entry.fields["engine"]]
    params = {SYMBOLS[k]: v for k, v in (entry.fields.get("parameters") or {}).items()}
    engine_params = {
        "leaky_relu": {SYMBOLS["alpha"]: activations.LEAKY_SLOPE},
        "elu": {SYMBOLS["alpha"]: activations.ELU_ALPHA},
    }
    params.update(engine_params.get(entry.fields["engine"], {}))
    zs = np.array([[-2.5, -0.7, -0.1, 0.2, 1.3, 3.0]])
    got = act.value(zs)[0]
    got_d = act.derivative(zs)[0]
    for k, zv in enumerate(zs[0]):
        point = {SYMBOLS["z"]: zv, **params}
        f = _function_at(entry, point)
        assert got[k] == pytest.approx(_num(f, point), rel=1e-9, abs=1e-12)
        assert got_d[k] == pytest.approx(_num(sp.diff(f, SYMBOLS["z"]), point), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("entry", ENGINE_LOSSES, ids=[e.id for e in ENGINE_LOSSES])
def test_loss_matches_engine_for_one_output(entry):
    losses = pytest.importorskip("engine.losses")
    loss = losses.LOSSES[entry.fields["engine"]]
    params = {SYMBOLS[k]: v for k, v in (entry.fields.get("parameters") or {}).items()}
    rng = np.random.default_rng(3)
    a = rng.uniform(0.05, 0.95, size=(6, 1))
    if loss.targets == "sign":
        y = rng.choice([-1.0, 1.0], size=(6, 1))
        a = rng.uniform(-2, 2, size=(6, 1))
    elif loss.targets in ("binary", "onehot"):
        y = rng.choice([0.0, 1.0], size=(6, 1))
    else:
        y = rng.uniform(-1, 1, size=(6, 1))
        a = rng.uniform(-2.5, 2.5, size=(6, 1))
    values, grads = loss.value(a, y), loss.grad(a, y)
    for k in range(6):
        point = {SYMBOLS["a"]: float(a[k, 0]), SYMBOLS["y"]: float(y[k, 0]), **params}
        f = _function_at(entry, point)
        assert values[k] == pytest.approx(_num(f, point), rel=1e-9, abs=1e-12)
        assert grads[k, 0] == pytest.approx(
            _num(sp.diff(f, SYMBOLS["a"]), point), rel=1e-9, abs=1e-12
        )


OPTIMIZERS = CONTENT.topic("optimizers")


def _run_steps(entry, values: dict) -> dict:
    """Evaluate the entry's steps in order on numpy arrays (each lhs overwrites its symbol)."""
    env = dict(values)
    for step in entry.fields["steps"]:
        expr = strict_sympy(step["rhs"])
        names = sorted(str(s) for s in expr.free_symbols)
        fn = sp.lambdify([SYMBOLS[n] for n in names], expr, modules="numpy")
        env[step["lhs"]] = np.asarray(fn(*[env[n] for n in names]), dtype=float) * np.ones_like(
            env["theta"]
        )
    return env


@pytest.mark.parametrize("entry", OPTIMIZERS, ids=[e.id for e in OPTIMIZERS])
def test_optimizer_equations_reproduce_the_engine_step(entry):
    try:
        from engine import optimizers
    except ImportError:
        pytest.skip("engine.optimizers is not importable yet (being written by the lead)")
    name = entry.fields.get("engine")
    assert name in optimizers.OPTIMIZERS, f"{entry.id}: engine has no optimizer {name!r}"
    opt = optimizers.OPTIMIZERS[name]
    symbols = entry.fields.get("symbols") or {}
    to_engine = lambda k: symbols.get(k, k)  # noqa: E731
    # the hyperparameters and state are the engine's, under the names the content maps them to
    assert {to_engine(k) for k in entry.fields["hyperparameters"]} == set(opt.defaults)
    assert {to_engine(k) for k in entry.fields.get("state") or []} == set(opt.state_keys)

    rng = np.random.default_rng(abs(hash(entry.id)) % 2**32)
    for t in (1, 2, 5):
        params = rng.normal(size=5)
        grad = rng.normal(size=5)
        state = {
            k: rng.uniform(0.01, 1.0, size=5)
            * (rng.choice([-1, 1], size=5) if k in ("velocity", "m") else 1)
            for k in opt.state_keys
        }
        # decay rates stay below 1 so every square root is of a positive number
        hyper = {k: v * rng.uniform(0.5, 1.0) if k != "eps" else v for k, v in opt.defaults.items()}
        new_params, new_state, intermediates = optimizers.step(name, params, grad, state, hyper, t)

        from_engine = {v: k for k, v in symbols.items()}
        values = {"theta": params, "g": grad, "t": t}
        values.update({from_engine.get(k, k): v for k, v in state.items()})
        values.update({from_engine.get(k, k): v for k, v in hyper.items()})
        env = _run_steps(entry, values)
        assert np.all(np.isfinite(new_params))
        np.testing.assert_allclose(env["theta"], new_params, rtol=1e-12, atol=1e-14)
        for key, value in new_state.items():
            np.testing.assert_allclose(
                env[from_engine.get(key, key)], value, rtol=1e-12, atol=1e-14
            )
        for key, value in intermediates.items():
            if from_engine.get(key, key) in env:
                np.testing.assert_allclose(
                    env[from_engine.get(key, key)], value, rtol=1e-12, atol=1e-14
                )


def test_gradient_descent_goes_downhill():
    # θ − η·g lowers f(θ) = θ² for a small step: the sign the notes got wrong
    entry = CONTENT.by_id["opt.batch_gd"]
    theta = np.array([1.5, -2.0])
    env = _run_steps(entry, {"theta": theta, "g": 2 * theta, "eta": 0.1})
    assert np.all(env["theta"] ** 2 < theta**2)


def test_worked_example_numbers_match_the_engine():
    exercises = pytest.importorskip("engine.exercises")
    answers = exercises.solve_backprop(exercises.preset("seed-2-2-1"))
    body = CONTENT.by_id["bp.worked_example"].fields["body"]
    assert f"{answers['delta'][1][0]:.5f}".replace("-", "−") in body  # δ² = −0.05030
    w1 = np.array(answers["grad_weights"][0])
    assert w1.shape == (2, 2)
    for value in w1.ravel():
        assert f"{value:.6f}".replace("-", "−").rstrip("0") in body


# ---------------------------------------------------------------------------------------------
# The LaTeX shown to learners says the same as the typed formula
# ---------------------------------------------------------------------------------------------


def _latex_rhs_as_sympy(entry, latex: str):
    """The right-hand side of ``latex`` (first ``=``) as sympy, via the plain-text view; None if
    it is not a plain expression (cases, sums over i…)."""
    from sympy.parsing.sympy_parser import implicit_multiplication_application

    from studyapp.core.mathtext import latex_to_plain

    parts = latex_to_plain(latex).split(" = ")
    if len(parts) < 2:
        return None
    rhs = parts[1]
    if entry.fields.get("formula"):
        rhs = rhs.replace("f(z)", f"({entry.fields['formula']})")
    for old, new in (
        ("a^L", "a"),
        ("y_hat_i", "a"),
        ("y_hat", "a"),
        ("y_i", "y"),
        ("^T", ""),
        ("tanh^2(z)", "tanh(z)^2"),
        ("ln(", "log("),
    ):
        rhs = rhs.replace(old, new)
    rhs = re.sub(r"\|([^|]+)\|", r"abs(\1)", rhs)
    if re.search(r"[{};\[\]]|sum|,", rhs):
        return None
    local = {**SYMBOLS, **FUNCTIONS, "e": sp.E, "log": sp.log, "n": sp.Integer(1)}
    try:
        expr = parse_expr(
            rhs,
            local_dict=local,
            global_dict=dict(_GLOBALS),
            transformations=standard_transformations
            + (implicit_multiplication_application, convert_xor),
        )
    except Exception:  # noqa: BLE001 - not every display formula is a plain expression
        return None
    if not expr.free_symbols <= set(SYMBOLS.values()) or expr.atoms(sp.core.function.AppliedUndef):
        return None  # display-only names (e.g. a sum index): not comparable
    return expr


def test_latex_agrees_with_the_typed_formula():
    compared = 0
    for entry in CONTENT.topic("activations") + CONTENT.topic("losses"):
        for latex_key, key in (("latex", "formula"), ("derivative_latex", "derivative")):
            if not entry.fields.get(key):
                continue
            shown = _latex_rhs_as_sympy(entry, entry.fields[latex_key])
            if shown is None:
                continue
            typed = strict_sympy(entry.fields[key])
            rng = random.Random(entry.id + key)
            for _ in range(4):
                point = _point(entry, rng)
                assert _num(shown, point) == pytest.approx(
                    _num(typed, point), rel=1e-9, abs=1e-12
                ), (
                    f"{entry.id}: {latex_key} {entry.fields[latex_key]!r} disagrees with {key} {entry.fields[key]!r}"
                )
            compared += 1
    assert compared >= 15
