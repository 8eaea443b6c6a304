"""High-precision numeric evaluation of checker trees (mpmath), with guards, and the comparison
of two formulas by sampling.

Every operation is checked before it runs: ``exp`` of more than 2300, powers whose result
would exceed 10^1000, logs/roots of negatives and divisions by zero make the *point*
undefined (:class:`Undefined`, whose ``kind`` says why) instead of hanging, overflowing or
going complex. So a hostile formula costs at most a few microseconds per node per point.
Powers follow the principal branch: a negative base to a non-integer power has no real value;
constant subtrees are folded exactly first, so (−8)^(3·(1/3)) is (−8)^1.

:func:`compare_functions` applies the check-answer contract's rule. Points: random reals
inside each symbol's domain (:mod:`.domains`) over several magnitudes, negative ones included,
plus the exact points −2, −3/2, −1, −1/2, 0, 1/2, 1, 2 combined across symbols. A float64 pass
over all of them (:mod:`.vectorized`, ~640 points) finds the telling ones; mpmath at 40 digits
decides there and at 16 other random points where the expected formula is real:

- where the expected formula has no value, the point is skipped;
- where only the answer has none: at an exact point, a removable hole is skipped (next to it
  the answer tends to the expected value, like (x² − 1)/(x − 1) at 1), anything else (a jump,
  no value nearby) proves them different; at a random point, a negative under a root or a log
  or a fractional power of a negative (confirmed at 90 digits) proves them different - the
  answer has no real value on a stretch where the expected formula has one;
- where both have values, a disagreement is re-checked at 90 digits so that round-off in an
  ill-conditioned point is not taken for a real difference; differences below 1e-30
  (absolute, or relative above 1) are underflow-level - 1 − σ(300) is 0 at any practical
  precision while e^-300 is not - and prove nothing either way.

When no point decides, the caller asks sympy (:mod:`.worker`). Differences as small as
ε = 1e-8 against θ = 1000 (relative 1e-13) are far above the 1e-25 agreement threshold, so
``θ − η·m/(√v + ε)`` vs ``θ − η·m/√v`` is caught.
"""

from __future__ import annotations

import itertools
import math
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from mpmath.ctx_mp import MPContext

from studyapp.core.checker.nodes import BinOp, Call, Const, Neg, Node, Num, Pow, Sym, children

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
    """The formula has no real, finite value at this point (reason in the message).

    ``kind`` says why, because the checker treats the reasons differently:
    "domain"   no real value: a negative number under a square root or a log, or to a
               fractional power (the principal branch is complex);
    "zero"     division by zero, log(0), 0 to a power ≤ 0 - only at isolated points, or where
               a value underflowed to 0 (1 − σ(800) is 0 at any practical precision);
    "overflow" a real value too large to compute (exp(3000)).
    """

    def __init__(self, message: str, kind: str = "domain"):
        super().__init__(message)
        self.kind = kind


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


Evaluator = Callable[[MPContext, dict], Any]  # an mpf (mpmath has no types)


def _check(ctx: MPContext, v):
    """``v`` if it is a finite real below 2^MAX_MAG_BITS, else Undefined.

    Reads mpmath's raw (sign, mantissa, exponent, bitcount) tuple: this runs after every
    operation, and ``ctx.isnan``/``isinf``/``mag`` cost several calls each.
    """
    try:
        _sign, man, exp, bc = v._mpf_
    except AttributeError:  # an mpc (complex) or anything else
        raise Undefined("not a real number") from None
    if man:
        if exp + bc > MAX_MAG_BITS:
            raise Undefined("too large", "overflow")
        return v
    if exp or bc:  # zero is (0, 0, 0, 0); ±inf and nan have a special exponent
        raise Undefined("not finite", "overflow")
    return v


def _exp(ctx, x):
    if x > MAX_EXP_ARG:
        raise Undefined("exp overflows", "overflow")
    return ctx.exp(x)


def _log(ctx, x):
    if x < 0:
        raise Undefined("log of a negative number")
    if not x:
        raise Undefined("log of 0", "zero")
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
            raise Undefined("overflow", "overflow")
        return getattr(ctx, fn)(x)

    return f


def _trig(fn):
    def f(ctx, x):
        if abs(x) > 1e6:
            raise Undefined("argument too large", "overflow")
        v = getattr(ctx, fn)(x)
        return v

    return f


