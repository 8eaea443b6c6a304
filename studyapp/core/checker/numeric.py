"""High-precision numeric evaluation of checker trees (mpmath), with guards.

Every operation is checked before it runs: ``exp`` of more than 2300, powers whose result
would exceed 10^1000, logs/roots of negatives and divisions by zero make the *point*
undefined (:class:`Undefined`) instead of hanging, overflowing or going complex. So a
hostile formula costs at most a few microseconds per node per point.

:func:`compare_functions` decides whether two scalar formulas are equal as functions by
sampling every variable at many points - positive and negative, magnitudes 1e-3..1e3 - at
40 significant digits, and re-checking any disagreement at 90 digits so that round-off in
an ill-conditioned point is not taken for a real difference; differences below 1e-30
(absolute, or relative above 1) are underflow-level - 1 − σ(300) is 0 at any practical
precision while e^-300 is not - and prove nothing either way. When no point decides, the
caller asks sympy (:mod:`.worker`).
Differences as small as ε = 1e-8 against θ = 1000 (relative 1e-13) are far above the
1e-25 agreement threshold, so ``θ − η·m/(√v + ε)`` vs ``θ − η·m/√v`` is caught.
"""

from __future__ import annotations

import random
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from mpmath.ctx_mp import MPContext

from studyapp.core.checker.nodes import BinOp, Call, Const, Neg, Node, Num, Pow, Sym

LOW_DPS = 40
HIGH_DPS = 90
AGREE_REL = 1e-25  # relative agreement at LOW_DPS that counts as equal
STABLE_REL = 1e-15  # a value is well-conditioned when LOW and HIGH precision agree this well
MAX_EXP_ARG = 2300  # exp(2300) ~ 1e999
MAX_MAG_BITS = 3400  # |value| < 2^3400 ~ 1e1023
MIN_AGREE_POINTS = 6
# Differences below this (absolute, or relative to values above 1) are underflow-level:
# real slips at our sample points differ by far more (θ vs θ − η·m·ε/v: ~1e-12 at worst).
ABS_FLOOR = 1e-30


class Undefined(Exception):
    """The formula has no real, finite value at this point (reason in the message)."""


_local = threading.local()


def context(dps: int) -> MPContext:
    """A per-thread mpmath context at ``dps`` digits (threads never share precision state)."""
    ctxs = getattr(_local, "ctxs", None)
    if ctxs is None:
        ctxs = _local.ctxs = {}
    ctx = ctxs.get(dps)
    if ctx is None:
        ctx = MPContext()
        ctx.dps = dps
        ctxs[dps] = ctx
    return ctx


Evaluator = Callable[[MPContext, dict], object]


def _check(ctx: MPContext, v):
    if not isinstance(v, ctx.mpf):
        raise Undefined("not a real number")
    if ctx.isnan(v) or ctx.isinf(v):
        raise Undefined("not finite")
    if v and ctx.mag(v) > MAX_MAG_BITS:
        raise Undefined("too large")
    return v


def _exp(ctx, x):
    if x > MAX_EXP_ARG:
        raise Undefined("exp overflows")
    return ctx.exp(x)


def _log(ctx, x):
    if x <= 0:
        raise Undefined("log of a number ≤ 0")
    return ctx.log(x)


def _sqrt(ctx, x):
    if x < 0:
        raise Undefined("square root of a negative number")
    return ctx.sqrt(x)


def _sigma(ctx, x):
    if x >= 0:
        return 1 / (1 + _exp(ctx, -x))
    if -x > MAX_EXP_ARG:
        return ctx.zero
    t = ctx.exp(x)
    return t / (1 + t)


def _softplus(ctx, x):
    if x > 0:
        return x + (ctx.log1p(ctx.exp(-x)) if x < MAX_EXP_ARG else ctx.zero)
    return ctx.log1p(ctx.exp(x)) if -x < MAX_EXP_ARG else ctx.zero


def _hyper(fn):
    def f(ctx, x):
        if abs(x) > MAX_EXP_ARG:
            raise Undefined("overflow")
        return getattr(ctx, fn)(x)

    return f


def _trig(fn):
    def f(ctx, x):
        if abs(x) > 1e6:
            raise Undefined("argument too large")
        v = getattr(ctx, fn)(x)
        return v

    return f


def _elu(ctx, x):
    return x if x >= 0 else ctx.expm1(x) if -x < MAX_EXP_ARG else -ctx.one


