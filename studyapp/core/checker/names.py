"""Names the checker knows: functions (with aliases and arities), constants, Greek letters.

Everything a user may call is listed here; any other name followed by ``(`` is reported as an
unknown function together with this list, so nothing outside it can ever be reached.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FunctionSpec:
    """A callable the grammar accepts: canonical ``name``, argument count range, display form."""

    name: str
    min_args: int
    max_args: int
    display: str


def _spec(
    name: str, display: str | None = None, min_args: int = 1, max_args: int = 1
) -> FunctionSpec:
    return FunctionSpec(name, min_args, max_args, display or name)


_SPECS = {
    "sigma": _spec("sigma", "σ"),
    "exp": _spec("exp"),
    "log": _spec("log", "ln", 1, 2),  # log(x) is the natural log; log(x, b) is base b
    "log10": _spec("log10"),
    "log2": _spec("log2"),
    "sqrt": _spec("sqrt", "√"),
    "tanh": _spec("tanh"),
    "sinh": _spec("sinh"),
    "cosh": _spec("cosh"),
    "sech": _spec("sech"),
    "sin": _spec("sin"),
    "cos": _spec("cos"),
    "tan": _spec("tan"),
    "abs": _spec("abs"),
    "max": _spec("max", min_args=1, max_args=8),
    "min": _spec("min", min_args=1, max_args=8),
    "relu": _spec("relu", "ReLU"),
    "leaky_relu": _spec("leaky_relu", "LeakyReLU"),
    "elu": _spec("elu", "ELU"),
    "softplus": _spec("softplus"),
    "swish": _spec("swish"),
    "step": _spec("step", "H"),  # Heaviside step: 1 for x >= 0 else 0 (the notes' ReLU derivative)
    "dsigma": _spec("dsigma", "σ′"),
    "dtanh": _spec("dtanh", "tanh′"),
}

# typed name -> spec. Lower-case aliases people use.
FUNCTIONS: dict[str, FunctionSpec] = {
    "sigma": _SPECS["sigma"],
    "sigmoid": _SPECS["sigma"],
    "logistic": _SPECS["sigma"],
    "σ": _SPECS["sigma"],
    "exp": _SPECS["exp"],
    "ln": _SPECS["log"],
    "log": _SPECS["log"],
    "log10": _SPECS["log10"],
    "log2": _SPECS["log2"],
    "sqrt": _SPECS["sqrt"],
    "tanh": _SPECS["tanh"],
    "sinh": _SPECS["sinh"],
    "cosh": _SPECS["cosh"],
    "sech": _SPECS["sech"],
    "sin": _SPECS["sin"],
    "cos": _SPECS["cos"],
    "tan": _SPECS["tan"],
    "abs": _SPECS["abs"],
    "max": _SPECS["max"],
    "min": _SPECS["min"],
    "relu": _SPECS["relu"],
    "leaky_relu": _SPECS["leaky_relu"],
    "leakyrelu": _SPECS["leaky_relu"],
    "lrelu": _SPECS["leaky_relu"],
    "elu": _SPECS["elu"],
    "softplus": _SPECS["softplus"],
    "swish": _SPECS["swish"],
    "silu": _SPECS["swish"],
    "step": _SPECS["step"],
    "heaviside": _SPECS["step"],
    "dsigma": _SPECS["dsigma"],
    "dtanh": _SPECS["dtanh"],
}

# f' (prime) notation: what the derivative of each function is, as a function name, when it is one.
PRIME = {"sigma": "dsigma", "tanh": "dtanh", "relu": "step", "softplus": "sigma", "exp": "exp"}

# Names that are case-insensitive spellings of functions (ReLU, Tanh, ...).
FUNCTION_NAMES_CI = {k.lower(): v for k, v in FUNCTIONS.items() if k.isascii()}

CONSTANTS = {"e": "e", "pi": "pi", "π": "pi"}

# Greek letters: spelled name -> canonical symbol name, and canonical -> display letter.
GREEK_WORDS = {
    "alpha": "alpha",
    "beta": "beta",
    "gamma": "gamma",
    "delta": "delta",
    "epsilon": "eps",
    "eps": "eps",
    "varepsilon": "eps",
    "zeta": "zeta",
    "eta": "eta",
    "theta": "theta",
    "kappa": "kappa",
    "lambda": "lambda",
    "lam": "lambda",
    "mu": "mu",
    "nu": "nu",
    "rho": "rho",
    "tau": "tau",
    "phi": "phi",
    "chi": "chi",
    "psi": "psi",
    "omega": "omega",
}
GREEK_LETTERS = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "eps",
    "ϵ": "eps",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "ρ": "rho",
    "τ": "tau",
    "φ": "phi",
    "ϕ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Δ": "Delta",
    "∇": "nabla",
}
GREEK_DISPLAY = {v: k for k, v in GREEK_LETTERS.items() if k not in ("ϵ", "ϕ")}
GREEK_DISPLAY["eps"] = "ε"
GREEK_DISPLAY["sigma"] = "σ"  # only as a variable name such as sigma_1 (σ(z) is the function)
GREEK_DISPLAY["pi"] = "π"  # only as a variable name such as pi_1 (π alone is the constant)

SUPERSCRIPTS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
    "⁻": "-",
}
SUBSCRIPTS = {
    "₀": "0",
    "₁": "1",
    "₂": "2",
    "₃": "3",
    "₄": "4",
    "₅": "5",
    "₆": "6",
    "₇": "7",
    "₈": "8",
    "₉": "9",
    "ᵢ": "i",
    "ⱼ": "j",
    "ₖ": "k",
    "ₙ": "n",
    "ₘ": "m",
    "ₜ": "t",
}
# letters with a unicode subscript form, for rendering w_1 as w₁ and x_i as xᵢ
SUBSCRIPT_OF = {
    "0": "₀",
    "1": "₁",
    "2": "₂",
    "3": "₃",
    "4": "₄",
    "5": "₅",
    "6": "₆",
    "7": "₇",
    "8": "₈",
    "9": "₉",
    "a": "ₐ",
    "e": "ₑ",
    "h": "ₕ",
    "i": "ᵢ",
    "j": "ⱼ",
    "k": "ₖ",
    "l": "ₗ",
    "m": "ₘ",
    "n": "ₙ",
    "o": "ₒ",
    "p": "ₚ",
    "r": "ᵣ",
    "s": "ₛ",
    "t": "ₜ",
    "u": "ᵤ",
    "v": "ᵥ",
    "x": "ₓ",
}
SUPERSCRIPT_OF = {v: k for k, v in SUPERSCRIPTS.items()}


def known_function_list() -> str:
    """The callable names, for 'unknown function' messages."""
    shown = [
        "sigma/σ/sigmoid",
        "exp",
        "ln/log",
        "sqrt/√",
        "tanh",
        "sinh",
        "cosh",
        "sech",
        "sin",
        "cos",
        "tan",
        "abs",
        "max",
        "min",
        "relu",
        "leaky_relu",
        "elu",
        "softplus",
        "swish",
        "step",
    ]
    return ", ".join(shown)
