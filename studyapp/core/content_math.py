"""The maths of the content, checked: what ``studyapp content check`` adds to the structure checks.

``maths_problems(content) -> list[str]``, one ``file:line: message`` per problem:

- activations and losses: ``derivative`` equals d/dv of ``formula`` (v = z for activations, a for
  losses); each of ``pieces`` equals ``formula`` where its ``when`` holds; each of
  ``derivative_pieces`` equals d/dv of the function where its ``when`` holds (and that condition
  holds somewhere);
- an entry with ``engine``: its function and d/dv of it agree with ``engine.activations`` or
  ``engine.losses`` (with the entry's ``parameters``), and a loss's ``reduction`` (sum or mean over
  the outputs) agrees with the engine's loss and gradient on three outputs;
- optimizers: the hyperparameters and state are the engine's, and running ``steps`` in order
  reproduces ``engine.optimizers.step`` (θ, state and intermediates) at t = 1, 2 and 5.

Formulas go through the answer checker's whitelisting parser; sympy sees only the trees that
parser built (:func:`studyapp.core.checker.to_sympy.to_sympy`), never text, and only to
differentiate. Values are compared at sampled points at 30 significant digits (relative 1e-9).
sympy, numpy and the engine are imported on first use: loading the content never runs this.
"""

from __future__ import annotations

import operator
import random
import zlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from studyapp.core.checker import CONTENT_LIMITS, ParseError, parse
from studyapp.core.checker.nodes import Node, free_symbols
from studyapp.core.checker.numeric import Undefined, evaluate
from studyapp.core.content import Content, Entry, split_condition

if TYPE_CHECKING:  # the engine is imported only when the content is checked against it
    from engine.activations import Activation
    from engine.losses import Loss

REL, ABS = 1e-9, 1e-12  # agreement of two values (round-off of float64 engines included)
SAMPLES = 6  # points per comparison
TRIES = 400  # draws to find points where a piece's condition holds
RARE = "rare"  # _compare found too few points to decide
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def maths_problems(content: Content) -> list[str]:
    """Every mathematical problem of the content's formulas, as ``file:line: message``."""
    problems: list[str] = []
    for entry in content.entries:
        if not _well_formed(entry):
            continue  # its structure problem is reported by validation; its maths cannot be read
        if entry.topic in ("activations", "losses"):
            problems += _function_problems(entry)
        elif entry.topic == "optimizers" and entry.get("engine"):
            problems += _optimizer_problems(entry)
    return problems


def _well_formed(entry: Entry) -> bool:
    """Whether every formula, condition and table the checks read has the right shape and
    parses (validation has reported whatever does not)."""
    try:
        texts = _formula_texts(entry)
        for step in entry.get("steps") or []:
            texts.append(step["rhs"])
            canonical(step["lhs"])
        if entry.get("reduction") not in (None, "sum", "mean"):
            return False
        for key in ("parameters", "hyperparameters", "symbols"):
            if not isinstance(entry.get(key) or {}, dict):
                return False
        if not all(isinstance(v, (int, float)) for v in (entry.get("parameters") or {}).values()):
            return False
        for text in texts:
            _tree(text)
        for name in entry.get("parameters") or {}:
            canonical(name)
    except (ParseError, TypeError, KeyError, ValueError, AttributeError):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Formulas as checker trees, their values and (via sympy) their derivatives
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _tree(text: str) -> Node:
    return parse(text, limits=CONTENT_LIMITS)


@lru_cache(maxsize=64)
def canonical(name: str) -> str:
    """The checker's name for a content symbol (``beta1`` → ``beta_1``)."""
    (symbol,) = free_symbols(_tree(name))
    return symbol


def _value(text: str, point: dict[str, float]) -> float | None:
    """The formula's value at ``point`` (canonical names), or None where it is undefined."""
    try:
        return float(evaluate(_tree(text), point))
    except Undefined:
        return None


_SYMPY: dict[str, Any] = {}  # canonical name -> sympy Symbol, shared by every converted tree


def sympy_formula(text: str):
    """A content formula as a sympy expression, built from the checker's tree (never from text);
    its symbols are real and shared: ``sympy_symbol(name)`` gives the same object."""
    from studyapp.core.checker.to_sympy import to_sympy

    return to_sympy(_tree(text), _SYMPY)


