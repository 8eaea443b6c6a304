"""Training a small fully connected network on a 2-D data set: the playground's trainer.

The network follows ``engine.network``'s notation (W^m: (N^m, N^(m−1)), b^m: (N^m,)), but one set of
weights is shared by all P points, so a batch is a matrix: A^m = f(A^(m−1) W^mᵀ + b^m) with A^m of
shape (B, N^m), one row per point. The loss is the mean over the batch of the engine's per-point loss,
and the gradients are its gradients (means over the batch).

Unlike the rest of the engine (pure functions), ``Trainer`` keeps and reuses its own buffers, because
with such small arrays the per-step overhead is the whole cost: all weights and biases live in one
flat float64 vector ``params`` (``W`` and ``b`` are views into it), the gradient in another, so one
call of ``engine.optimizers.step`` updates every layer at once; forward and backward write into
preallocated work arrays.

Seeding: ``SeedSequence(seed)`` is split into three streams — data, initial weights, mini-batch
order — so the same seed gives the same run, and changing ``batch`` does not change the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine import activations as _act
from engine import losses as _loss
from engine import network as _net
from engine import optimizers as _opt
from engine.exercises import OptionError, validate_backprop_options
from engine.playground import datasets as _data

SCHEMA = 1
MAX_POINTS = 100_000


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a run (the contract's defaults). ``batch`` None is full batch;
    ``lr`` is ignored by an optimizer that has none (adadelta)."""

    dataset: str = "xor"
    layers: tuple[int, ...] = (2, 8, 1)
    activation: str = "tanh"
    output_activation: str = "sigmoid"
    loss: str = "bce"
    optimizer: str = "adam"
    lr: float = 0.01
    batch: int | None = None
    points: int = 200
    noise: float = 0.0
    seed: int = 0

    @property
    def target_kind(self) -> str:
        return _data.target_kind(self.output_activation, self.loss)

    @property
    def batch_size(self) -> int:
        return self.points if self.batch is None else self.batch

    @property
    def hyperparameters(self) -> dict[str, float]:
        """The optimizer's defaults with ``lr`` in place of its learning rate."""
        hp = dict(_opt.get(self.optimizer).defaults)
        if "lr" in hp:
            hp["lr"] = float(self.lr)
        return hp

    def validate(self) -> None:
        """Raise OptionError naming the option for any bad value or combination."""
        if self.dataset not in _data.DATASETS:
            raise OptionError(
                "--dataset",
                f"unknown data set {self.dataset!r} (allowed: {', '.join(_data.DATASETS)})",
            )
        if self.optimizer not in _opt.OPTIMIZERS:
            raise OptionError(
                "--optimizer",
                f"unknown optimizer {self.optimizer!r} (allowed: {', '.join(_opt.OPTIMIZERS)})",
            )
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise OptionError("--lr", f"must be a positive number, got {self.lr}")
        if not 2 <= self.points <= MAX_POINTS:
            raise OptionError("--points", f"must be from 2 to {MAX_POINTS}, got {self.points}")
        if not (math.isfinite(self.noise) and self.noise >= 0):
            raise OptionError("--noise", f"must be a number >= 0, got {self.noise}")
        if not 1 <= self.batch_size <= self.points:
            raise OptionError(
                "--batch", f"must be from 1 to --points ({self.points}), got {self.batch}"
            )
        if self.seed < 0:
            raise OptionError("--seed", f"must be a non-negative integer, got {self.seed}")
        validate_backprop_options(
            list(self.layers), self.activation, self.output_activation, self.loss, 0, 1.0
        )
        if self.layers[0] != 2:
            raise OptionError(
                "--layers",
                f"the input layer must have 2 units (the points are 2-D), got {self.layers[0]}",
            )
        if self.loss == "hinge" and self.output_activation == "softmax":
            raise OptionError("--loss", "hinge needs one output unit with targets ±1, not softmax")
        units = _data.output_units(self.target_kind)
        if self.layers[-1] != units:
            raise OptionError(
                "--layers",
                f"the output layer must have {units} unit{'s' if units > 1 else ''} for a "
                f"{self.output_activation} output (got {self.layers[-1]})",
            )


@dataclass(frozen=True)
class Evaluation:
    """The network after ``step`` updates, on the full data set: mean loss, accuracy in [0, 1],
    and the Frobenius norm of the mean gradient ∂L/∂W^m of each layer (layer 1 first)."""

    step: int
    loss: float
    accuracy: float
    grad_norms: tuple[float, ...]