def _log_base(ctx, x, b):
    lb = _log(ctx, b)
    if not lb:
        raise Undefined("log base 1")
    return _log(ctx, x) / lb


_FUNCS = {
    "sigma": _sigma,
    "exp": _exp,
    "log": lambda ctx, x, b=None: _log(ctx, x) if b is None else _log_base(ctx, x, b),
    "log10": lambda ctx, x: _log(ctx, x) / ctx.ln10,
    "log2": lambda ctx, x: _log(ctx, x) / ctx.ln2,
    "sqrt": _sqrt,
    "tanh": lambda ctx, x: ctx.tanh(x),
    "sinh": _hyper("sinh"),
    "cosh": _hyper("cosh"),
    "sech": lambda ctx, x: ctx.zero if abs(x) > MAX_EXP_ARG else 1 / ctx.cosh(x),
    "sin": _trig("sin"),
    "cos": _trig("cos"),
    "tan": _trig("tan"),
    "abs": lambda ctx, x: abs(x),
    "max": lambda ctx, *xs: max(xs),
    "min": lambda ctx, *xs: min(xs),
    "relu": lambda ctx, x: x if x > 0 else ctx.zero,
    "leaky_relu": lambda ctx, x: x if x > 0 else x * ctx.mpf("0.01"),
    "elu": _elu,
    "softplus": _softplus,
    "swish": lambda ctx, x: x * _sigma(ctx, x),
    "step": lambda ctx, x: ctx.one if x >= 0 else ctx.zero,
    "dsigma": lambda ctx, x: _sigma(ctx, x) * _sigma(ctx, -x),
    "dtanh": lambda ctx, x: 1 / ctx.cosh(x) ** 2 if abs(x) < MAX_EXP_ARG else ctx.zero,
}


def _power(ctx, b, e):
    if not b:
        if e <= 0:
            raise Undefined("0 to a power ≤ 0")
        return ctx.zero
    if b < 0 and e != ctx.floor(e):
        raise Undefined("negative number to a fractional power")
    lm = e * ctx.log(abs(b))
    if lm > MAX_EXP_ARG:
        raise Undefined("power too large")
    if lm < -MAX_EXP_ARG:
        return ctx.zero
    return ctx.power(b, e)


def compile_node(node: Node) -> Evaluator:
    """Turn a scalar tree into ``f(ctx, env) -> mpf`` (raises Undefined); ``env``: name -> mpf."""
    if isinstance(node, Num):
        p, q = node.value.numerator, node.value.denominator
        if q == 1:
            return lambda ctx, env: ctx.mpf(p)
        return lambda ctx, env: ctx.mpf(p) / q
    if isinstance(node, Sym):
        name = node.name
        return lambda ctx, env: env[name]
    if isinstance(node, Const):
        if node.name == "e":
            return lambda ctx, env: ctx.e
        return lambda ctx, env: ctx.pi
    if isinstance(node, Neg):
        f = compile_node(node.arg)
        return lambda ctx, env: -f(ctx, env)
    if isinstance(node, BinOp):
        f, g = compile_node(node.left), compile_node(node.right)
        if node.op == "+":
            return lambda ctx, env: _check(ctx, f(ctx, env) + g(ctx, env))
        if node.op == "-":
            return lambda ctx, env: _check(ctx, f(ctx, env) - g(ctx, env))
        if node.op == "*":
            return lambda ctx, env: _check(ctx, f(ctx, env) * g(ctx, env))

        def div(ctx, env):
            den = g(ctx, env)
            if not den:
                raise Undefined("division by zero")
            return _check(ctx, f(ctx, env) / den)

        return div
    if isinstance(node, Pow):
        g = compile_node(node.exp)
        if isinstance(node.base, Const) and node.base.name == "e":
            return lambda ctx, env: _check(ctx, _exp(ctx, g(ctx, env)))
        f = compile_node(node.base)
        return lambda ctx, env: _check(ctx, _power(ctx, f(ctx, env), g(ctx, env)))
    if isinstance(node, Call):
        fn = _FUNCS[node.func]
        args = [compile_node(a) for a in node.args]
        if len(args) == 1:
            a0 = args[0]
            return lambda ctx, env: _check(ctx, fn(ctx, a0(ctx, env)))
        return lambda ctx, env: _check(ctx, fn(ctx, *(a(ctx, env) for a in args)))
    raise TypeError(f"cannot evaluate {type(node).__name__} as a scalar")


