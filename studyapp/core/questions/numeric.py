"""Numeric exercise families: fresh numbers on every draw, answers computed here.

Each family is a function ``(rng: random.Random) -> NumericDraft``. The small formulas below are
written out on purpose (plain ``math``, the forms of the course notes and of contracts.md), so a
quiz does not depend on the content files for its arithmetic; the tests recompute every answer
with the engine. Two families (optimizer step, backprop quantity) draw their exercise from the
engine itself, as the issue asks.

Numbers are drawn with one or two decimals so that a person can work them out by hand; answers
are exact float64 values of those rounded inputs.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from engine.optimizers import NOTES_OPTIMIZERS
from studyapp.core.questions.model import fmt, fmt_mat, fmt_vec

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def signed_terms(*terms: tuple[float, str]) -> str:
    """``1.5x² − 2.9x + 1.7`` from ((1.5, "x²"), (-2.9, "x"), (1.7, "")): zero terms dropped,
    signs written once."""
    out = ""
    for coef, unit in terms:
        if coef == 0:
            continue
        mag = fmt(abs(coef))
        text = unit if (mag == "1" and unit) else f"{mag}{unit}"
        if not out:
            out = ("-" if coef < 0 else "") + text
        else:
            out += (" − " if coef < 0 else " + ") + text
    return out or "0"


def paren(x: float, decimals: int = 4) -> str:
    """A number to put after an operator: negative ones in parentheses, ``(-5.9)``."""
    text = fmt(x, decimals)
    return f"({text})" if text.startswith("-") else text


def sub(i: int) -> str:
    return str(i).translate(SUB)


def sup(i: int) -> str:
    return str(i).translate(SUP)


@dataclass
class NumericDraft:
    """A numeric question before it is tied to a content entry.

    ``entry_hint`` = (topic, keyword) names the content entry it illustrates; ``params`` are the
    drawn numbers (they make the variant part of the id).
    """

    template: str
    topic: str
    entry_hint: str
    prompt: str
    value: float
    explanation: str
    params: tuple = field(default_factory=tuple)
    data: dict = field(default_factory=dict)
    # values a student gets through a classic slip (f for f′, the other sign, a missing
    # factor, the notes' x + α∇f): the distractors when the draft becomes an mcq
    alts: list = field(default_factory=list)
    # for a value after an update step (a new weight, θ, state or x₁): the value before it.
    # Such a draft is only asked when the step moves it well beyond the grading tolerance (see
    # ``moves``), so an unchanged value is never graded right.
    before: float | None = None


def moves(before: float, after: float) -> bool:
    """Does an update from ``before`` to ``after`` show at the quiz's tolerance (0.5 %)? The
    change must exceed 2 % of the new value: then neither the old value nor one moved half way
    is within the tolerance of the answer."""
    return abs(after - before) > 0.02 * abs(after) and abs(after - before) > 5e-4


ANSWER_NOTE = "Give a decimal number to 4 significant digits."


def _draw(
    rng: random.Random, lo: float, hi: float, decimals: int = 2, nonzero: bool = True
) -> float:
    while True:
        v = round(rng.uniform(lo, hi), decimals)
        if v == 0.0:
            v = 0.0
        if not nonzero or v != 0.0:
            return v


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# --------------------------------------------------------------------------- activations

# name -> (display name, value(z), derivative(z), formula text, derivative text)
ACTIVATION_FORMULAS = {
    "sigmoid": (
        "sigmoid σ(z)",
        sigmoid,
        lambda z: sigmoid(z) * (1 - sigmoid(z)),
        "σ(z) = 1/(1 + e^(−z))",
        "σ'(z) = σ(z)·(1 − σ(z))",
    ),
    "tanh": (
        "tanh(z)",
        math.tanh,
        lambda z: 1 - math.tanh(z) ** 2,
        "tanh(z) = (e^z − e^(−z))/(e^z + e^(−z))",
        "tanh'(z) = 1 − tanh²(z)",
    ),
    "relu": (
        "ReLU(z)",
        lambda z: max(0.0, z),
        lambda z: 1.0 if z > 0 else 0.0,
        "ReLU(z) = max(0, z)",
        "ReLU'(z) = 1 for z > 0, 0 for z < 0",
    ),
    "leaky_relu": (
        "Leaky ReLU (slope 0.01)",
        lambda z: z if z > 0 else 0.01 * z,
        lambda z: 1.0 if z > 0 else 0.01,
        "f(z) = z for z > 0, 0.01·z otherwise",
        "f'(z) = 1 for z > 0, 0.01 otherwise",
    ),
    "elu": (
        "ELU (α = 1)",
        lambda z: z if z > 0 else math.exp(z) - 1,
        lambda z: 1.0 if z > 0 else math.exp(z),
        "f(z) = z for z > 0, α(e^z − 1) otherwise",
        "f'(z) = 1 for z > 0, α·e^z otherwise",
    ),
    "softplus": (
        "softplus(z)",
        lambda z: math.log1p(math.exp(z)),
        sigmoid,
        "softplus(z) = ln(1 + e^z)",
        "softplus'(z) = σ(z) = 1/(1 + e^(−z))",
    ),
    "swish": (
        "swish (z·σ(z))",
        lambda z: z * sigmoid(z),
        lambda z: sigmoid(z) + z * sigmoid(z) * (1 - sigmoid(z)),
        "swish(z) = z·σ(z)",
        "swish'(z) = σ(z) + z·σ(z)·(1 − σ(z))",
    ),
}


def activation_value(rng: random.Random) -> NumericDraft:
    name = rng.choice(sorted(ACTIVATION_FORMULAS))
    label, f, _, formula, _ = ACTIVATION_FORMULAS[name]
    z = _draw(rng, -3, 3)
    v = f(z)
    return NumericDraft(
        "value",
        "activations",
        name,
        f"Compute the activation {label} at z = {fmt(z)}. {ANSWER_NOTE}",
        v,
        f"{formula}; at z = {fmt(z)} this is {fmt(v, 6)}.",
        (name, z),
        {"family": "activation_value", "activation": name, "z": z},
        [ACTIVATION_FORMULAS[name][2](z)]
        + [ACTIVATION_FORMULAS[o][1](z) for o in sorted(ACTIVATION_FORMULAS) if o != name],
    )


def activation_derivative(rng: random.Random) -> NumericDraft:
    name = rng.choice(sorted(ACTIVATION_FORMULAS))
    label, f, df, _, dformula = ACTIVATION_FORMULAS[name]
    z = _draw(rng, -3, 3)
    v = df(z)
    return NumericDraft(
        "derivative",
        "activations",
        name,
        f"Compute the derivative of {label} with respect to z at z = {fmt(z)}. {ANSWER_NOTE}",
        v,
        f"{dformula}; at z = {fmt(z)} (f(z) = {fmt(f(z), 6)}) this is {fmt(v, 6)}.",
        (name, z),
        {"family": "activation_derivative", "activation": name, "z": z},
        [f(z)] + [ACTIVATION_FORMULAS[o][2](z) for o in sorted(ACTIVATION_FORMULAS) if o != name],
    )


def softmax_component(rng: random.Random) -> NumericDraft:
    n = rng.choice([3, 3, 4])
    z = [_draw(rng, -2, 3, 1, nonzero=False) for _ in range(n)]
    i = rng.randrange(n)
    m = max(z)
    exps = [math.exp(v - m) for v in z]
    total = sum(exps)
    soft = [e / total for e in exps]
    raw = [math.exp(v) for v in z]
    return NumericDraft(
        "softmax",
        "activations",
        "softmax",
        f"Compute softmax(z){sub(i + 1)} for z = {fmt_vec(z)} "
        f"(softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)). {ANSWER_NOTE}",
        soft[i],
        f"e^z = {fmt_vec(raw, 4)}, Σ = {fmt(sum(raw), 4)}; softmax(z) = {fmt_vec(soft, 4)}, "
        f"so component {i + 1} is {fmt(soft[i], 6)}.",
        (tuple(z), i),
        {"family": "softmax", "z": z, "i": i},
        [v for j, v in enumerate(soft) if j != i] + [raw[i], sigmoid(z[i])],
    )


# --------------------------------------------------------------------------- losses


def _loss(name: str, a: list[float], y: list[float]) -> tuple[float, list[float]]:
    """(value, dL/da) of the losses of contracts.md; a, y are vectors of n outputs."""
    n = len(a)
    r = [ai - yi for ai, yi in zip(a, y, strict=False)]
    if name == "half_sse":
        return 0.5 * sum(d * d for d in r), r
    if name == "mse":
        return sum(d * d for d in r) / n, [2 * d / n for d in r]
    if name == "mae":
        return sum(abs(d) for d in r) / n, [math.copysign(1.0, d) / n for d in r]
    if name == "huber":
        val = sum(0.5 * d * d if abs(d) <= 1 else abs(d) - 0.5 for d in r) / n
        return val, [(d if abs(d) <= 1 else math.copysign(1.0, d)) / n for d in r]
    if name == "bce":
        val = -sum(
            yi * math.log(ai) + (1 - yi) * math.log(1 - ai) for ai, yi in zip(a, y, strict=False)
        )
        return val, [(ai - yi) / (ai * (1 - ai)) for ai, yi in zip(a, y, strict=False)]
    if name == "cce":
        return -sum(yi * math.log(ai) for ai, yi in zip(a, y, strict=False) if yi), [
            -yi / ai for ai, yi in zip(a, y, strict=False)
        ]
    if name == "hinge":
        return sum(max(0.0, 1 - yi * ai) for ai, yi in zip(a, y, strict=False)), [
            (-yi if 1 - yi * ai > 0 else 0.0) for ai, yi in zip(a, y, strict=False)
        ]
    raise KeyError(name)


from studyapp.core.notation import (  # noqa: E402  (the notation texts' owner)
    LOSS_NOTATION,
    quantity_symbol,
    reduction_phrase,
    rule_lines,
)

#: loss -> (label, definition, ∂L/∂aᵢ) in the words quiz questions print
LOSS_TEXT = {
    name: (n.label, n.quiz_definition, n.quiz_gradient) for name, n in LOSS_NOTATION.items()
}


def _loss_data(rng: random.Random, name: str) -> tuple[list[float], list[float]]:
    n = rng.choice([1, 2, 3])
    while True:
        if name in ("half_sse", "mse", "mae", "huber"):
            a = [_draw(rng, -2, 2, 2, nonzero=False) for _ in range(n)]
            y = [_draw(rng, -2, 2, 1, nonzero=False) for _ in range(n)]
            r = [ai - yi for ai, yi in zip(a, y, strict=False)]
            # stay off the kinks (|r| = 0 for mae, |r| = 1 for huber): the derivative is undefined
            if all(abs(d) > 0.02 and abs(abs(d) - 1) > 0.02 for d in r):
                return a, y
        elif name == "bce":
            return [_draw(rng, 0.05, 0.95) for _ in range(n)], [
                float(rng.randint(0, 1)) for _ in range(n)
            ]
        elif name == "cce":
            k = max(n, 2)
            raw = [rng.uniform(0.2, 1.0) for _ in range(k)]
            s = sum(raw)
            a = [round(v / s, 2) for v in raw[:-1]]
            a.append(round(1 - sum(a), 2))
            if min(a) <= 0.01:
                continue
            hot = rng.randrange(k)
            return a, [1.0 if i == hot else 0.0 for i in range(k)]
        else:  # hinge
            a = [_draw(rng, -2, 2) for _ in range(n)]
            y = [rng.choice([-1.0, 1.0]) for _ in range(n)]
            if all(abs(1 - yi * ai) > 0.02 for ai, yi in zip(a, y, strict=False)):
                return a, y


def _vs(values: list[float]) -> str:
    """One output as a plain number, several as a vector."""
    return fmt(values[0]) if len(values) == 1 else fmt_vec(values)


def _other_losses(name: str, a: list[float], y: list[float], value: bool) -> list:
    """The same data through the other losses (the "wrong function" slip); losses whose
    domain the data leaves (ln of a ≤ 0) are skipped."""
    out = []
    for other in sorted(LOSS_TEXT):
        if other == name:
            continue
        try:
            v, g = _loss(other, a, y)
        except (ValueError, ZeroDivisionError):
            continue
        out.append(v if value else g)
    return out


def _ewa_swapped(beta: float, xs: list[float]) -> float:
    """vₜ = (1 − β)·vₜ₋₁ + β·xₜ: the weights swapped."""
    v = 0.0
    for x in xs:
        v = (1 - beta) * v + beta * x
    return v


def _reduced(name: str) -> str:
    """``summed over the n outputs, L = Σᵢ ℓ(aᵢ, yᵢ)``: every loss prompt says how the loss
    combines its outputs (it decides both L and ∂L/∂a)."""
    from engine.losses import LOSSES

    return reduction_phrase(LOSSES[name].reduction)


def loss_value(rng: random.Random) -> NumericDraft:
    name = rng.choice(sorted(LOSS_TEXT))
    a, y = _loss_data(rng, name)
    value, _ = _loss(name, a, y)
    label, formula, _ = LOSS_TEXT[name]
    return NumericDraft(
        "value",
        "losses",
        name,
        f"Compute the {label} ({_reduced(name)}) for prediction a = {_vs(a)} and target "
        f"y = {_vs(y)}. {ANSWER_NOTE}",
        value,
        f"{formula} = {fmt(value, 6)} (n = {len(a)}).",
        (name, tuple(a), tuple(y)),
        {"family": "loss_value", "loss": name, "a": a, "y": y},
        _other_losses(name, a, y, value=True),
    )


def loss_gradient(rng: random.Random) -> NumericDraft:
    name = rng.choice(sorted(LOSS_TEXT))
    a, y = _loss_data(rng, name)
    _, grad = _loss(name, a, y)
    # for cce only the hot component is interesting (the others are 0)
    i = y.index(1.0) if name == "cce" else rng.randrange(len(a))
    label, _, dformula = LOSS_TEXT[name]
    return NumericDraft(
        "gradient",
        "losses",
        name,
        f"For the {label} ({_reduced(name)}) with prediction a = {_vs(a)} and target "
        f"y = {_vs(y)}, compute ∂L/∂a{sub(i + 1) if len(a) > 1 else ''}. {ANSWER_NOTE}",
        grad[i],
        f"{dformula}; the gradient is {fmt_vec(grad, 6)}, component {i + 1} = {fmt(grad[i], 6)}.",
        (name, tuple(a), tuple(y), i),
        {"family": "loss_gradient", "loss": name, "a": a, "y": y, "i": i},
        [-grad[i]] + [g[i] for g in _other_losses(name, a, y, value=False)],
    )


# --------------------------------------------------------------------------- perceptron & MP


def perceptron_update(rng: random.Random) -> NumericDraft:
    n = rng.choice([2, 3])
    w = [_draw(rng, -1, 1, 1, nonzero=False) for _ in range(n)]
    x = [float(rng.choice([0, 1])) for _ in range(n - 1)] + [-1.0]  # last input: the bias node
    eta = rng.choice([0.1, 0.2, 0.25, 0.3, 0.4])
    h = sum(wi * xi for wi, xi in zip(w, x, strict=False))
    y = 1.0 if h > 0 else 0.0
    # mostly ask about a misclassified example (the weights move); sometimes a correct one
    t = 1.0 - y if rng.random() < 0.8 else y
    i = rng.randrange(n)
    new = [wi + eta * (t - y) * xi for wi, xi in zip(w, x, strict=False)]
    return NumericDraft(
        "update",
        "concepts",
        "perceptron",
        f"A perceptron has weights w = {fmt_vec(w)} (the last input is the bias node, fixed at −1), "
        f"fires (y = 1) when h = Σ wᵢxᵢ > 0, else y = 0. For input x = {fmt_vec(x)} with target "
        f"t = {fmt(t)} and learning rate η = {fmt(eta)}, apply the rule w ← w + η(t − y)x once. "
        f"What is the new w{sub(i + 1)}? {ANSWER_NOTE}",
        new[i],
        f"h = {fmt(h)}, so y = {fmt(y)}; t − y = {fmt(t - y)}; "
        f"w{sub(i + 1)} ← {fmt(w[i])} + {fmt(eta)}·{paren(t - y)}·{paren(x[i])} = {fmt(new[i], 6)}. "
        f"New weights {fmt_vec(new)}.",
        (tuple(w), tuple(x), eta, t, i),
        {"family": "perceptron", "w": w, "x": x, "eta": eta, "t": t, "i": i},
        [w[i], w[i] + eta * (t - y), w[i] - eta * (t - y) * x[i], w[i] + (t - y) * x[i]],
        before=w[i] if new[i] != w[i] else None,  # a right guess leaves w as it is: no update
    )


MP_GATES = {
    # gate -> (weights, threshold); the neuron fires when h = Σ wᵢxᵢ > θ
    "AND": ((1.0, 1.0), 1.5),
    "OR": ((1.0, 1.0), 0.5),
    "NOT": ((-1.0,), -0.5),
}


def mcculloch_pitts(rng: random.Random) -> NumericDraft:
    gate = rng.choice(sorted(MP_GATES) + ["random"])
    if gate == "random":
        n = rng.choice([2, 3])
        w = tuple(_draw(rng, -1, 1, 1) for _ in range(n))
        theta = _draw(rng, -1, 1, 1, nonzero=False)
        x = tuple(float(rng.choice([0, 1])) for _ in range(n))
        while (
            abs(sum(a * b for a, b in zip(w, x, strict=False)) - theta) < 1e-9
        ):  # not exactly on the threshold
            theta = round(theta + 0.1, 1)
        what = "A McCulloch-Pitts neuron"
    else:
        w, theta = MP_GATES[gate]
        x = tuple(float(rng.choice([0, 1])) for _ in w)
        what = f"A McCulloch-Pitts neuron set up as {'a' if gate == 'NOT' else 'an'} {gate} gate"
    h = sum(a * b for a, b in zip(w, x, strict=False))
    y = 1.0 if h > theta else 0.0
    return NumericDraft(
        "output",
        "concepts",
        "mcculloch",
        f"{what} has weights w = {fmt_vec(w)} and threshold θ = {fmt(theta)}; it outputs 1 if "
        f"h = Σ wᵢxᵢ > θ and 0 otherwise. What does it output for x = {fmt_vec(x)}? (0 or 1)",
        y,
        f"h = {' + '.join(f'{fmt(a)}·{paren(b)}' for a, b in zip(w, x, strict=False))} = {fmt(h)}, which is "
        f"{'>' if y else '≤'} θ = {fmt(theta)}, so y = {fmt(y)}.",
        (gate, w, theta, x),
        {"family": "mcculloch_pitts", "gate": gate, "w": list(w), "theta": theta, "x": list(x)},
    )


# --------------------------------------------------------------------------- optimisation


def gd_quadratic(rng: random.Random) -> NumericDraft:
    a = rng.choice([0.5, 1.0, 1.5, 2.0, 3.0])
    b = _draw(rng, -3, 3, 1, nonzero=False)
    c = _draw(rng, -2, 2, 1, nonzero=False)
    x0 = _draw(rng, -3, 3, 1)
    eta = rng.choice([0.01, 0.05, 0.1, 0.2, 0.25])
    grad = 2 * a * x0 + b
    x1 = x0 - eta * grad
    return NumericDraft(
        "gd_step",
        "optimizers",
        "gradient descent",
        f"f(x) = {signed_terms((a, 'x²'), (b, 'x'), (c, ''))}. Starting at x₀ = {fmt(x0)}, take one "
        f"gradient-descent step with learning rate η = {fmt(eta)}. What is x₁? {ANSWER_NOTE}",
        x1,
        f"f'(x) = {signed_terms((2 * a, 'x'), (b, ''))}, so f'(x₀) = {fmt(grad, 6)}; "
        f"x₁ = x₀ − η·f'(x₀) = {fmt(x0)} − {fmt(eta)}·{paren(grad, 6)} = {fmt(x1, 6)}. "
        "(Descent subtracts the gradient; the notes' x + α∇f is ascent.)",
        (a, b, c, x0, eta),
        {"family": "gd_quadratic", "a": a, "b": b, "c": c, "x0": x0, "eta": eta},
        [x0 + eta * grad, x0 - grad, x0 - eta * (a * x0 + b), x0 - eta * 2 * a * x0],
        before=x0,
    )


def ewa(rng: random.Random) -> NumericDraft:
    beta = rng.choice([0.5, 0.6, 0.8, 0.9])
    k = rng.choice([2, 3, 4])
    xs = [_draw(rng, -5, 10, 1, nonzero=False) for _ in range(k)]
    corrected = rng.random() < 0.3
    v = 0.0
    steps = []
    for t, x in enumerate(xs, start=1):
        v = beta * v + (1 - beta) * x
        steps.append(
            f"v{sub(t)} = {fmt(beta)}·v{sub(t - 1)} + {fmt(1 - beta)}·{paren(x)} = {fmt(v, 6)}"
        )
    value = v / (1 - beta**k) if corrected else v
    ask = (
        f"the bias-corrected average v̂{sub(k)} = v{sub(k)}/(1 − β{sup(k)})"
        if corrected
        else f"v{sub(k)}"
    )
    tail = (
        f"; v̂{sub(k)} = {fmt(v, 6)}/(1 − {fmt(beta)}{sup(k)}) = {fmt(value, 6)}"
        if corrected
        else ""
    )
    return NumericDraft(
        "ewa",
        "optimizers",
        "weighted average",
        f"An exponentially weighted average vₜ = β·vₜ₋₁ + (1 − β)·xₜ with β = {fmt(beta)} and "
        f"v₀ = 0 sees the values x = {fmt_vec(xs)}. Compute {ask}. {ANSWER_NOTE}",
        value,
        "; ".join(steps) + tail + ".",
        (beta, tuple(xs), corrected),
        {"family": "ewa", "beta": beta, "xs": xs, "corrected": corrected},
        [v if corrected else v / (1 - beta**k), sum(xs) / k, xs[-1], _ewa_swapped(beta, xs)],
    )


def chain_rule_neuron(rng: random.Random) -> NumericDraft:
    act = rng.choice(["sigmoid", "tanh"])
    w = _draw(rng, -1.5, 1.5, 1)
    b = _draw(rng, -1, 1, 1, nonzero=False)
    x = _draw(rng, -2, 2, 1)
    y = rng.choice([0.0, 1.0]) if act == "sigmoid" else rng.choice([-1.0, 0.0, 1.0])
    wrt = rng.choice(["w", "b", "x"])
    _, f, df, _, _ = ACTIVATION_FORMULAS[act]
    z = w * x + b
    a = f(z)
    dz = df(z)
    dl_da = a - y
    local = {"w": x, "b": 1.0, "x": w}[wrt]
    value = dl_da * dz * local
    name = "σ" if act == "sigmoid" else "tanh"
    dname = "a(1 − a)" if act == "sigmoid" else "1 − a²"
    return NumericDraft(
        "chain_rule",
        "backprop",
        "chain",
        f"One neuron: z = w·x + b, a = {name}(z), L = ½(a − y)², with w = {fmt(w)}, b = {fmt(b)}, "
        f"x = {fmt(x)}, y = {fmt(y)}. Using the chain rule, compute ∂L/∂{wrt}. {ANSWER_NOTE}",
        value,
        f"z = {fmt(z, 6)}, a = {fmt(a, 6)}; ∂L/∂a = a − y = {fmt(dl_da, 6)}; ∂a/∂z = {dname} = "
        f"{fmt(dz, 6)}; ∂z/∂{wrt} = {fmt(local)}; ∂L/∂{wrt} = {fmt(dl_da, 6)}·{paren(dz, 6)}·"
        f"{paren(local)} = {fmt(value, 6)}.",
        (act, w, b, x, y, wrt),
        {"family": "chain_rule", "activation": act, "w": w, "b": b, "x": x, "y": y, "wrt": wrt},
        [dl_da * local, dl_da * dz, -value, (y - a) * dz * local * 2],
    )


# --------------------------------------------------------------------------- engine-backed

OPTIMIZER_NAMES = NOTES_OPTIMIZERS  # the notes' seven (adamw only on request)


def optimizer_step(rng: random.Random) -> NumericDraft:
    """One step t ≥ 2 of an optimizer, drawn by ``engine.exercises.generate_optimizer``."""
    from engine.exercises import generate_optimizer

    name = rng.choice(OPTIMIZER_NAMES)
    seed = rng.randrange(2**31)
    ex = generate_optimizer(seed, count=1, optimizer=name, size=2, decimals=2)[0]
    i = rng.randrange(len(ex["params"]))
    ans = ex["answers"]
    # ask for a new state component (m, v, G, ...) now and then, else the new parameter
    # (a state whose step is too small to show at the tolerance, e.g. Adam's v with β₂ = 0.999,
    # is not asked)
    state_keys = [
        k
        for k in sorted(ans.get("state", {}))
        if moves(float(ex["state"][k][i]), float(ans["state"][k][i]))
    ]
    if state_keys and rng.random() < 0.35:
        key = rng.choice(state_keys)
        target = f"the new state {quantity_symbol(key)}{sub(i + 1)}"
        value = float(ans["state"][key][i])
        before = float(ex["state"][key][i])
    else:
        key = None
        target, value = f"the new parameter θ{sub(i + 1)}", float(ans["params"][i])
        before = float(ex["params"][i])
    hyper = ", ".join(f"{k} = {v:g}" for k, v in ex["hyperparameters"].items())

    def values(quantities: dict) -> str:
        return "; ".join(f"{quantity_symbol(k)} = {fmt_vec(v, 6)}" for k, v in quantities.items())

    state = values(ex.get("state", {})) or "none"
    new_state = values(ans.get("state", {}))
    inter = values(ans.get("intermediates", {}))
    rule = "; ".join(rule_lines(name))
    return NumericDraft(
        "step",
        "optimizers",
        name,
        f"{name} step t = {ex['t']} with {hyper}. Parameters θ = {fmt_vec(ex['params'])}, "
        f"gradient g = {fmt_vec(ex['grad'])}, state after step {ex['t'] - 1}: {state}. "
        f"Compute {target} after this step. {ANSWER_NOTE}",
        value,
        f"Rule: {rule}. New state: {new_state or 'none'}"
        + (f"; intermediates: {inter}" if inter else "")
        + f"; new θ = {fmt_vec(ans['params'], 6)}.",
        (name, seed, i, key),
        {"family": "optimizer", "exercise": ex, "i": i, "state_key": key},
        [
            float(ex["params"][i]),
            float(ex["params"][i]) + (value - float(ex["params"][i])) * -1,
            float(ex["params"][i]) - 0.1 * float(ex["grad"][i]),
        ]
        + ([float(ex["state"][key][i])] if key else []),
        before=before,
    )


BACKPROP_SETUPS = (
    # (layers, hidden activation, output activation, loss)
    ((2, 2, 1), "sigmoid", "sigmoid", "half_sse"),
    ((2, 2, 1), "tanh", "sigmoid", "bce"),
    ((2, 3, 1), "relu", "linear", "half_sse"),
    ((3, 2, 1), "sigmoid", "linear", "mse"),
    ((2, 2, 2), "sigmoid", "softmax", "cce"),
)


# Exercise-workspace step types (studyapp.core.workspace.STEP_TYPES) of each quantity asked here.
_STEP_OF = {
    "z": "z",
    "a": "a",
    "loss": "loss",
    "grad_biases": "grad_b",
    "grad_weights": "grad_W",
    "updated_weights": "update",
}


def _step_type(what: str, m: int | None, n_layers: int) -> str:
    if what == "delta":
        return "delta_output" if m == n_layers else "delta_hidden"
    return _STEP_OF[what]


def backprop_quantity(rng: random.Random, prefer: dict | None = None) -> NumericDraft:
    """One quantity (z, a, loss, δ, ∂L/∂W, ∂L/∂b, updated W) of a small random network.

    prefer: {step type: (correct, total)} from the exercise workspace
    (``Storage.step_accuracy()``); quantities of step types the learner gets wrong are asked
    proportionally more often (weight = smoothed error rate).
    """
    from engine.exercises import generate_backprop

    layers, act, out_act, loss = rng.choice(BACKPROP_SETUPS)
    seed = rng.randrange(2**31)
    ex = generate_backprop(
        seed,
        count=1,
        layers=layers,
        activation=act,
        output_activation=out_act,
        loss=loss,
        decimals=1,
        learning_rate=0.1,
    )[0]
    ans = ex["answers"]
    n_layers = len(layers) - 1
    options: list[tuple[str, int | None, int | None, int | None]] = []
    for layer in range(1, n_layers + 1):
        for unit in range(layers[layer]):
            options += [
                ("z", layer, unit, None),
                ("a", layer, unit, None),
                ("delta", layer, unit, None),
                ("grad_biases", layer, unit, None),
            ]
            for source in range(layers[layer - 1]):
                options += [
                    ("grad_weights", layer, unit, source),
                    ("updated_weights", layer, unit, source),
                ]
    options.append(("loss", None, None, None))
    # prefer a quantity that is not exactly 0 (a dead ReLU gives zeros that teach little)
    rng.shuffle(options)
    if prefer:

        def error_rate(option) -> float:
            correct, total = prefer.get(_step_type(option[0], option[1], n_layers), (0, 0))
            return (total - correct + 1.0) / (total + 2.0)

        # weighted order without replacement (Efraimidis–Spirakis keys u^(1/w))
        keys = {id(o): rng.random() ** (1.0 / error_rate(o)) for o in options}
        options.sort(key=lambda o: keys[id(o)], reverse=True)
    for what, m, j, k in options:
        value = _pick(ans, what, m, j, k)
        before = (
            float(ex["weights"][m - 1][j][k])
            if what == "updated_weights" and m is not None and k is not None
            else None
        )
        if abs(value) > 1e-4 and (before is None or moves(before, value)):
            break
    names = {
        "z": "z{m}{j} (pre-activation)",
        "a": "a{m}{j} (activation)",
        "delta": "δ{m}{j} = ∂L/∂z{m}{j}",
        "grad_biases": "∂L/∂b{m}{j}",
        "grad_weights": "∂L/∂W{m}{jk}",
        "updated_weights": "the updated weight W{m}{jk} after one gradient-descent step",
        "loss": "the loss L",
    }
    label = names[what].format(
        m=sup(m) if m else "",
        j=sub(j + 1) if j is not None else "",
        jk=(sub(j + 1) + "," + sub(k + 1)) if j is not None and k is not None else "",
    )
    weights = "; ".join(
        f"W{sup(i + 1)} = {fmt_mat(W)}, b{sup(i + 1)} = {fmt_vec(b)}"
        for i, (W, b) in enumerate(zip(ex["weights"], ex["biases"], strict=False))
    )
    loss_label = f"{LOSS_TEXT.get(loss, (loss,))[0]} ({_reduced(loss)})"
    z = "; ".join(f"z{sup(i + 1)} = {fmt_vec(v, 5)}" for i, v in enumerate(ans["z"]))
    a = "; ".join(f"a{sup(i + 1)} = {fmt_vec(v, 5)}" for i, v in enumerate(ans["a"]))
    d = "; ".join(f"δ{sup(i + 1)} = {fmt_vec(v, 5)}" for i, v in enumerate(ans["delta"]))
    return NumericDraft(
        "backprop",
        "backprop",
        "algorithm",
        f"Network {'-'.join(map(str, layers))}, hidden activation {act}, output activation "
        f"{out_act}, loss: {loss_label}, learning rate η = {ex['learning_rate']:g}. "
        f"Input x = {fmt_vec(ex['x'])}, target y = {fmt_vec(ex['target'])}; {weights} "
        f"(Wᵐ row j, column k joins unit k of layer m−1 to unit j of layer m). "
        f"Compute {label}. {ANSWER_NOTE}",
        value,
        f"Forward: {z}; {a}; L = {fmt(ans['loss'], 6)}. Backward: {d}. "
        f"∂L/∂Wᵐ = δᵐ·(aᵐ⁻¹)ᵀ, ∂L/∂bᵐ = δᵐ, Wᵐ ← Wᵐ − η·∂L/∂Wᵐ. Answer: {fmt(value, 6)}.",
        (layers, act, out_act, loss, seed, what, m, j, k),
        {"family": "backprop", "exercise": ex, "what": what, "m": m, "j": j, "k": k},
        before=before,
    )


def _pick(ans: dict, what: str, m, j, k) -> float:
    if what == "loss":
        return float(ans["loss"])
    layer = ans[what][m - 1]
    return float(layer[j][k] if k is not None else layer[j])


# (template, topic, maker); the topic decides where a family counts in a quiz
FAMILIES = (
    ("value", "activations", activation_value),
    ("derivative", "activations", activation_derivative),
    ("softmax", "activations", softmax_component),
    ("value", "losses", loss_value),
    ("gradient", "losses", loss_gradient),
    ("step", "optimizers", optimizer_step),
    ("gd_step", "optimizers", gd_quadratic),
    ("ewa", "optimizers", ewa),
    ("update", "concepts", perceptron_update),
    ("output", "concepts", mcculloch_pitts),
    ("chain_rule", "backprop", chain_rule_neuron),
    ("backprop", "backprop", backprop_quantity),
)


def families_for(topic: str | None) -> list:
    return [f for f in FAMILIES if topic is None or f[1] == topic]