def _elu(ctx, x):
    return x if x >= 0 else ctx.expm1(x) if -x < MAX_EXP_ARG else -ctx.one


def _log_base(ctx, x, b):
    lb = _log(ctx, b)
    if not lb:
        raise Undefined("log base 1", "zero")
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
            raise Undefined("0 to a power ≤ 0", "zero")
        return ctx.zero
    if b < 0 and e != ctx.floor(e):
        raise Undefined("negative number to a fractional power")
    lm = e * ctx.log(abs(b))
    if lm > MAX_EXP_ARG:
        raise Undefined("power too large", "overflow")
    if lm < -MAX_EXP_ARG:
        return ctx.zero
    return ctx.power(b, e)


_MAX_FOLD_BITS = 4096  # an exact constant is kept only while it stays this small


def _small(v: Fraction) -> bool:
    return max(v.numerator.bit_length(), v.denominator.bit_length()) <= _MAX_FOLD_BITS


def rational_constants(node: Node) -> dict[int, Fraction]:
    """Exact values, by ``id``, of the subtrees built from numbers with + − × ÷ and integer powers.

    Evaluating them exactly first keeps an exponent such as 3·(1/3) or 0.1·10 an exact integer,
    so a negative base to that power has its real value instead of "no real value".
    """
    out: dict[int, Fraction] = {}

    def visit(n: Node) -> Fraction | None:
        v: Fraction | None
        if isinstance(n, Num):
            v = n.value
        elif isinstance(n, Neg):
            a = visit(n.arg)
            v = None if a is None else -a
        elif isinstance(n, (BinOp, Pow)):
            a, b = visit(_left(n)), visit(_right(n))
            v = None if a is None or b is None else _fold(n, a, b)
        else:
            for child in children(n):  # a function's arguments may hold constants too
                visit(child)
            return None
        if v is not None and _small(v):
            out[id(n)] = v
            return v
        return None

    visit(node)
    return out


def _left(n: BinOp | Pow) -> Node:
    return n.left if isinstance(n, BinOp) else n.base


def _right(n: BinOp | Pow) -> Node:
    return n.right if isinstance(n, BinOp) else n.exp


def _fold(n: BinOp | Pow, a: Fraction, b: Fraction) -> Fraction | None:
    if isinstance(n, Pow):
        if b.denominator != 1 or abs(b) > 64 or (a == 0 and b <= 0):
            return None
        size = max(a.numerator.bit_length(), a.denominator.bit_length()) + 1
        return a ** int(b) if size * abs(b) <= _MAX_FOLD_BITS else None
    if n.op == "+":
        return a + b
    if n.op == "-":
        return a - b
    if n.op == "*":
        return a * b
    return a / b if b else None


def compile_node(node: Node) -> Evaluator:
    """Turn a scalar tree into ``f(ctx, env) -> mpf`` (raises Undefined); ``env``: name -> mpf."""
    return _compile(node, rational_constants(node))


def _compile(node: Node, consts: dict[int, Fraction]) -> Evaluator:
    if id(node) in consts:
        value = consts[id(node)]
        p, q = value.numerator, value.denominator
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
        f = _compile(node.arg, consts)
        return lambda ctx, env: -f(ctx, env)
    if isinstance(node, BinOp):
        f, g = _compile(node.left, consts), _compile(node.right, consts)
        if node.op == "+":
            return lambda ctx, env: _check(ctx, f(ctx, env) + g(ctx, env))
        if node.op == "-":
            return lambda ctx, env: _check(ctx, f(ctx, env) - g(ctx, env))
        if node.op == "*":
            return lambda ctx, env: _check(ctx, f(ctx, env) * g(ctx, env))

        def div(ctx, env):
            den = g(ctx, env)
            if not den:
                raise Undefined("division by zero", "zero")
            return _check(ctx, f(ctx, env) / den)

        return div
    if isinstance(node, Pow):
        g = _compile(node.exp, consts)
        if isinstance(node.base, Const) and node.base.name == "e":
            return lambda ctx, env: _check(ctx, _exp(ctx, g(ctx, env)))
        f = _compile(node.base, consts)
        return lambda ctx, env: _check(ctx, _power(ctx, f(ctx, env), g(ctx, env)))
    if isinstance(node, Call):
        fn = _FUNCS[node.func]
        args = [_compile(a, consts) for a in node.args]
        if len(args) == 1:
            a0 = args[0]
            return lambda ctx, env: _check(ctx, fn(ctx, a0(ctx, env)))
        return lambda ctx, env: _check(ctx, fn(ctx, *(a(ctx, env) for a in args)))
    raise TypeError(f"cannot evaluate {type(node).__name__} as a scalar")


