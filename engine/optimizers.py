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


def _sgd(p, g, s, h, t):
    return p - h["lr"] * g, {}, {}


def _momentum(p, g, s, h, t):
    velocity = h["gamma"] * s["velocity"] - h["lr"] * g
    return p + velocity, {"velocity": velocity}, {}


def _adagrad(p, g, s, h, t):
    G = s["G"] + g * g
    return p - h["lr"] * g / np.sqrt(G + h["eps"]), {"G": G}, {}


def _adadelta(p, g, s, h, t):
    rho, eps = h["rho"], h["eps"]
    Eg2 = rho * s["Eg2"] + (1 - rho) * g * g
    delta = -np.sqrt(s["Edx2"] + eps) / np.sqrt(Eg2 + eps) * g
    Edx2 = rho * s["Edx2"] + (1 - rho) * delta * delta
    return p + delta, {"Eg2": Eg2, "Edx2": Edx2}, {"delta": delta}


def _rmsprop(p, g, s, h, t):
    Eg2 = h["rho"] * s["Eg2"] + (1 - h["rho"]) * g * g
    return p - h["lr"] * g / np.sqrt(Eg2 + h["eps"]), {"Eg2": Eg2}, {}


def _power(base: float, t):
    """base**t with Python's float power for every t, so that one exercise gives bit-identical
    numbers whether it is solved alone (t an int) or in a batch (t an array of step numbers)."""
    if np.ndim(t) == 0:
        return base ** int(t)
    steps, inverse = np.unique(np.asarray(t), return_inverse=True)
    table = np.array([base ** int(k) for k in steps.tolist()])
    return table[inverse].reshape(np.shape(t))


def _adam_moments(g, s, h, t):
    m = h["beta1"] * s["m"] + (1 - h["beta1"]) * g
    v = h["beta2"] * s["v"] + (1 - h["beta2"]) * g * g
    m_hat = m / (1 - _power(h["beta1"], t))
    v_hat = v / (1 - _power(h["beta2"], t))
    return m, v, m_hat, v_hat


def _adam(p, g, s, h, t):
    m, v, m_hat, v_hat = _adam_moments(g, s, h, t)
    new = p - h["lr"] * m_hat / (np.sqrt(v_hat) + h["eps"])
    return new, {"m": m, "v": v}, {"m_hat": m_hat, "v_hat": v_hat}


def _adamw(p, g, s, h, t):
    m, v, m_hat, v_hat = _adam_moments(g, s, h, t)
    new = p - h["lr"] * (m_hat / (np.sqrt(v_hat) + h["eps"]) + h["weight_decay"] * p)
    return new, {"m": m, "v": v}, {"m_hat": m_hat, "v_hat": v_hat}


@dataclass(frozen=True)
class Optimizer:
    name: str
    defaults: dict[str, float]  # usual hyperparameters
    state_keys: tuple[str, ...]
    rule: Callable


OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o
    for o in (
        Optimizer("sgd", {"lr": 0.1}, (), _sgd),
        Optimizer("momentum", {"lr": 0.1, "gamma": 0.9}, ("velocity",), _momentum),
        Optimizer("nesterov", {"lr": 0.1, "gamma": 0.9}, ("velocity",), _momentum),
        Optimizer("adagrad", {"lr": 0.1, "eps": 1e-8}, ("G",), _adagrad),
        Optimizer("adadelta", {"rho": 0.95, "eps": 1e-6}, ("Eg2", "Edx2"), _adadelta),
        Optimizer("rmsprop", {"lr": 0.01, "rho": 0.9, "eps": 1e-8}, ("Eg2",), _rmsprop),
        Optimizer("adam", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, ("m", "v"),
                  _adam),
        Optimizer("adamw", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                            "weight_decay": 0.01}, ("m", "v"), _adamw),
    )
}


def get(name: str) -> Optimizer:
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ValueError(
            f"unknown optimizer {name!r} (allowed: {', '.join(OPTIMIZERS)})"
        ) from None


def initial_state(name: str, params: np.ndarray) -> Arrays:
    """The state before step 1: zeros shaped like ``params``."""
    return {key: np.zeros_like(np.asarray(params, dtype=float)) for key in get(name).state_keys}


def step(name: str, params, grad, state: Arrays | None = None,
         hyperparameters: dict[str, float] | None = None, t: int = 1):
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
    s = initial_state(name, p) if state is None else {k: np.asarray(state[k], dtype=float)
                                                      for k in opt.state_keys}
    h = {**opt.defaults, **(hyperparameters or {})}
    return opt.rule(p, g, s, h, t)
