"""A small terminal plot of an activation or loss function and its derivative.

The numbers come from the NumPy engine (``engine.activations`` / ``engine.losses``), which is
the same code the exercises use, so the plot agrees with the worked answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual_plotext import PlotextPlot

#: Content entry name/alias spellings -> engine names.
_ALIASES = {
    "logistic": "sigmoid",
    "sigmoid": "sigmoid",
    "hyperbolic tangent": "tanh",
    "tanh": "tanh",
    "relu": "relu",
    "rectified linear unit": "relu",
    "leaky relu": "leaky_relu",
    "leaky_relu": "leaky_relu",
    "elu": "elu",
    "softplus": "softplus",
    "swish": "swish",
    "silu": "swish",
    "linear": "linear",
    "identity": "linear",
    "half_sse": "half_sse",
    "sse": "half_sse",
    "mse": "mse",
    "mean squared error": "mse",
    "mae": "mae",
    "mean absolute error": "mae",
    "huber": "huber",
    "bce": "bce",
    "binary cross-entropy": "bce",
    "binary cross entropy": "bce",
    "cce": "cce",
    "categorical cross-entropy": "cce",
    "hinge": "hinge",
}


@dataclass
class Curve:
    """Sampled function: ``x`` (n,), ``y`` (n,), ``dy`` (n,); ``x_label`` names the axis."""

    title: str
    x: list[float]
    y: list[float]
    dy: list[float]
    x_label: str


def engine_name(entry) -> str | None:
    """The engine's name for a content entry (``act.leaky_relu`` -> ``leaky_relu``) or None."""
    candidates = [str(entry.id).split(".")[-1], str(entry.name)]
    aliases = entry.fields.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    candidates += list(aliases)
    for cand in candidates:
        key = cand.strip().lower().replace("-", " ").replace("_", " ")
        for spelling in (key, key.replace(" ", "_"), cand.strip().lower()):
            if spelling in _ALIASES:
                return _ALIASES[spelling]
    return None


def sample_curve(entry, points: int = 81) -> Curve | None:
    """Sample an activation (over z ∈ [-4, 4]) or a loss (over a, with target y = 1).

    Returns None for entries the engine cannot evaluate element-wise (softmax, unknown names).
    """
    import numpy as np

    name = engine_name(entry)
    if name is None:
        return None
    try:
        if entry.topic == "activations":
            from engine.activations import ACTIVATIONS

            activation = ACTIVATIONS.get(name)
            if activation is None or not activation.elementwise:  # softmax: a Jacobian
                return None
            z = np.linspace(-4.0, 4.0, points)[None, :]  # (B=1, n)
            return Curve(
                f"{entry.name}(z) and its derivative",
                z[0].tolist(),
                np.asarray(activation.value(z))[0].tolist(),
                np.asarray(activation.elementwise_derivative(z))[0].tolist(),
                "z",
            )
        if entry.topic == "losses":
            from engine.losses import LOSSES

            loss = LOSSES.get(name)
            if loss is None:
                return None
            if name == "hinge":
                a = np.linspace(-2.0, 2.0, points)
            elif name in ("bce", "cce"):
                a = np.linspace(0.02, 0.98, points)  # log loss is defined on (0, 1)
            else:
                a = np.linspace(-1.0, 3.0, points)
            a2 = a[:, None]  # (B=points, n=1): one output per sample
            y2 = np.ones_like(a2)
            return Curve(
                f"{entry.name} for target y = 1",
                a.tolist(),
                np.asarray(loss.value(a2, y2)).reshape(-1).tolist(),
                np.asarray(loss.grad(a2, y2)).reshape(-1).tolist(),
                "a",
            )
    except Exception:
        return None
    return None


class FunctionPlot(PlotextPlot):
    """Plots a :class:`Curve`: the function and its derivative on one set of axes."""

    def __init__(self, curve: Curve | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.curve = curve

    def on_mount(self) -> None:
        self.show_curve(self.curve)

    def show_curve(self, curve: Curve | None) -> None:
        self.curve = curve
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if curve is not None:
            plt.title(curve.title)
            plt.plot(curve.x, curve.y, label="f", marker="braille")
            plt.plot(curve.x, curve.dy, label="f′", marker="braille")
            plt.xlabel(curve.x_label)
        self.display = curve is not None
        self.refresh()