def evaluate(node: Node, env: dict[str, float] | None = None, dps: int = 30):
    """Value of a scalar tree as an mpf at ``dps`` digits (raises Undefined)."""
    ctx = context(dps)
    values = {k: ctx.mpf(v) for k, v in (env or {}).items()}
    return compile_node(node)(ctx, values)


# --------------------------------------------------------------------------- sampling


def sample_points(names: list[str], seed_text: str, count: int = 24) -> list[dict[str, float]]:
    """Points at which to compare two formulas (deterministic for the same pair of texts).

    Four bands, a quarter of the points each: all variables in (0.05, 0.95) (probabilities,
    sigmoid outputs); |x| in [0.1, 10] with random signs; |x| in [1e-3, 1e3] positive; and
    |x| in [1e-3, 1e3] with random signs. Values are floats, so exact at any precision.
    """
    rng = random.Random(zlib.crc32(seed_text.encode("utf-8", "surrogatepass")))
    points: list[dict[str, float]] = []
    band = max(1, count // 4)
    for k in range(count):
        which = min(k // band, 3)
        point = {}
        for name in names:
            if which == 0:
                x = rng.uniform(0.05, 0.95)
            elif which == 1:
                x = 10 ** rng.uniform(-1, 1) * rng.choice((-1, 1))
            elif which == 2:
                x = 10 ** rng.uniform(-3, 3)
            else:
                x = 10 ** rng.uniform(-3, 3) * rng.choice((-1, 1))
            point[name] = x
        points.append(point)
    return points


@dataclass
class Comparison:
    """Outcome of comparing two scalar formulas at sample points.

    status: "equal" (agree at >= MIN_AGREE_POINTS well-defined points, never differ),
    "different" (a well-conditioned point where they differ), or "unsure" (too few points
    where both are defined). ``samples`` holds (point, expected, answer) for every point
    where both were defined and well-conditioned (mpf values at LOW_DPS), for diagnosis.
    ``witness`` is one differing sample.
    """

    status: str
    agree: int = 0
    differ: int = 0
    undefined: int = 0
    expected_defined: int = 0
    answer_defined: int = 0
    samples: list = field(default_factory=list)
    witness: tuple | None = None


def _close(x, y, rel: float) -> bool:
    if x == y:
        return True
    return abs(x - y) <= rel * max(abs(x), abs(y))


def _eval_or_none(fn: Evaluator, ctx, env):
    try:
        return fn(ctx, env)
    except Undefined:
        return None
    except (ZeroDivisionError, OverflowError, ValueError):
        return None


def compare_functions(
    expected: Node, answer: Node, names: list[str], seed_text: str, count: int = 24
) -> Comparison:
    """Compare two scalar formulas in the variables ``names`` (see module docstring)."""
    fe, fa = compile_node(expected), compile_node(answer)
    lo, hi = context(LOW_DPS), context(HIGH_DPS)
    result = Comparison("unsure")
    for point in sample_points(names, seed_text, count if names else 1):
        env_lo = {k: lo.mpf(v) for k, v in point.items()}
        e, a = _eval_or_none(fe, lo, env_lo), _eval_or_none(fa, lo, env_lo)
        result.expected_defined += e is not None
        result.answer_defined += a is not None
        if e is None or a is None:
            result.undefined += 1
            continue
        if _close(e, a, AGREE_REL):
            result.agree += 1
            result.samples.append((point, e, a))
            continue
        env_hi = {k: hi.mpf(v) for k, v in point.items()}
        e2, a2 = _eval_or_none(fe, hi, env_hi), _eval_or_none(fa, hi, env_hi)
        if e2 is None or a2 is None:
            result.undefined += 1
            continue
        if _close(e2, a2, AGREE_REL * 1e-40):
            result.agree += 1
            result.samples.append((point, e, a))
            continue
        tiny = abs(e2 - a2) <= ABS_FLOOR * max(1, abs(e2), abs(a2))
        if _close(e, e2, STABLE_REL) and _close(a, a2, STABLE_REL) and not tiny:
            result.differ += 1
            result.samples.append((point, e, a))
            if result.witness is None:
                result.witness = (point, e, a)
        # else: round-off or underflow dominates at this point (1 − σ(300) is 0 at any
        # practical precision while e^-300 is not); it proves nothing either way
    if result.differ:
        result.status = "different"
    elif result.expected_defined >= MIN_AGREE_POINTS and result.answer_defined == 0:
        # the expected formula has real values, the answer has none anywhere: not equal
        result.status = "different"
    elif result.agree >= (MIN_AGREE_POINTS if names else 1):
        result.status = "equal"
    return result
