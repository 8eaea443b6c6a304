"""How formulas are written as text: activations, losses, optimizer update rules and the symbols
of their quantities, spelled once for the worked solutions (``core/worked.py``), the exercise
workspace's hints, the quizzes' loss questions and the worksheets.

Every table is keyed by the engine's names (``engine.activations``, ``engine.losses``,
``engine.optimizers``). Where two places print the same formula in different typography, both
spellings live here side by side in one record, named for where they are printed: the command
line's output is a contract (byte for byte for the same seed), so a record keeps the wording each
command prints today (e.g. a loss's ``definition`` in worked solutions vs its ``quiz_definition`` in
quiz questions). MathML forms of the same formulas are in ``studyapp.export.formulas``.
"""

from __future__ import annotations

from dataclasses import dataclass

_SUP = str.maketrans("0123456789-m", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵐ")


def sup(n: int | str) -> str:
    """Unicode superscript of a layer number: 2 → ²."""
    return str(n).translate(_SUP)


# --------------------------------------------------------------------------- activations


@dataclass(frozen=True)
class ActivationNotation:
    """One activation function: ``symbol`` as applied (``σ`` in σ(z¹)), its LaTeX operator, and
    the formula and derivative lines of worked solutions and workspace hints."""

    symbol: str
    latex: str
    formula: str
    derivative: str


ACTIVATION_NOTATION: dict[str, ActivationNotation] = {
    "sigmoid": ActivationNotation(
        "σ", r"\sigma", "σ(z) = 1/(1 + e⁻ᶻ)", "σ′(z) = σ(z)(1 − σ(z)) = a(1 − a)"
    ),
    "tanh": ActivationNotation(
        "tanh",
        r"\tanh",
        "tanh(z) = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)",
        "tanh′(z) = 1 − tanh²(z) = 1 − a²",
    ),
    "relu": ActivationNotation(
        "ReLU", r"\operatorname{ReLU}", "ReLU(z) = max(0, z)", "ReLU′(z) = 1 if z > 0 else 0"
    ),
    "leaky_relu": ActivationNotation(
        "LeakyReLU",
        r"\operatorname{LeakyReLU}",
        "LeakyReLU(z) = max(0.01z, z)",
        "LeakyReLU′(z) = 1 if z > 0 else 0.01",
    ),
    "elu": ActivationNotation(
        "ELU",
        r"\operatorname{ELU}",
        "ELU(z) = z if z > 0 else eᶻ − 1",
        "ELU′(z) = 1 if z > 0 else eᶻ",
    ),
    "softplus": ActivationNotation(
        "softplus", r"\operatorname{softplus}", "softplus(z) = ln(1 + eᶻ)", "softplus′(z) = σ(z)"
    ),
    "swish": ActivationNotation(
        "swish",
        r"\operatorname{swish}",
        "swish(z) = z·σ(z)",
        "swish′(z) = σ(z) + z·σ(z)(1 − σ(z))",
    ),
    "linear": ActivationNotation("id", r"\operatorname{id}", "id(z) = z", "id′(z) = 1"),
    "softmax": ActivationNotation(
        "softmax",
        r"\operatorname{softmax}",
        "softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)",
        "∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ)  (Jacobian)",
    ),
}


# --------------------------------------------------------------------------- losses


#: how a loss combines its per-output terms ℓ(aᵢ, yᵢ) over the n outputs (a loss entry's
#: ``reduction``, the engine's ``Loss.reduction``): "summed" / "averaged", and the sum written out
REDUCED = {"sum": "summed", "mean": "averaged"}
REDUCTION_SUM = {"sum": "L = Σᵢ ℓ(aᵢ, yᵢ)", "mean": "L = (1/n)·Σᵢ ℓ(aᵢ, yᵢ)"}


def reduction_phrase(reduction: str) -> str:
    """``summed over the n outputs, L = Σᵢ ℓ(aᵢ, yᵢ)``."""
    return f"{REDUCED[reduction]} over the n outputs, {REDUCTION_SUM[reduction]}"


@dataclass(frozen=True)
class LossNotation:
    """One loss (a = network output, y = target, n = number of outputs).

    ``definition``/``gradient``: worked solutions, worksheets and workspace hints (∂L/∂a of the
    whole output). ``quiz_definition``/``quiz_gradient``: quiz questions, which ask for one
    component ∂L/∂aᵢ; ``label`` names the loss in a quiz prompt. The two spellings differ in
    typography only (Huber's gradient is written two equivalent ways).
    """

    label: str
    definition: str
    gradient: str
    latex: str
    quiz_definition: str
    quiz_gradient: str


LOSS_NOTATION: dict[str, LossNotation] = {
    "half_sse": LossNotation(
        "half sum of squared errors",
        "L = ½ Σ (a − y)²",
        "∂L/∂a = a − y",
        r"L = \tfrac12 \sum_i (a_i - y_i)^2",
        "L = ½·Σ(a − y)²",
        "∂L/∂aᵢ = aᵢ − yᵢ",
    ),
    "mse": LossNotation(
        "mean squared error",
        "L = Σ (a − y)² / n",
        "∂L/∂a = 2(a − y)/n",
        r"L = \tfrac1n \sum_i (a_i - y_i)^2",
        "L = Σ(a − y)²/n",
        "∂L/∂aᵢ = 2(aᵢ − yᵢ)/n",
    ),
    "mae": LossNotation(
        "mean absolute error",
        "L = Σ |a − y| / n",
        "∂L/∂a = sign(a − y)/n",
        r"L = \tfrac1n \sum_i |a_i - y_i|",
        "L = Σ|a − y|/n",
        "∂L/∂aᵢ = sign(aᵢ − yᵢ)/n",
    ),
    "huber": LossNotation(
        "Huber loss (δ = 1, mean over outputs)",
        "L = mean of ½r² if |r| ≤ 1 else |r| − ½, r = a − y",
        "∂L/∂a = clip(a − y, −1, 1)/n",
        r"L = \tfrac1n \sum_i h(a_i - y_i),\ h(r) = \begin{cases}\tfrac12 r^2 & |r|\le 1\\"
        r" |r| - \tfrac12 & \text{else}\end{cases}",
        "L = (1/n)·Σ [½r² if |r| ≤ 1 else |r| − ½], r = a − y",
        "∂L/∂aᵢ = rᵢ/n if |rᵢ| ≤ 1 else sign(rᵢ)/n",
    ),
    "bce": LossNotation(
        "binary cross-entropy",
        "L = −Σ [y ln a + (1 − y) ln(1 − a)]",
        "∂L/∂a = (a − y) / (a(1 − a))",
        r"L = -\sum_i \left[y_i \ln a_i + (1-y_i)\ln(1-a_i)\right]",
        "L = −Σ[y·ln a + (1 − y)·ln(1 − a)]",
        "∂L/∂aᵢ = (aᵢ − yᵢ)/(aᵢ(1 − aᵢ))",
    ),
    "cce": LossNotation(
        "categorical cross-entropy (one-hot y)",
        "L = −Σ y ln a",
        "∂L/∂a = −y / a",
        r"L = -\sum_i y_i \ln a_i",
        "L = −Σ y·ln a",
        "∂L/∂aᵢ = −yᵢ/aᵢ",
    ),
    "hinge": LossNotation(
        "hinge loss (targets ±1)",
        "L = Σ max(0, 1 − y·a)",
        "∂L/∂a = −y where 1 − y·a > 0, else 0",
        r"L = \sum_i \max(0, 1 - y_i a_i)",
        "L = Σ max(0, 1 − y·a)",
        "∂L/∂aᵢ = −yᵢ if 1 − yᵢaᵢ > 0 else 0",
    ),
}


# --------------------------------------------------------------------------- optimizers


@dataclass(frozen=True)
class UpdateRule:
    """One stage of an optimizer step. ``key`` is the engine's stage it computes
    (``engine.optimizers.STAGES``: ``m``, ``v_hat``, ``params`` …); ``text`` is the line of worked
    solutions and worksheets, ``hint`` the workspace's formula hint (spaced). Both write the
    accumulators as the notes do, ``E[g²]`` and ``E[Δx²]`` (the JSON's ``Eg2`` and ``Edx2`` are
    names for programs, :data:`QUANTITY_SYMBOL`)."""

    key: str
    text: str
    hint: str


def _rule(key: str, text: str, hint: str | None = None) -> UpdateRule:
    return UpdateRule(key, text, text if hint is None else hint)


_ADAM_MOMENTS = (
    _rule("m", "m ← β₁·m + (1−β₁)·g", "m ← β₁·m + (1 − β₁)·g"),
    _rule("v", "v ← β₂·v + (1−β₂)·g²", "v ← β₂·v + (1 − β₂)·g²"),
    _rule("m_hat", "m̂ = m/(1−β₁ᵗ)", "m̂ = m / (1 − β₁ᵗ)"),
    _rule("v_hat", "v̂ = v/(1−β₂ᵗ)", "v̂ = v / (1 − β₂ᵗ)"),
)
_E_G2 = _rule("Eg2", "E[g²] ← ρ·E[g²] + (1−ρ)·g²", "E[g²] ← ρ·E[g²] + (1 − ρ)·g²")
_THETA_PLUS_VELOCITY = _rule("params", "θ ← θ + velocity")

#: optimizer -> its update rules, in the order the step computes them
UPDATE_RULES: dict[str, tuple[UpdateRule, ...]] = {
    "sgd": (_rule("params", "θ ← θ − lr·g"),),
    "momentum": (_rule("velocity", "velocity ← γ·velocity − lr·g"), _THETA_PLUS_VELOCITY),
    "nesterov": (
        _rule(
            "velocity",
            "velocity ← γ·velocity − lr·g",
            "velocity ← γ·velocity − lr·g   (g given at the look-ahead point)",
        ),
        _THETA_PLUS_VELOCITY,
    ),
    "adagrad": (
        _rule("G", "G ← G + g²"),
        _rule("params", "θ ← θ − lr·g/√(G + ε)", "θ ← θ − lr·g / √(G + ε)"),
    ),
    "adadelta": (
        _E_G2,
        _rule(
            "delta", "Δθ = −√(E[Δx²] + ε)/√(E[g²] + ε)·g", "Δθ = −√(E[Δx²] + ε) / √(E[g²] + ε) · g"
        ),
        _rule("Edx2", "E[Δx²] ← ρ·E[Δx²] + (1−ρ)·Δθ²", "E[Δx²] ← ρ·E[Δx²] + (1 − ρ)·Δθ²"),
        _rule("params", "θ ← θ + Δθ"),
    ),
    "rmsprop": (
        _E_G2,
        _rule("params", "θ ← θ − lr·g/√(E[g²] + ε)", "θ ← θ − lr·g / √(E[g²] + ε)"),
    ),
    "adam": (
        *_ADAM_MOMENTS,
        _rule("params", "θ ← θ − lr·m̂/(√v̂ + ε)", "θ ← θ − lr·m̂ / (√v̂ + ε)"),
    ),
    "adamw": (
        *_ADAM_MOMENTS,
        _rule("params", "θ ← θ − lr·(m̂/(√v̂ + ε) + wd·θ)", "θ ← θ − lr·(m̂ / (√v̂ + ε) + wd·θ)"),
    ),
}

#: a line printed before an optimizer's rules, where the rules alone would mislead
RULES_PREAMBLE: dict[str, str] = {
    "nesterov": "(g is the gradient at the look-ahead point θ + γ·velocity)",
}


def rule_lines(optimizer: str) -> list[str]:
    """The update rules of ``optimizer`` as worked solutions print them, one line each."""
    preamble = RULES_PREAMBLE.get(optimizer)
    return ([preamble] if preamble else []) + [r.text for r in UPDATE_RULES[optimizer]]


def rule_hint(optimizer: str, key: str) -> str | None:
    """The workspace's formula hint for stage ``key`` of ``optimizer`` (None when it has none)."""
    for rule in UPDATE_RULES.get(optimizer, ()):
        if rule.key == key:
            return rule.hint
    return None


#: hyperparameter names as symbols
HYPER_SYMBOL: dict[str, str] = {
    "lr": "lr",
    "gamma": "γ",
    "eps": "ε",
    "rho": "ρ",
    "beta1": "β₁",
    "beta2": "β₂",
    "weight_decay": "wd",
}

#: state and intermediate quantities whose JSON name is not their symbol (others print as named):
#: the notes' names for the accumulators, E[g²] and E[Δx²], wherever a person reads them
QUANTITY_SYMBOL: dict[str, str] = {
    "delta": "Δθ",
    "m_hat": "m̂",
    "v_hat": "v̂",
    "Eg2": "E[g²]",
    "Edx2": "E[Δx²]",
}

#: the workspace's answer-box labels: the symbols, and the new θ
QUANTITY_LABEL: dict[str, str] = {**QUANTITY_SYMBOL, "params": "θ new"}


def quantity_symbol(name: str) -> str:
    """How a person reads the state or intermediate quantity ``name`` (``Eg2`` → ``E[g²]``)."""
    return QUANTITY_SYMBOL.get(name, name)