def sympy_symbol(name: str):
    """The sympy symbol that :func:`sympy_formula` uses for content symbol ``name``."""
    import sympy as sp

    key = canonical(name)
    return _SYMPY.setdefault(key, sp.Symbol(key, real=True))


def _heaviside(x, h0=None):
    return 1 if x > 0 else 0 if x < 0 else (0.5 if h0 is None else h0)


@lru_cache(maxsize=256)
def _derivative(text: str, var: str):
    """d/d(var) of the formula as ``(f(**point) -> number, names)``: sympy differentiates the
    tree the checker built, and the result is compiled once for mpmath (``evalf`` at every point
    would take seconds)."""
    import sympy as sp

    derivative = sp.diff(sympy_formula(text), sympy_symbol(var))
    names = sorted(str(s) for s in derivative.free_symbols)
    fn = sp.lambdify(
        [_SYMPY[n] for n in names], derivative, modules=[{"Heaviside": _heaviside}, "mpmath"]
    )
    return fn, names


def _derivative_value(text: str, var: str, point: dict[str, float]) -> float | None:
    """d/d(var) of the formula at ``point``, or None where it has no real, finite value."""
    import mpmath

    fn, names = _derivative(text, var)
    try:
        value = fn(*(mpmath.mpf(point[n]) for n in names))
    except (ZeroDivisionError, ValueError, OverflowError):
        return None
    if isinstance(value, mpmath.mpc):
        value = value.real if abs(value.imag) <= ABS else None
    if value is None or not mpmath.isfinite(value):
        return None
    return float(value)


def _holds(condition: str, point: dict[str, float]) -> bool:
    lhs, op, rhs = split_condition(condition) or ("0", "=", "1")
    left, right = _value(lhs, point), _value(rhs, point)
    if left is None or right is None or op not in _OPS:
        return False
    return _OPS[op](left, right)


def _close(x: float, y: float) -> bool:
    return abs(x - y) <= max(ABS, REL * max(abs(x), abs(y)))


def _show(point: dict[str, float], *texts: str) -> str:
    """The point, restricted to the symbols of ``texts``: ``z = 0.5, alpha = 0.3``."""
    used = set().union(*(free_symbols(_tree(t)) for t in texts))
    return ", ".join(f"{k} = {v:.4g}" for k, v in sorted(point.items()) if k in used)


# ---------------------------------------------------------------------------------------------
# Activations and losses
# ---------------------------------------------------------------------------------------------


def _variable(entry: Entry) -> str:
    return "z" if entry.topic == "activations" else "a"


def _parameters(entry: Entry) -> dict[str, float]:
    return {canonical(k): float(v) for k, v in (entry.get("parameters") or {}).items()}


def _formula_texts(entry: Entry) -> list[str]:
    texts = [entry.get(k) for k in ("formula", "derivative") if entry.get(k)]
    for key in ("pieces", "derivative_pieces"):
        for piece in entry.get(key) or []:
            texts.append(piece["value"])
            parts = split_condition(piece["when"])
            if parts is None:
                raise ValueError(f"condition {piece['when']!r}")
            texts += [parts[0], parts[2]]
    return texts


class _Sampler:
    """Random points for one entry: the variable over [−3, 3] and (0, 1), targets in (0, 1),
    [−2, 2] and {−1, 1}, parameters within 40 % of their stated value."""

    def __init__(self, entry: Entry):
        self.var = _variable(entry)
        self.params = _parameters(entry)
        self.names = sorted(set().union(*(free_symbols(_tree(t)) for t in _formula_texts(entry))))
        self.rng = random.Random(zlib.crc32(entry.id.encode()))

    def point(self) -> dict[str, float]:
        rng, out = self.rng, {}
        wide = rng.random() < 0.5
        for name in self.names:
            if name == self.var:
                out[name] = rng.uniform(-3, 3) if wide else rng.uniform(0.02, 0.98)
            elif name == "y":
                out[name] = rng.choice(
                    (rng.uniform(0.05, 0.95), rng.uniform(-2, 2), rng.choice((-1.0, 1.0)))
                )
            elif self.params.get(name):
                out[name] = self.params[name] * rng.uniform(0.6, 1.4)
            else:
                out[name] = rng.uniform(0.2, 2.0)
        return out