def evaluate(node: Node, env: dict[str, float] | None = None, dps: int = 30):
    """Value of a scalar tree as an mpf at ``dps`` digits (raises Undefined)."""
    ctx = context(dps)
    if type(node) is Num:  # the common typed answer: a plain number, no compiling
        return ctx.mpf(node.value.numerator) / node.value.denominator
    values = {k: ctx.mpf(v) for k, v in (env or {}).items()}
    return compile_node(node)(ctx, values)


# --------------------------------------------------------------------------- sampling

SCREEN_RANDOM = 128  # random points screened in float64 ...
SCREEN_EXACT = 512  # ... and exact points (combinations of each symbol's exact values)
FLAGGED_MAX = 8  # screened points that look telling, re-evaluated precisely
FALLBACK_MAX = 8  # points where float64 overflowed, tried precisely when too few agreed
DIAGNOSIS_SAMPLES = 16  # well-defined points the slip diagnosis wants


@dataclass
class SamplePlan:
    """The points at which two formulas are compared, as columns: name -> float64 array.

    The first ``n_random`` points are random (inside the domains, several magnitudes), the
    next ``n_exact`` exact small rationals (−2 … 2 and the like, combined across symbols).
    """

    names: list[str]
    columns: dict
    n_random: int
    n_exact: int

    def point(self, k: int) -> dict[str, float]:
        return {name: float(self.columns[name][k]) for name in self.names}

    def is_exact(self, k: int) -> bool:
        return k >= self.n_random

    def random_order(self) -> list[int]:
        """Random point indices, taking the magnitude bands in turn (a quarter each)."""
        band = max(1, self.n_random // 4)
        return sorted(range(self.n_random), key=lambda k: (k % band, k // band))


@lru_cache(maxsize=256)
def _exact_floats(domain) -> tuple[float, ...]:
    return tuple(float(x) for x in domain.exact_values())


def sample_plan(names: list[str], seed_text: str, domains: dict | None = None) -> SamplePlan:
    """Sample points for ``names`` (deterministic for the same ``seed_text``).

    Each name is sampled inside ``domains[name]`` (:class:`.domains.Domain`; all reals when
    absent). Exact points are every combination of the symbols' exact values when there are at
    most SCREEN_EXACT of them, else that many combinations drawn at random.
    """
    import numpy as np

    from studyapp.core.checker.domains import REAL

    domains = domains or {}
    gen = np.random.default_rng(zlib.crc32(seed_text.encode("utf-8", "surrogatepass")))
    many = len(names) > 12  # bound the work for formulas with dozens of names
    n_random = 48 if many else SCREEN_RANDOM
    limit = 64 if many else SCREEN_EXACT
    values = [_exact_floats(domains.get(name, REAL)) for name in names]
    if math.prod(len(v) for v in values) <= limit:
        grid = np.array(list(itertools.product(*values)), dtype=float).reshape(-1, len(names))
        exact = [grid[:, i] for i in range(len(names))]
    else:
        exact = [np.asarray(v)[gen.integers(0, len(v), limit)] for v in values]
    columns = {
        name: np.concatenate([domains.get(name, REAL).random_values(gen, n_random), exact[i]])
        for i, name in enumerate(names)
    }
    return SamplePlan(list(names), columns, n_random, len(exact[0]) if names else 0)


@dataclass
class Comparison:
    """Outcome of comparing two scalar formulas at sample points.

    status: "equal" (agree at >= MIN_AGREE_POINTS well-defined points, never differ),
    "different" (a well-conditioned point where they differ, or a random point where the
    expected formula has a real value and the answer has none), or "unsure" (too few points
    where both are defined). ``samples`` holds (point, expected, answer) for every point where
    both were defined and well-conditioned (mpf values at LOW_DPS), for diagnosis.
    ``witness`` is one differing sample; ``gap`` one point (point, expected value, reason) where
    only the answer has no real value. ``removable`` counts exact points where only the answer
    is undefined (skipped, like the hole of (x² − 1)/(x − 1) at 1).
    """

    status: str
    agree: int = 0
    differ: int = 0
    undefined: int = 0
    expected_defined: int = 0
    answer_defined: int = 0
    missing: int = 0
    removable: int = 0
    samples: list = field(default_factory=list)
    witness: tuple | None = None
    gap: tuple | None = None
    symbolic: str | None = None  # sympy's answer when it was asked (see core.compare_formulas)


def _close(x, y, rel: float) -> bool:
    if x == y:
        return True
    return abs(x - y) <= rel * max(abs(x), abs(y))


_FAILURES = (ZeroDivisionError, OverflowError, ValueError)


def _eval_or_none(fn: Evaluator, ctx, env):
    try:
        return fn(ctx, env)
    except (Undefined, *_FAILURES):
        return None


def _why_undefined(fn: Evaluator, ctx, env) -> tuple[Any, Undefined | None]:
    """(value, None) or (None, the Undefined that says why there is none): an evaluator never
    returns None, so the second item is None exactly when there is a value."""
    try:
        return fn(ctx, env), None
    except Undefined as exc:
        return None, exc
    except _FAILURES as exc:
        return None, Undefined(str(exc), "overflow")


HOLE_STEP = 1e-7  # relative distance of the neighbours that test a hole
HOLE_TOL = 1e-4  # how close the answer must come to the expected value next to a hole


def _neighbours(point: dict, domains: dict) -> list[dict]:
    """Four points next to ``point`` (each coordinate moved by ± HOLE_STEP·(1 + |x|) in two
    sign patterns), staying inside the domains; integer symbols stay where they are."""
    from studyapp.core.checker.domains import REAL

    out = []
    for pattern in (1, -1, 2, -2):
        moved = {}
        for i, (name, x) in enumerate(sorted(point.items())):
            domain = domains.get(name, REAL)
            sign = (1 if pattern > 0 else -1) * (-1 if abs(pattern) == 2 and i % 2 else 1)
            step = HOLE_STEP * (1 + abs(x)) * (1 + 0.37 * i)  # not all on one diagonal
            y = x + sign * step
            if domain.integer or not domain.contains(y):
                y = x - sign * step
                if domain.integer or not domain.contains(y):
                    y = x
            moved[name] = y
        out.append(moved)
    return out


def _removable(fa: Evaluator, e, point: dict, domains: dict) -> bool:
    """True when the answer's hole at ``point`` is removable: next to it, on every side, the
    answer has a value close to the expected value at the point ((x² − 1)/(x − 1) near 1).
    A jump (1 + x/|x|)/2 at 0, or an answer with no value nearby (log(x^a) vs a·log(x) at
    x = −1, a = 2, where the expected formula is defined only on a thin set), is not."""
    lo = context(LOW_DPS)
    for moved in _neighbours(point, domains):
        a = _eval_or_none(fa, lo, {k: lo.mpf(v) for k, v in moved.items()})
        if a is None or abs(a - e) > HOLE_TOL * max(1, abs(e)):
            return False
    return True


def _judge(
    result: Comparison,
    fe: Evaluator,
    fa: Evaluator,
    point: dict,
    exact: bool,
    domains: dict | None = None,
) -> None:
    """Evaluate both formulas at one point precisely and record what it shows."""
    lo = context(LOW_DPS)
    env_lo = {k: lo.mpf(v) for k, v in point.items()}
    e = _eval_or_none(fe, lo, env_lo)
    if e is None:  # the expected formula has no value here: the point says nothing
        result.undefined += 1
        return
    result.expected_defined += 1
    a, why = _why_undefined(fa, lo, env_lo)
    if why is not None:
        result.undefined += 1
        if why.kind == "overflow":
            return
        if exact:  # only the answer has a hole at an exact point: skipped if removable
            if _removable(fa, e, point, domains or {}):
                result.removable += 1
                return
            result.missing += 1
            if result.gap is None:
                result.gap = (point, e, str(why))
            return
        if why.kind == "domain":  # no real value on a whole stretch (random points never
            hi = context(HIGH_DPS)  # land on isolated holes): confirm against round-off
            _, why2 = _why_undefined(fa, hi, {k: hi.mpf(v) for k, v in point.items()})
            if why2 is not None and why2.kind == "domain":
                result.missing += 1
                if result.gap is None:
                    result.gap = (point, e, str(why2))
        return  # "zero": an isolated point, or a value that underflowed to 0
    result.answer_defined += 1
    if _close(e, a, AGREE_REL):
        result.agree += 1
        result.samples.append((point, e, a))
        return
    hi = context(HIGH_DPS)
    env_hi = {k: hi.mpf(v) for k, v in point.items()}
    e2, a2 = _eval_or_none(fe, hi, env_hi), _eval_or_none(fa, hi, env_hi)
    if e2 is None or a2 is None:
        result.undefined += 1
        return
    if _close(e2, a2, AGREE_REL * 1e-40):
        result.agree += 1
        result.samples.append((point, e, a))
        return
    tiny = abs(e2 - a2) <= ABS_FLOOR * max(1, abs(e2), abs(a2))
    if _close(e, e2, STABLE_REL) and _close(a, a2, STABLE_REL) and not tiny:
        result.differ += 1
        result.samples.append((point, e, a))
        if result.witness is None:
            result.witness = (point, e, a)
    # else: round-off or underflow dominates at this point (1 − σ(300) is 0 at any
    # practical precision while e^-300 is not); it proves nothing either way


def _screen(plan: SamplePlan, expected: Node, answer: Node, consts, count: int):
    """Three lists of point indices for the precise evaluator, found by a float64 pass.

    (telling, defined, fallback): points where the two seem to differ or only the answer seems
    undefined (exact ones first, smallest first; then random ones, the bands in turn); the
    other random points where the expected formula has a value; random points where float64
    overflowed. Without numpy's help (an evaluation
    error), every random point is "defined" and the exact points are "telling".
    """
    order = plan.random_order()
    size = plan.n_random + plan.n_exact
    try:
        import numpy as np

        from studyapp.core.checker.vectorized import compile_array, evaluate_arrays

        env = plan.columns
        ve = evaluate_arrays(compile_array(expected, consts[0]), env, size)
        va = evaluate_arrays(compile_array(answer, consts[1]), env, size)
        with np.errstate(all="ignore"):
            scale = np.maximum(1.0, np.maximum(np.abs(ve), np.abs(va)))
            near = np.abs(ve - va) <= 1e-7 * scale
            fin_e = np.isfinite(ve)
            telling = fin_e & ~(np.isfinite(va) & near)
            magnitude = np.max(np.abs(np.stack([env[n] for n in plan.names])), axis=0)
    except (ArithmeticError, ValueError, TypeError, MemoryError):
        return list(range(plan.n_random, size))[:FLAGGED_MAX], order[:count], []
    exact = np.flatnonzero(telling[plan.n_random :]) + plan.n_random
    exact = exact[np.argsort(magnitude[exact], kind="stable")]
    flagged = [int(k) for k in exact] + [k for k in order if telling[k]]
    flagged = flagged[:FLAGGED_MAX]
    taken = set(flagged)
    defined = [k for k in order if fin_e[k] and k not in taken][:count]
    fallback = [k for k in order if not fin_e[k]][:FALLBACK_MAX]
    return flagged, defined, fallback


def compare_functions(
    expected: Node,
    answer: Node,
    names: list[str],
    seed_text: str,
    count: int = 16,
    domains: dict | None = None,
) -> Comparison:
    """Compare two scalar formulas in the variables ``names``, each inside ``domains[name]``.

    The check-answer contract's rule: a float64 pass over many random and exact points finds
    where to look; precise evaluation there decides. Points where the expected formula has no
    value are skipped; so are exact points where only the answer has none (removable holes); a
    random point where only the answer has no real value proves them different.
    """
    consts = rational_constants(expected), rational_constants(answer)
    fe, fa = _compile(expected, consts[0]), _compile(answer, consts[1])
    result = Comparison("unsure")
    if not names:
        _judge(result, fe, fa, {}, exact=False)
    else:
        plan = sample_plan(names, seed_text, domains)
        telling, defined, fallback = _screen(plan, expected, answer, consts, count)
        for group in (telling, defined, fallback):
            if group is fallback and result.agree >= MIN_AGREE_POINTS:
                break
            for k in group:
                _judge(result, fe, fa, plan.point(k), plan.is_exact(k), domains)
                if (result.differ or result.missing) and len(result.samples) >= DIAGNOSIS_SAMPLES:
                    break
    if result.differ or result.missing:
        result.status = "different"
    elif result.expected_defined >= MIN_AGREE_POINTS and result.answer_defined == 0:
        # the expected formula has real values, the answer has none anywhere: not equal
        result.status = "different"
    elif result.agree >= (MIN_AGREE_POINTS if names else 1):
        result.status = "equal"
    return result
