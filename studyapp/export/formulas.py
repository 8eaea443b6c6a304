"""The notes' formulas as MathML: activations and their derivatives, losses and their gradients,
and the optimizer update rules (same forms as the contract table / Ruder's overview).

Each table maps an engine name to MathML content (no ``<math>`` wrapper), so worksheets can set
them inline or as display lines.
"""

from __future__ import annotations

from studyapp.core.notation import ACTIVATION_NOTATION
from studyapp.export.mathml import (
    MINUS,
    frac,
    hat,
    mi,
    mo,
    mtext,
    paren,
    row,
    sqrt,
    sub,
    subsup,
    sup,
    under,
)

M = MINUS
SIGMA = "σ"


def _cases(*pairs: tuple[str, str]) -> str:
    """A left-braced piecewise definition: rows of (value, condition)."""
    body = "".join(f"<mtr><mtd>{v}</mtd><mtd>{mtext(c)}</mtd></mtr>" for v, c in pairs)
    return row(mo("{", stretchy="true"), f'<mtable columnalign="left left">{body}</mtable>')


def _f(name: str, *args) -> str:
    """``name(args)`` with a multi-letter (upright) or Greek name."""
    return row(mi(name), paren(*args))


def _sig(*args) -> str:
    return _f(SIGMA, *(args or ("z",)))


def _e(exp) -> str:
    return sup("e", exp)


#: f(z) = …  (right-hand sides)
ACTIVATION = {
    "sigmoid": frac(1, row(1, "+", _e(row(M, "z")))),
    "tanh": frac(row(_e("z"), M, _e(row(M, "z"))), row(_e("z"), "+", _e(row(M, "z")))),
    "relu": _f("max", 0, mo(","), "z"),
    "leaky_relu": _f("max", "0.01", "z", mo(","), "z"),
    "elu": _cases((mi("z"), "if z > 0"), (row(_e("z"), M, 1), "otherwise")),
    "softplus": _f("ln", 1, "+", _e("z")),
    "swish": row("z", "·", _sig()),
    "linear": mi("z"),
    "softmax": frac(_e(sub("z", "i")), row(under("∑", "j"), _e(sub("z", "j")))),
}

#: f′(z) = …
DERIVATIVE = {
    "sigmoid": row(_sig(), paren(1, M, _sig())),
    "tanh": row(1, M, row(sup(mi("tanh"), 2), paren("z"))),
    "relu": _cases(("<mn>1</mn>", "if z > 0"), ("<mn>0</mn>", "otherwise")),
    "leaky_relu": _cases(("<mn>1</mn>", "if z > 0"), ("<mn>0.01</mn>", "otherwise")),
    "elu": _cases(("<mn>1</mn>", "if z > 0"), (_e("z"), "otherwise")),
    "softplus": _sig(),
    "swish": row(_sig(), "+", "z", "·", _sig(), paren(1, M, _sig())),
    "linear": "<mn>1</mn>",
}


def act_of(name: str, arg) -> str:
    """``σ(z¹)``-style application of an activation to ``arg``."""
    return _f(ACTIVATION_NOTATION[name].symbol, arg)


def act_prime_of(name: str, arg) -> str:
    """``σ′(z¹)``."""
    return row(mi(ACTIVATION_NOTATION[name].symbol), mo("′", lspace="0", rspace="0"), paren(arg))


_ai, _yi = sub("a", "i"), sub("y", "i")
_sum = under("∑", "i")

#: L = …
LOSS = {
    "half_sse": row(frac(1, 2), _sum, sup(paren(_ai, M, _yi), 2)),
    "mse": row(frac(1, "n"), _sum, sup(paren(_ai, M, _yi), 2)),
    "mae": row(frac(1, "n"), _sum, row(mo("|"), _ai, M, _yi, mo("|"))),
    "huber": row(
        frac(1, "n"),
        _sum,
        _f("h", _ai, M, _yi),
        mo(","),
        '<mspace width="0.6em"/>',
        _f("h", "r"),
        "=",
        _cases(
            (row(frac(1, 2), sup("r", 2)), "if |r| ≤ 1"),
            (row(mo("|"), "r", mo("|"), M, frac(1, 2)), "otherwise"),
        ),
    ),
    "bce": row(
        M,
        _sum,
        paren(_yi, _f("ln", _ai), "+", paren(1, M, _yi), _f("ln", 1, M, _ai), open="[", close="]"),
    ),
    "cce": row(M, _sum, _yi, _f("ln", _ai)),
    "hinge": row(_sum, _f("max", 0, mo(","), 1, M, _yi, _ai)),
}

