"""Float64 evaluation of checker trees over many points at once (numpy), for screening.

The precise evaluator (:mod:`.numeric`, mpmath at 40 digits) costs tens of microseconds per point;
this one evaluates a formula at hundreds of points in about as long. The checker uses it only to
decide *where* to look precisely - points where the two formulas seem to differ, or where the
answer seems to have no value while the expected one has - never to decide a verdict.

A point where a value is undefined (a root or log of a negative number, a fractional power of a
negative number, a division by zero, an overflow) comes out as NaN or ±inf, like every IEEE
operation; callers test ``np.isfinite``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from studyapp.core.checker.nodes import BinOp, Call, Const, Neg, Node, Num, Pow, Sym

# A constant subtree gives a plain float; evaluate_arrays broadcasts it to the points.
ArrayFn = Callable[[dict], np.ndarray | float]


def _sigma(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # stable at both ends, unlike 1/(1 + e^-x)


def _step(x):
    return np.where(x >= 0, 1.0, np.where(x < 0, 0.0, np.nan))  # NaN stays NaN


def _reduce(fn):
    def f(*xs):
        out = xs[0]
        for x in xs[1:]:
            out = fn(out, x)
        return out

    return f


_FUNCS: dict[str, Callable] = {
    "sigma": _sigma,
    "exp": np.exp,
    "log": lambda x, b=None: np.log(x) if b is None else np.log(x) / np.log(b),
    "log10": np.log10,
    "log2": np.log2,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "sech": lambda x: 1.0 / np.cosh(x),
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "abs": np.abs,
    "max": _reduce(np.maximum),
    "min": _reduce(np.minimum),
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x),
    "elu": lambda x: np.where(x >= 0, x, np.expm1(np.minimum(x, 0.0))),
    "softplus": lambda x: np.logaddexp(0.0, x),
    "swish": lambda x: x * _sigma(x),
    "step": _step,
    "dsigma": lambda x: _sigma(x) * _sigma(-x),
    "dtanh": lambda x: 1.0 / np.cosh(x) ** 2,
}


def _float(value) -> float:
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def compile_array(node: Node, constants: dict[int, object] | None = None) -> ArrayFn:
    """``f(env) -> array`` for a scalar tree; ``env`` maps names to equal-length float arrays.

    ``constants``: exact values of constant subtrees by ``id`` (see
    :func:`.numeric.rational_constants`), so 3·(1/3) is exactly the integer 1 in an exponent.
    """
    consts = constants or {}

    def comp(n: Node) -> ArrayFn:
        if id(n) in consts:
            value = _float(consts[id(n)])
            return lambda env: value
        if isinstance(n, Num):
            value = _float(n.value)
            return lambda env: value
        if isinstance(n, Sym):
            name = n.name
            return lambda env: env[name]
        if isinstance(n, Const):
            value = float(np.e) if n.name == "e" else float(np.pi)
            return lambda env: value
        if isinstance(n, Neg):
            f = comp(n.arg)
            return lambda env: -f(env)
        if isinstance(n, BinOp):
            f, g = comp(n.left), comp(n.right)
            op = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}[n.op]
            return lambda env: op(f(env), g(env))
        if isinstance(n, Pow):
            g = comp(n.exp)
            if isinstance(n.base, Const) and n.base.name == "e":
                return lambda env: np.exp(g(env))
            f = comp(n.base)
            return lambda env: np.power(f(env), g(env))
        if isinstance(n, Call):
            fn = _FUNCS[n.func]
            args = [comp(a) for a in n.args]
            return lambda env: fn(*(a(env) for a in args))
        raise TypeError(f"cannot evaluate {type(n).__name__} as a scalar")

    return comp(node)


def evaluate_arrays(fn: ArrayFn, env: dict[str, np.ndarray], size: int) -> np.ndarray:
    """Values of a compiled formula at every point (NaN/±inf where undefined), warnings off."""
    with np.errstate(all="ignore"):
        out = fn(env)
        return np.broadcast_to(np.asarray(out, dtype=float), (size,))
