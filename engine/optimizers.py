"""Optimizer steps as pure functions: (params, grad, state, hyperparameters, t) → new values.

All arrays are element-wise and may carry any leading batch axes (e.g. (B, K): B exercises of K
parameters). ``t`` is the number of the step being taken (the first step is t = 1); ``state`` holds the
values after step t − 1. The rules follow the notes (Ruder's overview), g = grad:

    sgd       θ ← θ − lr·g
    momentum  v ← γ·v − lr·g;  θ ← θ + v
    nesterov  as momentum, with g evaluated at the look-ahead point θ + γ·v (given as ``grad``)
    adagrad   G ← G + g²;  θ ← θ − lr·g/√(G + ε)
    adadelta  E[g²] ← ρE[g²] + (1−ρ)g²;  Δθ = −√(E[Δθ²] + ε)/√(E[g²] + ε)·g;
              E[Δθ²] ← ρE[Δθ²] + (1−ρ)Δθ²;  θ ← θ + Δθ
    rmsprop   E[g²] ← ρE[g²] + (1−ρ)g²;  θ ← θ − lr·g/√(E[g²] + ε)
    adam      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁^t);  v̂ = v/(1−β₂^t);
              θ ← θ − lr·m̂/(√v̂ + ε)
    adamw     adam with decoupled weight decay: θ ← θ − lr·(m̂/(√v̂ + ε) + wd·θ)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Arrays = dict[str, np.ndarray]


def _power(base: float, t):
    """base**t with Python's float power for every t, so that one exercise gives bit-identical
    numbers whether it is solved alone (t an int) or in a batch (t an array of step numbers)."""
    if np.ndim(t) == 0:
        return base ** int(t)
    steps, inverse = np.unique(np.asarray(t), return_inverse=True)
    table = np.array([base ** int(k) for k in steps.tolist()])
    return table[inverse].reshape(np.shape(t))


# Each rule is a list of stages (name, fn(env) -> array), run in order over an environment that
# holds "params", "grad", "t", the hyperparameters, the state after step t − 1 and the results of
# earlier stages; a stage's result replaces the old value of that name. A grader can therefore
# recompute any single stage from a student's own earlier values (error carried forward).
Stage = tuple[str, Callable[[dict], np.ndarray]]

_ADAM_MOMENTS: list[Stage] = [
    ("m", lambda e: e["beta1"] * e["m"] + (1 - e["beta1"]) * e["grad"]),
    ("v", lambda e: e["beta2"] * e["v"] + (1 - e["beta2"]) * e["grad"] ** 2),
    ("m_hat", lambda e: e["m"] / (1 - _power(e["beta1"], e["t"]))),
    ("v_hat", lambda e: e["v"] / (1 - _power(e["beta2"], e["t"]))),
]
_MOMENTUM: list[Stage] = [
    ("velocity", lambda e: e["gamma"] * e["velocity"] - e["lr"] * e["grad"]),
    ("params", lambda e: e["params"] + e["velocity"]),
]
STAGES: dict[str, list[Stage]] = {
    "sgd": [("params", lambda e: e["params"] - e["lr"] * e["grad"])],
    "momentum": _MOMENTUM,
    "nesterov": _MOMENTUM,
    "adagrad": [
        ("G", lambda e: e["G"] + e["grad"] ** 2),
        ("params", lambda e: e["params"] - e["lr"] * e["grad"] / np.sqrt(e["G"] + e["eps"])),
    ],
    "adadelta": [
        ("Eg2", lambda e: e["rho"] * e["Eg2"] + (1 - e["rho"]) * e["grad"] ** 2),
        (
            "delta",
            lambda e: -np.sqrt(e["Edx2"] + e["eps"]) / np.sqrt(e["Eg2"] + e["eps"]) * e["grad"],
        ),
        ("Edx2", lambda e: e["rho"] * e["Edx2"] + (1 - e["rho"]) * e["delta"] ** 2),
        ("params", lambda e: e["params"] + e["delta"]),
    ],
    "rmsprop": [
        ("Eg2", lambda e: e["rho"] * e["Eg2"] + (1 - e["rho"]) * e["grad"] ** 2),
        ("params", lambda e: e["params"] - e["lr"] * e["grad"] / np.sqrt(e["Eg2"] + e["eps"])),
    ],
    "adam": [
        *_ADAM_MOMENTS,
        (
            "params",
            lambda e: e["params"] - e["lr"] * e["m_hat"] / (np.sqrt(e["v_hat"]) + e["eps"]),
        ),
    ],
    "adamw": [
        *_ADAM_MOMENTS,
        (
            "params",
            lambda e: (
                e["params"]
                - e["lr"]
                * (e["m_hat"] / (np.sqrt(e["v_hat"]) + e["eps"]) + e["weight_decay"] * e["params"])
            ),
        ),
    ],
}


@dataclass(frozen=True)
class Optimizer:
    name: str
    defaults: dict[str, float]  # usual hyperparameters
    state_keys: tuple[str, ...]
    intermediates: tuple[str, ...] = ()
    in_notes: bool = True  # one of the seven rows of the notes' optimizer table


OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o
    for o in (
        Optimizer("sgd", {"lr": 0.1}, ()),
        Optimizer("momentum", {"lr": 0.1, "gamma": 0.9}, ("velocity",)),
        Optimizer("nesterov", {"lr": 0.1, "gamma": 0.9}, ("velocity",)),
        Optimizer("adagrad", {"lr": 0.1, "eps": 1e-8}, ("G",)),
        Optimizer("adadelta", {"rho": 0.95, "eps": 1e-6}, ("Eg2", "Edx2"), ("delta",)),
        Optimizer("rmsprop", {"lr": 0.01, "rho": 0.9, "eps": 1e-8}, ("Eg2",)),
        Optimizer(
            "adam",
            {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
            ("m", "v"),
            ("m_hat", "v_hat"),
        ),
        Optimizer(
            "adamw",
            {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
            ("m", "v"),
            ("m_hat", "v_hat"),
            in_notes=False,
        ),
    )
}

#: The notes' seven optimizers: what quizzes, worksheets and the workspace draw from.
NOTES_OPTIMIZERS: tuple[str, ...] = tuple(n for n, o in OPTIMIZERS.items() if o.in_notes)
#: The engine's extras beyond the notes (adamw): accepted by the CLI, never drawn at random.
EXTRA_OPTIMIZERS: tuple[str, ...] = tuple(n for n, o in OPTIMIZERS.items() if not o.in_notes)


def get(name: str) -> Optimizer:
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r} (allowed: {', '.join(OPTIMIZERS)})") from None


def initial_state(name: str, params: np.ndarray) -> Arrays:
    """The state before step 1: zeros shaped like ``params``."""
    return {key: np.zeros_like(np.asarray(params, dtype=float)) for key in get(name).state_keys}


def step(
    name: str,
    params,
    grad,
    state: Arrays | None = None,
    hyperparameters: dict[str, float] | None = None,
    t: int = 1,
):
    """Take step ``t`` of optimizer ``name``.

    params, grad: arrays of the same shape; state: arrays after step t − 1 (None → zeros);
    hyperparameters override the defaults; t may be an array broadcasting against params
    (one step number per exercise). Returns (new_params, new_state, intermediates); inputs are
    not modified.
    """
    opt = get(name)
    if np.any(np.asarray(t) < 1):
        raise ValueError(f"t must be >= 1 (the first step is t = 1), got {t}")
    p = np.asarray(params, dtype=float)
    g = np.asarray(grad, dtype=float)
    s = (
        initial_state(name, p)
        if state is None
        else {k: np.asarray(state[k], dtype=float) for k in opt.state_keys}
    )
    env = {**opt.defaults, **(hyperparameters or {}), **s, "params": p, "grad": g, "t": t}
    env = run_stages(name, env)
    return (
        env["params"],
        {k: env[k] for k in opt.state_keys},
        {k: env[k] for k in opt.intermediates},
    )


def run_stages(name: str, env: dict, until: str | None = None) -> dict:
    """Run the stages of ``name`` over ``env`` (see STAGES) and return the new environment; with
    ``until``, stop after that stage. ``env`` itself is not modified."""
    env = dict(env)
    for key, fn in STAGES[name]:
        env[key] = fn(env)
        if key == until:
            break
    return env