#: ∂L/∂a_i = …
LOSS_GRAD = {
    "half_sse": row(_ai, M, _yi),
    "mse": frac(row(2, paren(_ai, M, _yi)), "n"),
    "mae": frac(_f("sign", _ai, M, _yi), "n"),
    "huber": frac(_f("clip", _ai, M, _yi, mo(","), M, 1, mo(","), 1), "n"),
    "bce": frac(row(_ai, M, _yi), row(_ai, paren(1, M, _ai))),
    "cce": row(M, frac(_yi, _ai)),
    "hinge": _cases((row(M, _yi), "if 1 − yᵢaᵢ > 0"), ("<mn>0</mn>", "otherwise")),
}

DL_DA = frac(row(mi("∂"), "L"), row(mi("∂"), _ai))


def partial(num_, den) -> str:
    """``∂num/∂den`` as a fraction."""
    return frac(row(mi("∂"), num_), row(mi("∂"), den))


# --------------------------------------------------------------------------- optimizers

_g, _th = mi("g"), mi("θ")
_lr, _eps = mi("lr"), mi("ε")
_gamma, _rho = mi("γ"), mi("ρ")
_b1, _b2 = sub("β", 1), sub("β", 2)
_g2 = sup("g", 2)
ARROW = mo("←")
# The running averages as the notes write them, E[g²] and E[Δx²] (Eg2 and Edx2 in the JSON).
_EG2 = row(mi("E"), mo("["), _g2, mo("]"))
_EDX2 = row(mi("E"), mo("["), sup(mi("Δx"), 2), mo("]"))


def _rule(lhs, *rhs) -> str:
    return row(lhs, ARROW, *rhs)


OPTIMIZER_RULES: dict[str, list[str]] = {
    "sgd": [_rule(_th, _th, M, _lr, "·", _g)],
    "momentum": [
        _rule(mi("velocity"), _gamma, "·", mi("velocity"), M, _lr, "·", _g),
        _rule(_th, _th, "+", mi("velocity")),
    ],
    "nesterov": [
        _rule(mi("velocity"), _gamma, "·", mi("velocity"), M, _lr, "·", _g),
        _rule(_th, _th, "+", mi("velocity")),
    ],
    "adagrad": [
        _rule(mi("G"), mi("G"), "+", _g2),
        _rule(_th, _th, M, frac(row(_lr, "·", _g), sqrt(mi("G"), "+", _eps))),
    ],
    "adadelta": [
        _rule(_EG2, _rho, "·", _EG2, "+", paren(1, M, _rho), "·", _g2),
        row(
            mi("Δθ"),
            mo("="),
            M,
            frac(sqrt(_EDX2, "+", _eps), sqrt(_EG2, "+", _eps)),
            "·",
            _g,
        ),
        _rule(_EDX2, _rho, "·", _EDX2, "+", paren(1, M, _rho), "·", sup(mi("Δθ"), 2)),
        _rule(_th, _th, "+", mi("Δθ")),
    ],
    "rmsprop": [
        _rule(_EG2, _rho, "·", _EG2, "+", paren(1, M, _rho), "·", _g2),
        _rule(_th, _th, M, frac(row(_lr, "·", _g), sqrt(_EG2, "+", _eps))),
    ],
    "adam": [
        _rule(mi("m"), _b1, "·", mi("m"), "+", paren(1, M, _b1), "·", _g),
        _rule(mi("v"), _b2, "·", mi("v"), "+", paren(1, M, _b2), "·", _g2),
        row(hat("m"), mo("="), frac("m", row(1, M, subsup("β", 1, "t")))),
        row(hat("v"), mo("="), frac("v", row(1, M, subsup("β", 2, "t")))),
        _rule(_th, _th, M, frac(row(_lr, "·", hat("m")), row(sqrt(hat("v")), "+", _eps))),
    ],
}
OPTIMIZER_NOTES = {
    "nesterov": "g is the gradient evaluated at the look-ahead point θ + γ·velocity.",
}

#: names of state / intermediate quantities as MathML
QUANTITY = {
    "velocity": mi("velocity"),
    "G": mi("G"),
    "Eg2": _EG2,
    "Edx2": _EDX2,
    "m": mi("m"),
    "v": mi("v"),
    "m_hat": hat("m"),
    "v_hat": hat("v"),
    "delta": mi("Δθ"),
}
HYPER = {"lr": _lr, "gamma": _gamma, "eps": _eps, "rho": _rho, "beta1": _b1, "beta2": _b2}