def _function_at(entry: Entry, point: dict[str, float]) -> str | None:
    """The text of the entry's function at ``point``: its formula, else the piece that applies."""
    if entry.get("formula"):
        return entry.get("formula")
    for piece in entry.get("pieces") or []:
        if _holds(piece["when"], point):
            return piece["value"]
    return None


def _function_problems(entry: Entry) -> list[str]:
    if not (entry.get("formula") or entry.get("pieces")):
        return []  # vector-valued (softmax, maxout): described in words, checked by tests
    sampler = _Sampler(entry)
    var = sampler.var
    problems: list[str] = []
    formula, derivative = entry.get("formula"), entry.get("derivative")
    if formula and derivative:
        problem = _compare(
            entry,
            sampler,
            lambda p: _derivative_value(formula, var, p),
            lambda p: _value(derivative, p),
            None,
        )
        if problem == RARE:
            problems.append(
                f"{entry.where('formula')}: {entry.id}: the formula {formula!r} is undefined at "
                "nearly every sampled point, so its derivative cannot be checked"
            )
        elif problem:
            expected, got, point = problem
            problems.append(
                f"{entry.where('derivative')}: {entry.id}: derivative {derivative!r} is not "
                f"d/d{var} of the formula {formula!r}: at {_show(point, formula, derivative)} "
                f"d/d{var} gives {expected:.6g}, the derivative {got:.6g}"
            )
    for key, of_derivative in (("pieces", False), ("derivative_pieces", True)):
        for i, piece in enumerate(entry.get(key) or []):
            if key == "pieces" and not formula:
                continue  # the pieces are the definition
            problems += _piece_problems(entry, sampler, key, i, piece, of_derivative)
    if entry.get("engine"):
        problems += _engine_problems(entry)
    return problems


def _compare(entry, sampler, expected_at, got_at, condition):
    """The first sampled point where ``got_at`` differs from ``expected_at`` as
    ``(expected, got, point)``; None when they agree at SAMPLES points; RARE when fewer than 3
    usable points turned up (the condition hardly holds, or the function is hardly defined).
    Points where either side is undefined are skipped."""
    hits = 0
    for _ in range(TRIES):
        point = sampler.point()
        if condition is not None and not _holds(condition, point):
            continue
        function = _function_at(entry, point)
        if function is None or _value(function, point) is None:
            continue  # outside the function's domain (e.g. ln of a negative a)
        expected, got = expected_at(point), got_at(point)
        if expected is None or got is None:
            continue
        if not _close(expected, got):
            return expected, got, point
        hits += 1
        if hits == SAMPLES:
            return None
    return RARE if hits < 3 else None


def _piece_problems(entry, sampler, key, i, piece, of_derivative) -> list[str]:
    var, value = sampler.var, piece["value"]

    def expected_at(point):
        function = _function_at(entry, point)
        if function is None:  # never asked: _compare skips the points outside the function
            return None
        if of_derivative:
            return _derivative_value(function, var, point)
        return _value(function, point)

    problem = _compare(entry, sampler, expected_at, lambda p: _value(value, p), piece["when"])
    where = entry.where(f"{key}[{i}]")
    label = "derivative piece" if of_derivative else "piece"
    if problem == RARE:
        return [
            f"{where}: {entry.id}: {label} {i + 1}: its condition {piece['when']!r} held at "
            f"fewer than 3 of {TRIES} sampled points, so it cannot be checked"
        ]
    if problem:
        expected, got, point = problem
        what = f"d/d{var} of the function" if of_derivative else "the formula"
        return [
            f"{where}: {entry.id}: {label} {i + 1} ({piece['when']}: {value}) disagrees with "
            f"{what}: at {_show(point, value)} it gives {got:.6g}, {what} {expected:.6g}"
        ]
    return []


