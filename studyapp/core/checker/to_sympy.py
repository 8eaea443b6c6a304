"""Conversion of checker trees to sympy objects, built node by node.

No string ever reaches sympy: numbers become ``Rational(p, q)``, names become real
``Symbol``s, and each known function maps to a fixed sympy expression. Imported only by
the symbolic worker (or by callers that want sympy objects), never by the parser.
"""

from __future__ import annotations

import sympy as sp

from studyapp.core.checker.nodes import BinOp, Call, Const, Mat, Neg, Node, Num, Pow, Sym, Vec


def _sigma(x):
    return 1 / (1 + sp.exp(-x))


_FUNCS = {
    "sigma": _sigma,
    "exp": sp.exp,
    "log": lambda x, b=None: sp.log(x) if b is None else sp.log(x) / sp.log(b),
    "log10": lambda x: sp.log(x) / sp.log(10),
    "log2": lambda x: sp.log(x) / sp.log(2),
    "sqrt": sp.sqrt,
    "tanh": sp.tanh,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "sech": sp.sech,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "abs": sp.Abs,
    "max": lambda *xs: sp.Max(*xs),
    "min": lambda *xs: sp.Min(*xs),
    "relu": lambda x: sp.Max(0, x),
    "leaky_relu": lambda x: sp.Max(x, sp.Rational(1, 100) * x),
    "elu": lambda x: sp.Piecewise((x, x >= 0), (sp.exp(x) - 1, True)),
    "softplus": lambda x: sp.log(1 + sp.exp(x)),
    "swish": lambda x: x * _sigma(x),
    "step": lambda x: sp.Piecewise((1, x >= 0), (0, True)),
    "dsigma": lambda x: _sigma(x) * (1 - _sigma(x)),
    "dtanh": lambda x: 1 - sp.tanh(x) ** 2,
}


def to_sympy(node: Node, symbols: dict | None = None):
    """The sympy expression (or Matrix) for ``node``; symbols are real."""
    cache = symbols if symbols is not None else {}

    def conv(n: Node):
        if isinstance(n, Num):
            return sp.Rational(n.value.numerator, n.value.denominator)
        if isinstance(n, Sym):
            if n.name not in cache:
                cache[n.name] = sp.Symbol(n.name, real=True)
            return cache[n.name]
        if isinstance(n, Const):
            return sp.E if n.name == "e" else sp.pi
        if isinstance(n, Neg):
            return -conv(n.arg)
        if isinstance(n, BinOp):
            a, b = conv(n.left), conv(n.right)
            return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b}[
                n.op
            ]()
        if isinstance(n, Pow):
            return sp.Pow(conv(n.base), conv(n.exp))
        if isinstance(n, Call):
            return _FUNCS[n.func](*(conv(a) for a in n.args))
        if isinstance(n, Vec):
            return sp.Matrix([conv(a) for a in n.items])
        if isinstance(n, Mat):
            return sp.Matrix([[conv(a) for a in row] for row in n.rows])
        raise TypeError(f"not a checker node: {n!r}")

    return conv(node)