@dataclass(frozen=True)
class Grid:
    """A decision grid: score[i, j] is the network's class score at (xs[j], ys[i]), ys ascending;
    class 1 is predicted where score > threshold."""

    xs: np.ndarray
    ys: np.ndarray
    score: np.ndarray
    threshold: float


def _views(flat: np.ndarray, shapes) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Split a flat vector into per-layer views W^m (N^m, N^(m−1)) and b^m (N^m,)."""
    weights, biases, at = [], [], 0
    for rows, cols in shapes:
        weights.append(flat[at : at + rows * cols].reshape(rows, cols))
        at += rows * cols
        biases.append(flat[at : at + rows])
        at += rows
    return weights, biases


class _Work:
    """Work arrays for a batch of B points, per layer m = 1..L: z[m], a[m], delta[m] (B, N^m) and
    a scratch array of the same shape."""

    def __init__(self, shapes, size: int):
        def arrays():
            return [np.empty((size, rows)) for rows, _ in shapes]

        self.z, self.a, self.delta, self.scratch = arrays(), arrays(), arrays(), arrays()


# In-place forms of the two activations used most, for speed: the value written into a work array,
# and f′ expressed through the output a (tanh′ = 1 − a², σ′ = a(1 − a)), which saves computing
# tanh or exp again in the backward pass. Every other activation runs engine.activations' own
# functions (new arrays); tests check both paths against engine.activations.
def _sigmoid_into(z: np.ndarray, out: np.ndarray) -> None:
    """σ(z) = 1/(1 + e^(−z)); e^(−z) overflows to inf for z < −709, giving the right limit 0."""
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)


def _times_tanh_derivative(delta, z, a, scratch) -> None:
    np.multiply(a, a, out=scratch)
    np.subtract(1.0, scratch, out=scratch)
    delta *= scratch


def _times_sigmoid_derivative(delta, z, a, scratch) -> None:
    np.subtract(1.0, a, out=scratch)
    scratch *= a
    delta *= scratch


_IN_PLACE = {
    "tanh": (lambda z, out: np.tanh(z, out=out), _times_tanh_derivative),
    "sigmoid": (_sigmoid_into, _times_sigmoid_derivative),
}


class _Activation:
    """One layer's activation as the trainer runs it: ``value(z, out)`` returns a (written into
    ``out`` when an in-place form exists), ``times_derivative(delta, z, a, scratch)`` does
    delta ⊙= f′(z)."""

    def __init__(self, name: str):
        act = _act.get(name)
        if name in _IN_PLACE:
            into, self.times_derivative = _IN_PLACE[name]

            def value(z, out):
                into(z, out)
                return out

            self.value = value
        else:
            self.value = lambda z, out: act.value(z)
            self.times_derivative = self._generic_times_derivative
        self._derivative = act.elementwise_derivative

    def _generic_times_derivative(self, delta, z, a, scratch) -> None:
        delta *= self._derivative(z)


class Trainer:
    """A network, its data and its optimizer state; ``step(n)`` takes n updates.

    Attributes: ``data`` (datasets.Dataset), ``targets`` (P, N^L), ``params`` (the flat parameter
    vector) with views ``W[m−1]``, ``b[m−1]``; ``state`` (the optimizer's, after ``steps_taken``
    updates). Weights start Glorot-normal (std √(2/(N^(m−1) + N^m))), biases at zero.
    """

    def __init__(self, config: TrainConfig):
        config.validate()
        self.config = config
        data_seed, init_seed, batch_seed = np.random.SeedSequence(config.seed).spawn(3)
        self.data = _data.make(
            config.dataset, config.points, config.noise, np.random.default_rng(data_seed)
        )
        self.kind = config.target_kind
        self.targets = _data.encode(self.data.classes, self.kind)
        layers = config.layers
        self._shapes = list(zip(layers[1:], layers[:-1], strict=True))
        self._activations = [_Activation(config.activation)] * (len(self._shapes) - 1)
        self._activations.append(_Activation(config.output_activation))
        # sigmoid + bce: δ^L = a − y exactly (engine.network.output_delta's shortcut), in place.
        self._delta_is_a_minus_y = (config.output_activation, config.loss) == ("sigmoid", "bce")
        self._loss = _loss.get(config.loss)
        size = sum(rows * (cols + 1) for rows, cols in self._shapes)
        self.params = np.zeros(size)
        self.W, self.b = _views(self.params, self._shapes)
        self._grad = np.zeros(size)
        self._grad_W, self._grad_b = _views(self._grad, self._shapes)
        init = np.random.default_rng(init_seed)
        for W in self.W:
            W[...] = init.normal(0.0, math.sqrt(2.0 / sum(W.shape)), size=W.shape)
        self.hyperparameters = config.hyperparameters
        self.state = _opt.initial_state(config.optimizer, self.params)
        self.steps_taken = 0
        self._full = _Work(self._shapes, config.points)
        self._mini = None
        if config.batch_size < config.points:
            self._mini = _Work(self._shapes, config.batch_size)
            self._batch_x = np.empty((config.batch_size, 2))
            self._batch_y = np.empty((config.batch_size, self.targets.shape[1]))
            self._order_rng = np.random.default_rng(batch_seed)
            self._order = self._order_rng.permutation(config.points)
            self._position = 0
        if config.optimizer == "nesterov":
            self._ahead = np.zeros(size)  # θ + γ·velocity, where nesterov takes the gradient
            self._ahead_views = _views(self._ahead, self._shapes)
        self._predict_work: _Work | None = None

    # -- the training step -------------------------------------------------------------------
    def _forward(self, weights, biases, x: np.ndarray, work: _Work) -> np.ndarray:
        """A^m = f(A^(m−1) W^mᵀ + b^m) for m = 1..L into ``work``; returns A^L (B, N^L)."""
        a = x
        for m, act in enumerate(self._activations):
            z = work.z[m]
            np.matmul(a, weights[m].T, out=z)
            z += biases[m]
            a = work.a[m] = act.value(z, work.a[m])
        return a

    def _backward(self, weights, x: np.ndarray, y: np.ndarray, work: _Work) -> None:
        """Mean gradients of the loss over the batch into the flat gradient vector.

        δ^L = ∂L/∂Z^L / B; ∂L/∂W^m = δ^mᵀ A^(m−1); ∂L/∂b^m = Σ_rows δ^m; δ^(m−1) = f′(Z^(m−1)) ⊙ δ^m W^m.
        """
        last = len(weights) - 1
        if self._delta_is_a_minus_y:
            delta = np.subtract(work.a[last], y, out=work.delta[last])
        else:
            delta = work.delta[last] = _net.output_delta(
                work.z[last], work.a[last], y, self.config.output_activation, self.config.loss
            )
        delta *= 1.0 / x.shape[0]
        for m in range(last, -1, -1):
            a_prev = x if m == 0 else work.a[m - 1]
            np.matmul(delta.T, a_prev, out=self._grad_W[m])
            np.add.reduce(delta, axis=0, out=self._grad_b[m])
            if m:
                delta = np.matmul(delta, weights[m], out=work.delta[m - 1])
                self._activations[m - 1].times_derivative(
                    delta, work.z[m - 1], work.a[m - 1], work.scratch[m - 1]
                )

    def _batch(self) -> tuple[np.ndarray, np.ndarray, _Work]:
        """The next batch: the full data set, or B points in an order reshuffled every epoch (the
        P mod B points left at the end of an epoch are skipped, so every batch has B points)."""
        if self._mini is None:
            return self.data.points, self.targets, self._full
        size = self.config.batch_size
        if self._position + size > self.config.points:
            self._order = self._order_rng.permutation(self.config.points)
            self._position = 0
        rows = self._order[self._position : self._position + size]
        self._position += size
        np.take(self.data.points, rows, axis=0, out=self._batch_x)
        np.take(self.targets, rows, axis=0, out=self._batch_y)
        return self._batch_x, self._batch_y, self._mini

    def step(self, n: int = 1) -> None:
        """Take n updates (t = steps_taken + 1, …) of the configured optimizer."""
        name, hp = self.config.optimizer, self.hyperparameters
        weights, biases = self.W, self.b
        if name == "nesterov":
            weights, biases = self._ahead_views
        with np.errstate(all="ignore"):  # a diverging run gives inf/nan, reported, not warned
            for _ in range(n):
                x, y, work = self._batch()
                if name == "nesterov":
                    np.multiply(self.state["velocity"], hp["gamma"], out=self._ahead)
                    self._ahead += self.params
                self._forward(weights, biases, x, work)
                self._backward(weights, x, y, work)
                self.steps_taken += 1
                new, self.state, _ = _opt.step(
                    name, self.params, self._grad, self.state, hp, self.steps_taken
                )
                self.params[...] = new

    # -- what the views read -----------------------------------------------------------------
    def gradient(self) -> tuple[list[np.ndarray], list[np.ndarray], float]:
        """(∂L/∂W^m, ∂L/∂b^m per layer, L) of the mean loss L over the full data set, as copies."""
        with np.errstate(all="ignore"):
            out = self._forward(self.W, self.b, self.data.points, self._full)
            self._backward(self.W, self.data.points, self.targets, self._full)
            loss = float(np.mean(self._loss.value(out, self.targets)))
        return [g.copy() for g in self._grad_W], [g.copy() for g in self._grad_b], loss

    def evaluate(self) -> Evaluation:
        """Loss, accuracy and per-layer gradient norms of the current network on the full data."""
        grad_weights, _, loss = self.gradient()
        predicted = _data.predicted_classes(self._full.a[-1], self.kind)
        return Evaluation(
            self.steps_taken,
            loss,
            float(np.mean(predicted == self.data.classes)),
            tuple(float(np.linalg.norm(g)) for g in grad_weights),
        )

    def predict(self, points: np.ndarray) -> np.ndarray:
        """The network's output (M, N^L) at points (M, 2)."""
        points = np.asarray(points, dtype=float)
        if self._predict_work is None or self._predict_work.z[0].shape[0] != len(points):
            self._predict_work = _Work(self._shapes, len(points))
        with np.errstate(all="ignore"):
            return self._forward(self.W, self.b, points, self._predict_work).copy()

    def decision_grid(self, nx: int, ny: int, extent=None) -> Grid:
        """The class score on an ny × nx grid over ``extent`` (default: the data set's box)."""
        x0, x1, y0, y1 = extent or self.data.extent
        xs, ys = np.linspace(x0, x1, nx), np.linspace(y0, y1, ny)
        gx, gy = np.meshgrid(xs, ys)
        out = self.predict(np.column_stack([gx.ravel(), gy.ravel()]))
        score = _data.class_score(out, self.kind).reshape(ny, nx)
        return Grid(xs, ys, score, _data.threshold(self.kind))

    @property
    def diverged(self) -> bool:
        """True once a parameter is no longer finite."""
        return not bool(np.all(np.isfinite(self.params)))