def _engine_problems(entry: Entry) -> list[str]:
    from engine.activations import ACTIVATIONS
    from engine.losses import LOSSES

    name = entry.get("engine")
    if entry.topic == "activations" and name in ACTIVATIONS:
        return _activation_engine_problems(entry, ACTIVATIONS[name])
    if entry.topic != "activations" and name in LOSSES:
        return _loss_engine_problems(entry, LOSSES[name])
    table = ACTIVATIONS if entry.topic == "activations" else LOSSES
    return [
        f"{entry.where('engine')}: {entry.id}: engine has no {entry.topic[:-1]} {name!r} "
        f"(it has: {', '.join(table)})"
    ]


def _disagreement(entry: Entry, what: str, point: dict, engine_value: float, ours) -> str | None:
    if ours is None or _close(engine_value, ours):
        return None
    return (
        f"{entry.where('engine')}: {entry.id}: {what} disagrees with the engine's "
        f"{entry.get('engine')!r} at {', '.join(f'{k} = {v:.4g}' for k, v in point.items())}: "
        f"the engine gives {engine_value:.6g}, the content {ours:.6g}"
    )


def _activation_engine_problems(entry: Entry, activation: Activation) -> list[str]:
    import numpy as np

    params = _parameters(entry)
    zs = np.array([[-2.5, -0.7, -0.1, 0.2, 1.3, 3.0]])
    values, slopes = activation.value(zs)[0], activation.elementwise_derivative(zs)[0]
    for k, z in enumerate(zs[0].tolist()):
        point = {"z": z, **params}
        function = _function_at(entry, point)
        if function is None:  # no piece applies here (the pieces' own check reports gaps)
            continue
        for what, engine_value, ours in (
            (f"the function {function!r}", values[k], _value(function, point)),
            (f"d/dz of {function!r}", slopes[k], _derivative_value(function, "z", point)),
        ):
            problem = _disagreement(entry, what, {"z": z}, float(engine_value), ours)
            if problem:
                return [problem]
    return []


def _loss_points(loss: Loss, n: int, rng) -> tuple[Any, Any]:
    """A batch of 4 predictions and targets of n outputs, drawn to suit the loss's targets."""
    import numpy as np

    if loss.targets == "sign":
        return rng.uniform(-2, 2, (4, n)), rng.choice([-1.0, 1.0], (4, n))
    if loss.targets == "onehot" and n > 1:
        return rng.uniform(0.05, 0.95, (4, n)), np.eye(n)[rng.integers(0, n, 4)]
    if loss.targets in ("binary", "onehot"):
        return rng.uniform(0.05, 0.95, (4, n)), rng.choice([0.0, 1.0], (4, n))
    return rng.uniform(-2.5, 2.5, (4, n)), rng.uniform(-1, 1, (4, n))


def _loss_engine_problems(entry: Entry, loss: Loss) -> list[str]:
    import numpy as np

    params = _parameters(entry)
    rng = np.random.default_rng(zlib.crc32(entry.id.encode()))
    n = 3
    a, y = _loss_points(loss, n, rng)
    values, grads = loss.value(a, y), loss.grad(a, y)
    reduction = entry.get("reduction")
    for row in range(a.shape[0]):
        per_output: list[float] = []
        slopes: list[float] = []
        for i in range(n):
            point = {"a": float(a[row, i]), "y": float(y[row, i]), **params}
            function = _function_at(entry, point)
            value = _value(function, point) if function else None
            slope = _derivative_value(function, "a", point) if function else None
            if value is None or slope is None:
                break  # undefined at this point: the row says nothing
            per_output.append(value)
            slopes.append(slope)
        if len(per_output) < n:
            continue
        total = {"sum": sum(per_output), "mean": sum(per_output) / n}
        scale = {"sum": 1.0, "mean": 1.0 / n}
        if not _close(float(values[row]), total[reduction]):
            other = "mean" if reduction == "sum" else "sum"
            if _close(float(values[row]), total[other]):
                return [
                    f"{entry.where('reduction')}: {entry.id}: reduction {reduction!r} disagrees "
                    f"with the engine's {entry.get('engine')!r}, which takes the {other} over "
                    f"the {n} outputs"
                ]
            shown = {f"a{i + 1}": a[row, i] for i in range(n)} | {
                f"y{i + 1}": y[row, i] for i in range(n)
            }
            problem = _disagreement(
                entry,
                f"the {reduction} of the per-output loss",
                shown,
                float(values[row]),
                total[reduction],
            )
            return [problem] if problem else []
        for i in range(n):
            problem = _disagreement(
                entry,
                f"∂L/∂a{i + 1} (d/da of the per-output loss × {scale[reduction]:.4g})",
                {"a": float(a[row, i]), "y": float(y[row, i])},
                float(grads[row, i]),
                slopes[i] * scale[reduction],
            )
            if problem:
                return [problem]
    return []


# ---------------------------------------------------------------------------------------------
# Optimizers
# ---------------------------------------------------------------------------------------------


def _optimizer_problems(entry: Entry) -> list[str]:
    import numpy as np

    from engine import optimizers

    name = entry.get("engine")
    if name not in optimizers.OPTIMIZERS:
        return [
            f"{entry.where('engine')}: {entry.id}: engine has no optimizer {name!r} "
            f"(it has: {', '.join(optimizers.OPTIMIZERS)})"
        ]
    opt = optimizers.OPTIMIZERS[name]
    to_engine = dict(entry.get("symbols") or {})
    from_engine = {v: k for k, v in to_engine.items()} | {"params": "theta", "grad": "g"}
    problems = []
    hyper = {to_engine.get(k, k) for k in entry.get("hyperparameters") or {}}
    if hyper != set(opt.defaults):
        problems.append(
            f"{entry.where('hyperparameters')}: {entry.id}: hyperparameters "
            f"{', '.join(sorted(hyper))} are not the engine's {', '.join(sorted(opt.defaults))} "
            "(map differing names in `symbols`)"
        )
    state = {to_engine.get(k, k) for k in entry.get("state") or []}
    if state != set(opt.state_keys):
        problems.append(
            f"{entry.where('state')}: {entry.id}: state {', '.join(sorted(state)) or '(none)'} is "
            f"not the engine's {', '.join(opt.state_keys) or '(none)'}"
        )
    if problems:
        return problems

    rng = np.random.default_rng(zlib.crc32(entry.id.encode()))
    steps = entry.get("steps")
    for t in (1, 2, 5):
        params, grad = rng.normal(size=4), rng.normal(size=4)
        state_values = {
            k: rng.uniform(0.01, 1.0, 4) * (rng.choice([-1, 1], 4) if k in ("velocity", "m") else 1)
            for k in opt.state_keys
        }
        # decay rates stay below 1, so every square root is of a positive number
        hyper_values = {
            k: v * rng.uniform(0.5, 1.0) if k != "eps" else v for k, v in opt.defaults.items()
        }
        new_params, new_state, intermediates = optimizers.step(
            name, params, grad, state_values, hyper_values, t
        )
        engine_after = {"params": new_params, **new_state, **intermediates}
        for k in range(4):
            env = {"t": float(t), canonical("theta"): params[k], canonical("g"): grad[k]}
            for key, column in state_values.items():
                env[canonical(from_engine.get(key, key))] = float(column[k])
            for key, value in hyper_values.items():
                env[canonical(from_engine.get(key, key))] = float(value)
            for i, step in enumerate(steps):
                lhs = canonical(step["lhs"])
                try:
                    env[lhs] = float(evaluate(_tree(step["rhs"]), env))
                except Undefined as exc:
                    return [
                        f"{entry.where(f'steps[{i}]')}: {entry.id}: step {i + 1} "
                        f"({step['lhs']} ← {step['rhs']}) is undefined at t = {t}: {exc}"
                    ]
                engine_name = to_engine.get(step["lhs"], step["lhs"])
                engine_name = "params" if step["lhs"] == "theta" else engine_name
                if engine_name in engine_after and not _close(
                    env[lhs], float(engine_after[engine_name][k])
                ):
                    return [
                        f"{entry.where(f'steps[{i}]')}: {entry.id}: step {i + 1} "
                        f"({step['lhs']} ← {step['rhs']}) disagrees with the engine's {name!r} "
                        f"at t = {t}: it gives {env[lhs]:.6g}, the engine {float(engine_after[engine_name][k]):.6g}"
                    ]
    return []