@dataclass(frozen=True)
class TrainLog:
    """A finished run: its config, the number of steps, the log interval K and the entries at
    s = 0, K, 2K, … and N; ``to_dict`` gives the contract's JSON (no NaN or Infinity: null)."""

    config: TrainConfig
    steps: int
    log_every: int
    entries: tuple[Evaluation, ...]
    diverged: bool

    def to_dict(self) -> dict:
        c, last = self.config, self.entries[-1]
        hp = c.hyperparameters
        return {
            "schema": SCHEMA,
            "seed": c.seed,
            "dataset": c.dataset,
            "layers": list(c.layers),
            "activation": c.activation,
            "output_activation": c.output_activation,
            "loss_function": c.loss,
            "optimizer": c.optimizer,
            "lr": hp.get("lr"),
            "hyperparameters": hp,
            "batch": c.batch_size,
            "points": c.points,
            "noise": c.noise,
            "log_every": self.log_every,
            "steps": [e.step for e in self.entries],
            "loss": [_finite(e.loss) for e in self.entries],
            "accuracy": [e.accuracy for e in self.entries],
            "grad_norms": [[_finite(g) for g in e.grad_norms] for e in self.entries],
            "final": {
                "loss": _finite(last.loss),
                "accuracy": last.accuracy,
                "diverged": self.diverged,
            },
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def default_log_every(steps: int) -> int:
    """K = max(1, N // 100): about a hundred log entries."""
    return max(1, steps // 100)


def train(config: TrainConfig, steps: int, log_every: int | None = None) -> TrainLog:
    """Train for ``steps`` updates, evaluating at s = 0, K, 2K, … and at s = steps."""
    if steps < 0:
        raise OptionError("--steps", f"must be a non-negative integer, got {steps}")
    every = default_log_every(steps) if log_every is None else log_every
    if every < 1:
        raise OptionError("--log-every", f"must be a positive integer, got {every}")
    trainer = Trainer(config)
    entries = [trainer.evaluate()]
    while trainer.steps_taken < steps:
        trainer.step(min(every - trainer.steps_taken % every, steps - trainer.steps_taken))
        entries.append(trainer.evaluate())
    return TrainLog(config, steps, every, tuple(entries), trainer.diverged)
