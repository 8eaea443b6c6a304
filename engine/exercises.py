"""Randomized, reproducible backprop and optimizer exercises.

The typed values (:mod:`engine.exercise_types`) come from :func:`backprop_exercises`,
:func:`optimizer_exercises` and :func:`preset_exercise`; :func:`generate_backprop`,
:func:`generate_optimizer` and :func:`preset` give the same exercises in their JSON contract form
(plain dicts), and :func:`backprop_jsonl` prints a batch straight to JSON Lines.

Given values are drawn from a seeded ``numpy.random.Generator`` and rounded to ``decimals`` places,
so that a person can work the exercise by hand; every answer is computed in float64 from the rounded
values. Exercise ``i`` is row ``i`` of one ``(count, K)`` block of uniform draws, so it depends only on
the seed, the options and ``i`` — never on ``count`` — and the whole batch is computed at once.

The dict shapes are the public contract (``schema`` 1): see ``shared/design/contracts.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, ParamSpec, TypeVar

import numpy as np

from engine import activations as _act
from engine import losses as _loss
from engine import network as _net
from engine import optimizers as _opt
from engine.exercise_types import (
    SCHEMA,
    BackpropAnswers,
    BackpropExercise,
    Exercise,
    Matrix,
    OptimizerAnswers,
    OptimizerExercise,
    Vector,
)

MAX_DECIMALS = 6
MAX_UNITS = 64

PRESETS: dict[str, dict] = {
    # The worked example of the course notes (2-2-1, sigmoid, half-SSE).
    "seed-2-2-1": {
        "layers": [2, 2, 1],
        "activation": "sigmoid",
        "output_activation": "sigmoid",
        "loss": "half_sse",
        "learning_rate": 0.1,
        "x": [0.5, 0.8],
        "target": [1.0],
        "weights": [[[0.2, 0.4], [0.3, 0.7]], [[0.5, 0.6]]],
        "biases": [[0.1, 0.2], [0.3]],
    },
}


class OptionError(ValueError):
    """An exercise option with a bad value; ``option`` names it (e.g. ``"--layers"``)."""

    def __init__(self, option: str, message: str):
        super().__init__(f"{option}: {message}")
        self.option = option


@dataclass(frozen=True)
class BackpropBatch:
    """Given values of B exercises: x (B, N^0), target (B, N^L), weights[m−1] (B, N^m, N^(m−1)),
    biases[m−1] (B, N^m)."""

    layers: tuple[int, ...]
    x: np.ndarray
    target: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]


def validate_backprop_options(
    layers, activation, output_activation, loss, decimals, learning_rate, count=1
) -> None:
    """Raise OptionError naming the option and the allowed values for any bad combination."""
    if len(layers) < 2 or any(int(n) < 1 for n in layers):
        raise OptionError(
            "--layers", "give at least two layer sizes, each a positive integer (e.g. 2,3,1)"
        )
    if any(int(n) > MAX_UNITS for n in layers):
        raise OptionError("--layers", f"at most {MAX_UNITS} units per layer")
    if activation not in _act.HIDDEN_ACTIVATIONS:
        raise OptionError(
            "--activation",
            f"unknown hidden activation {activation!r} (allowed: "
            f"{', '.join(_act.HIDDEN_ACTIVATIONS)})",
        )
    if output_activation not in _act.OUTPUT_ACTIVATIONS:
        raise OptionError(
            "--output-activation",
            f"unknown activation {output_activation!r} "
            f"(allowed: {', '.join(_act.OUTPUT_ACTIVATIONS)})",
        )
    if loss not in _loss.LOSSES:
        raise OptionError("--loss", f"unknown loss {loss!r} (allowed: {', '.join(_loss.LOSSES)})")
    if loss == "cce" and output_activation != "softmax":
        raise OptionError(
            "--loss",
            "cce needs --output-activation softmax (its output is a probability distribution)",
        )
    if output_activation == "softmax" and layers[-1] < 2:
        raise OptionError("--layers", "a softmax output needs at least 2 output units")
    if loss == "bce" and output_activation not in ("sigmoid", "softmax"):
        raise OptionError(
            "--loss", "bce needs an output in (0, 1): use --output-activation sigmoid (or softmax)"
        )
    if not 0 <= decimals <= MAX_DECIMALS:
        raise OptionError("--decimals", f"must be an integer from 0 to {MAX_DECIMALS}")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise OptionError("--learning-rate", "must be a positive number")
    if count < 1:
        raise OptionError("--count", "must be at least 1")


def _targets(u: np.ndarray, n_out: int, loss: str, output_activation: str, decimals: int):
    kind = _loss.get(loss).targets
    if kind == "binary":
        return (u[:, :n_out] < 0.5).astype(float)
    if kind == "sign":
        return np.where(u[:, :n_out] < 0.5, -1.0, 1.0)
    if kind == "onehot":
        cls = np.minimum((u[:, 0] * n_out).astype(int), n_out - 1)
        return np.eye(n_out)[cls]
    lo, hi = _act.OUTPUT_RANGE[output_activation]
    return np.round(lo + (hi - lo) * u[:, :n_out], decimals)


def _target_width(n_out: int, loss: str) -> int:
    return 1 if _loss.get(loss).targets == "onehot" else n_out


def _widths(layers: tuple[int, ...], loss: str) -> list[int]:
    """Uniform draws per exercise, in order: x, target, then W^m and b^m for m = 1..L."""
    widths = [layers[0], _target_width(layers[-1], loss)]
    for m in range(1, len(layers)):
        widths += [layers[m] * layers[m - 1], layers[m]]
    return widths


def _given_values(
    u: np.ndarray, layers: tuple[int, ...], loss: str, output_activation: str, decimals: int
) -> BackpropBatch:
    """The given values of B exercises from their uniform draws ``u`` (B, sum of _widths)."""
    count = u.shape[0]
    parts = np.split(u, np.cumsum(_widths(layers, loss))[:-1], axis=1)
    signed = [np.round(2.0 * p - 1.0, decimals) for p in parts]
    weights, biases = [], []
    for m in range(1, len(layers)):
        weights.append(signed[2 * m].reshape(count, layers[m], layers[m - 1]))
        biases.append(signed[2 * m + 1])
    target = _targets(parts[1], layers[-1], loss, output_activation, decimals)
    return BackpropBatch(layers, signed[0], target, weights, biases)


def draw_backprop(
    seed: int | np.random.Generator,
    count: int,
    layers,
    loss: str = "half_sse",
    output_activation: str = "sigmoid",
    decimals: int = 2,
) -> BackpropBatch:
    """Draw the given values of ``count`` exercises (inputs, weights, biases in [−1, 1]).

    ``seed`` may be a Generator already used for earlier exercises: the draws of exercise ``i``
    are the ``i``-th row of uniforms whatever the chunks they are drawn in (each number is one
    64-bit output of the stream), so drawing 10⁶ exercises in chunks gives what one block would.
    """
    layers = tuple(int(n) for n in layers)
    u = np.random.default_rng(seed).random((count, sum(_widths(layers, loss))))
    return _given_values(u, layers, loss, output_activation, decimals)


def solve_batch(
    batch: BackpropBatch,
    activation="sigmoid",
    output_activation="sigmoid",
    loss="half_sse",
    learning_rate=0.1,
) -> _net.BackpropResult:
    return _net.backprop(
        batch.weights,
        batch.biases,
        batch.x,
        batch.target,
        activation,
        output_activation,
        loss,
        learning_rate,
    )


# Activations whose derivative at z = 0 is a convention, not a fact (the contract: exercises
# never ask about a kink), and how close to 0 a pre-activation counts as on it: the given values
# have at most MAX_DECIMALS places, so an exact 0 comes out of float64 as at most ~1e-15.
KINKED = ("relu", "leaky_relu")
KINK_TOL = 1e-9
MAX_REDRAWS = 1000


def on_kink(res: _net.BackpropResult, activation: str, output_activation: str) -> np.ndarray:
    """(B,) bool: the exercises where some z^m of a relu or leaky_relu layer is 0."""
    depth = len(res.z)
    hit = np.zeros(res.loss.shape[0], dtype=bool)
    for m, z in enumerate(res.z, start=1):
        if (output_activation if m == depth else activation) in KINKED:
            hit |= (np.abs(z) < KINK_TOL).any(axis=1)
    return hit


def _put_rows(whole, rows: np.ndarray, part) -> None:
    """Overwrite exercises ``rows`` of every batched array of ``whole`` (a BackpropBatch or
    BackpropResult: arrays and lists of arrays, leading axis B) with those of ``part``."""
    for f in fields(whole):
        mine, theirs = getattr(whole, f.name), getattr(part, f.name)
        if isinstance(mine, np.ndarray):
            mine[rows] = theirs
        elif isinstance(mine, list):
            for a, b in zip(mine, theirs, strict=True):
                a[rows] = b


def _redraw(seed: int, attempt: int, rows: np.ndarray, width: int) -> np.ndarray:
    """(len(rows), width) uniforms: row i of the block drawn from ``(seed, attempt)``.

    Each uniform is one 64-bit output of PCG64, so row i starts ``i * width`` outputs into the
    stream: advancing there draws it without the rows before it (exercise 999,999 of a run costs
    what exercise 0 does).
    """
    out = np.empty((len(rows), width))
    for k, i in enumerate(rows.tolist()):
        bits = np.random.PCG64([seed, attempt])
        bits.advance(i * width)
        out[k] = np.random.Generator(bits).random(width)
    return out


def _without_kinks(
    o: BackpropOptions, start: int, batch: BackpropBatch, res: _net.BackpropResult
) -> None:
    """Draw again, in place, the exercises of a chunk (the first of index ``start``) that put
    a z of a relu or leaky_relu layer at 0.

    Exercise i is drawn again as row i of a block drawn from (seed, attempt), so every other
    exercise stays as :func:`draw_backprop` gives it and exercise i still depends only on the
    seed, the options and i (not on the count or the chunk size). OptionError when the draws
    keep landing on the kink (``--decimals 0`` on a wide layer).
    """
    layers = tuple(int(n) for n in o.layers)
    bad = np.flatnonzero(on_kink(res, o.activation, o.output_activation))
    width = sum(_widths(layers, o.loss))
    for attempt in range(1, MAX_REDRAWS + 1):
        if bad.size == 0:
            return
        u = _redraw(o.seed, attempt, bad + start, width)
        part = _given_values(u, layers, o.loss, o.output_activation, o.decimals)
        part_res = solve_batch(part, o.activation, o.output_activation, o.loss, o.learning_rate)
        _put_rows(batch, bad, part)
        _put_rows(res, bad, part_res)
        bad = bad[on_kink(part_res, o.activation, o.output_activation)]
    raise OptionError(
        "--decimals",
        f"with {o.decimals} decimal(s) every draw puts some z of a relu/leaky_relu layer exactly "
        "at the kink z = 0; use more decimals or fewer units",
    )


def _rows(arr: np.ndarray) -> list[Vector]:
    """(B, N) -> B vectors (one .tolist() for the whole batch: fast)."""
    return list(map(tuple, arr.tolist()))


def _matrices(arr: np.ndarray) -> list[Matrix]:
    """(B, N, M) -> B matrices of N rows."""
    return [tuple(map(tuple, rows)) for rows in arr.tolist()]


def _per_exercise(layers: list[list]) -> list[tuple]:
    """Per-layer columns of B values each -> B tuples of one value per layer."""
    return list(zip(*layers, strict=True))


def _answers(res: _net.BackpropResult) -> list[BackpropAnswers]:
    """Per-exercise answers from a batched result."""
    return [
        BackpropAnswers(*values)
        for values in zip(
            _per_exercise([_rows(z) for z in res.z]),
            _per_exercise([_rows(a) for a in res.a]),
            res.loss.tolist(),
            _per_exercise([_rows(d) for d in res.delta]),
            _per_exercise([_matrices(g) for g in res.grad_weights]),
            _per_exercise([_rows(g) for g in res.grad_biases]),
            _per_exercise([_matrices(w) for w in res.updated_weights]),
            _per_exercise([_rows(b) for b in res.updated_biases]),
            strict=True,
        )
    ]


CHUNK = 1024  # exercises made at once when streaming (bench/exercises_stream.py: RSS flat)


def backprop_chunks(
    seed: int,
    count: int = 1,
    layers=(2, 2, 1),
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    loss: str = "half_sse",
    decimals: int = 2,
    learning_rate: float = 0.1,
    chunk: int | None = None,
) -> Iterator[list[BackpropExercise]]:
    """``count`` worked backprop exercises, index 0..count−1, ``chunk`` at a time (memory stays
    that of one chunk whatever ``count``). OptionError for bad options, before the first chunk."""
    options = BackpropOptions(
        seed, layers, activation, output_activation, loss, decimals, learning_rate
    )
    return (
        _exercises_of(start, batch, res, options)
        for start, batch, res in _solved(options, count, chunk)
    )


@dataclass(frozen=True)
class BackpropOptions:
    """The options of a run of backprop exercises (validated by :func:`_solved`)."""

    seed: int
    layers: Sequence[int]
    activation: str
    output_activation: str
    loss: str
    decimals: int
    learning_rate: float


def _solved(
    o: BackpropOptions, count: int, chunk: int | None
) -> Iterator[tuple[int, BackpropBatch, _net.BackpropResult]]:
    """(first index, given values, answers) of each chunk, drawn one after the other from the
    seed's generator. The options are checked now, not at the first chunk."""
    validate_backprop_options(
        o.layers, o.activation, o.output_activation, o.loss, o.decimals, o.learning_rate, count
    )
    rng = np.random.default_rng(o.seed)
    size = chunk or CHUNK

    def solve(start: int) -> tuple[int, BackpropBatch, _net.BackpropResult]:
        n = min(size, count - start)
        batch = draw_backprop(rng, n, o.layers, o.loss, o.output_activation, o.decimals)
        res = solve_batch(batch, o.activation, o.output_activation, o.loss, o.learning_rate)
        _without_kinks(o, start, batch, res)
        return start, batch, res

    # the first chunk now, so that draws that cannot avoid a kink fail before any output
    first = [solve(0)] if count > 0 else []

    def chunks():
        while first:  # not kept once printed
            yield first.pop()
        for start in range(size, count, size):
            yield solve(start)

    return chunks()


def _exercises_of(
    start: int, batch: BackpropBatch, res: _net.BackpropResult, o: BackpropOptions
) -> list[BackpropExercise]:
    given = zip(
        _rows(batch.x),
        _rows(batch.target),
        _per_exercise([_matrices(w) for w in batch.weights]),
        _per_exercise([_rows(b) for b in batch.biases]),
        _answers(res),
        strict=True,
    )
    return [
        BackpropExercise(
            seed=o.seed,
            index=start + i,
            layers=tuple(int(n) for n in o.layers),
            activation=o.activation,
            output_activation=o.output_activation,
            loss=o.loss,
            learning_rate=o.learning_rate,
            decimals=o.decimals,
            x=x,
            target=target,
            weights=weights,
            biases=biases,
            answers=ans,
        )
        for i, (x, target, weights, biases, ans) in enumerate(given)
    ]


def backprop_answers(
    weights, biases, x, target, activation, output_activation, loss, learning_rate
) -> BackpropAnswers:
    """The answers of one exercise's given values (W^m (N^m, N^(m−1)), b^m, x, target)."""
    res = _net.backprop(
        [np.asarray(W, dtype=float)[None] for W in weights],
        [np.asarray(b, dtype=float)[None] for b in biases],
        np.asarray(x, dtype=float)[None],
        np.asarray(target, dtype=float)[None],
        activation,
        output_activation,
        loss,
        learning_rate,
    )
    return _answers(res)[0]


def solve_backprop(ex: Mapping[str, Any]) -> dict:
    """The answers (contract dict) of one exercise dict: x, target, weights, biases, activations,
    loss and learning rate are read from it, anything else is ignored."""
    return backprop_answers(
        ex["weights"],
        ex["biases"],
        ex["x"],
        ex["target"],
        ex["activation"],
        ex["output_activation"],
        ex["loss"],
        ex["learning_rate"],
    ).to_dict()


def preset_exercise(name: str) -> BackpropExercise:
    """A named fixed exercise, e.g. ``"seed-2-2-1"``: the notes' worked example, fully solved."""
    try:
        spec = PRESETS[name]
    except KeyError:
        raise OptionError(
            "--preset", f"unknown preset {name!r} (allowed: {', '.join(PRESETS)})"
        ) from None
    answers = backprop_answers(
        spec["weights"],
        spec["biases"],
        spec["x"],
        spec["target"],
        spec["activation"],
        spec["output_activation"],
        spec["loss"],
        spec["learning_rate"],
    )
    # the given values go through the contract's reader: the same checks as any exercise file
    return BackpropExercise.from_dict(
        {**spec, "seed": None, "preset": name, "decimals": 2, "answers": answers.to_dict()}
    )


def preset(name: str) -> dict:
    """:func:`preset_exercise` as a contract dict."""
    return preset_exercise(name).to_dict()


# --- optimizer exercises -------------------------------------------------------------------

OPTIMIZER_NAMES = tuple(_opt.OPTIMIZERS)  # the notes' seven, then the extras (adamw)

# Typical size of each state variable after a few steps: (low, high, signed). Accumulators of
# squares are positive; velocities and first moments may have either sign. Adam's moments start at
# zero and are scaled by (1 − β^(t−1)) below, as they would be after t − 1 real steps.
_STATE_RANGES = {
    "velocity": (0.05, 0.5, True),
    "G": (0.1, 2.0, False),
    "Eg2": (0.01, 1.0, False),
    "Edx2": (0.001, 0.05, False),
    "m": (0.05, 1.0, True),
    "v": (0.01, 1.0, False),
}
MAX_T = 10


def _nonzero(values: np.ndarray, decimals: int) -> np.ndarray:
    """Rounded values with exact zeros replaced by 10^−decimals (a zero gradient teaches nothing)."""
    return np.where(values == 0, 10.0**-decimals, values)


def _round_significant(values: np.ndarray, digits: int) -> np.ndarray:
    """Round to ``digits`` significant digits (state values can be tiny, e.g. Adam's v ≈ 0.004,
    and rounding those to decimal places would give 0)."""
    digits = max(digits, 1)
    flat = [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float).ravel().tolist()]
    return np.array(flat).reshape(np.shape(values))


def _draw_state(
    key: str, u_mag: np.ndarray, u_sign: np.ndarray, hyper: dict, t: np.ndarray, decimals: int
) -> np.ndarray:
    """State variable ``key`` after step t − 1, (B, K), from uniform draws of its magnitude and
    sign, rounded to ``decimals`` significant digits."""
    lo, hi, signed = _STATE_RANGES[key]
    mag = lo + (hi - lo) * u_mag
    if key in ("m", "v"):
        beta = hyper["beta1" if key == "m" else "beta2"]
        typical = mag if key == "m" else mag * mag  # v estimates g², m estimates g
        mag = typical * (1.0 - beta ** (t[:, None] - 1.0))
    sign = np.where(u_sign < 0.5, -1.0, 1.0) if signed else 1.0
    return _round_significant(sign * mag, decimals)


def validate_optimizer_options(optimizer: str, size: int, decimals: int, count: int = 1) -> None:
    """Raise OptionError naming the option and the allowed values for a bad one."""
    if optimizer not in _opt.OPTIMIZERS:
        raise OptionError(
            "--optimizer",
            f"unknown optimizer {optimizer!r} (allowed: {', '.join(OPTIMIZER_NAMES)})",
        )
    if size < 1 or size > MAX_UNITS:
        raise OptionError("--size", f"must be an integer from 1 to {MAX_UNITS}")
    if not 0 <= decimals <= MAX_DECIMALS:
        raise OptionError("--decimals", f"must be an integer from 0 to {MAX_DECIMALS}")
    if count < 1:
        raise OptionError("--count", "must be at least 1")


def optimizer_chunks(
    seed: int,
    count: int = 1,
    optimizer: str = "adam",
    size: int = 3,
    decimals: int = 2,
    chunk: int | None = None,
) -> Iterator[list[OptimizerExercise]]:
    """``count`` single-step optimizer exercises at a step t ≥ 2 with nonzero state, ``chunk`` at
    a time (exercise ``i`` is row ``i`` of the uniform draws, as for backprop). OptionError for
    bad options, before the first chunk."""
    validate_optimizer_options(optimizer, size, decimals, count)
    return _optimizer_chunks(
        np.random.default_rng(seed), seed, count, optimizer, size, decimals, chunk or CHUNK
    )


def _optimizer_chunks(rng, seed, count, optimizer, size, decimals, chunk):
    opt = _opt.get(optimizer)
    n_state = len(opt.state_keys)
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        yield _optimizer_batch(
            rng.random((n, 1 + size * (2 + 2 * n_state))), start, seed, optimizer, decimals
        )


def _optimizer_batch(
    u: np.ndarray, start: int, seed: int, optimizer: str, decimals: int
) -> list[OptimizerExercise]:
    """The exercises whose uniform draws are the rows of ``u``, indices from ``start``."""
    count = len(u)
    opt = _opt.get(optimizer)
    n_state = len(opt.state_keys)
    t = 2 + np.minimum((u[:, 0] * (MAX_T - 1)).astype(int), MAX_T - 2)
    blocks = np.split(u[:, 1:], 2 + 2 * n_state, axis=1)
    params = np.round(2.0 * blocks[0] - 1.0, decimals)
    grad = _nonzero(np.round(2.0 * blocks[1] - 1.0, decimals), decimals)
    hyper = dict(opt.defaults)
    state = {
        key: _draw_state(key, blocks[2 + 2 * j], blocks[3 + 2 * j], hyper, t, decimals)
        for j, key in enumerate(opt.state_keys)
    }
    new_params, new_state, inter = _opt.step(optimizer, params, grad, state, hyper, t[:, None])
    ts = t.tolist()
    given_state = _named_rows(state, count)
    new_state, intermediates = _named_rows(new_state, count), _named_rows(inter, count)
    return [
        OptimizerExercise(
            seed=seed,
            index=start + i,
            optimizer=optimizer,
            t=t_i,
            decimals=decimals,
            hyperparameters=hyper,
            params=p,
            grad=g,
            state=s,
            answers=OptimizerAnswers(state=ns, intermediates=it, params=new_p),
        )
        for i, (t_i, p, g, s, ns, it, new_p) in enumerate(
            zip(
                ts,
                _rows(params),
                _rows(grad),
                given_state,
                new_state,
                intermediates,
                _rows(new_params),
                strict=True,
            )
        )
    ]


def _named_rows(arrays: Mapping[str, np.ndarray], count: int) -> list[dict[str, Vector]]:
    """{name: (B, K)} -> B dicts {name: vector}, the names in the engine's order."""
    if not arrays:
        return [{} for _ in range(count)]
    names = list(arrays)
    return [
        dict(zip(names, row, strict=True)) for row in zip(*map(_rows, arrays.values()), strict=True)
    ]


P = ParamSpec("P")
E = TypeVar("E")


def _as_dicts(build: Callable[P, Sequence[Exercise]]) -> Callable[P, list[dict]]:
    """``build`` (same arguments) returning the exercises as contract dicts."""

    def as_dicts(*args: P.args, **kwargs: P.kwargs) -> list[dict]:
        return [ex.to_dict() for ex in build(*args, **kwargs)]

    as_dicts.__doc__ = f"The exercises of :func:`{build.__name__}` as contract dicts."
    return as_dicts


def _all_at_once(chunks: Callable[P, Iterator[list[E]]], doc: str) -> Callable[P, list[E]]:
    """``chunks`` (same arguments) with every chunk in one list."""

    def all_at_once(*args: P.args, **kwargs: P.kwargs) -> list[E]:
        return [item for chunk in chunks(*args, **kwargs) for item in chunk]

    all_at_once.__doc__ = f"{doc} (:func:`{chunks.__name__}` in one list)"
    return all_at_once


backprop_exercises = _all_at_once(backprop_chunks, "Worked backprop exercises 0..count−1")
optimizer_exercises = _all_at_once(optimizer_chunks, "Single-step optimizer exercises")
generate_backprop = _as_dicts(backprop_exercises)
generate_optimizer = _as_dicts(optimizer_exercises)


def solve_optimizer(ex: Mapping[str, Any]) -> dict:
    """The answers of one optimizer exercise dict (recomputed with engine.optimizers.step)."""
    new, state, inter = _opt.step(
        ex["optimizer"], ex["params"], ex["grad"], ex["state"], ex["hyperparameters"], ex["t"]
    )
    return {
        "state": {k: v.tolist() for k, v in state.items()},
        "intermediates": {k: v.tolist() for k, v in inter.items()},
        "params": new.tolist(),
    }


# --- fast JSON Lines ------------------------------------------------------------------------


def _row_fragments(arr: np.ndarray) -> tuple[list[bytes], int]:
    """JSON text of each exercise's slice ``arr[i]`` of a batched array (B, ...), from one orjson
    call over the whole batch, without its ``depth`` outer brackets (the caller's template adds
    them). Returns (fragments, depth)."""
    import orjson

    text = orjson.dumps(np.ascontiguousarray(arr, dtype=float), option=orjson.OPT_SERIALIZE_NUMPY)
    depth = arr.ndim - 1
    inner = text[1:-1]
    if depth == 0:
        return inner.split(b","), 0
    parts = inner.split(b"]" * depth + b"," + b"[" * depth)
    parts[0] = parts[0][depth:]
    parts[-1] = parts[-1][:-depth]
    return parts, depth


def backprop_jsonl_chunks(
    seed: int,
    count: int = 1,
    layers=(2, 2, 1),
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    loss: str = "half_sse",
    decimals: int = 2,
    learning_rate: float = 0.1,
    chunk: int | None = None,
) -> Iterator[bytes]:
    """The exercises of :func:`generate_backprop` as JSON Lines (UTF-8 bytes), one object per line,
    equal as JSON to those dicts, ``chunk`` exercises at a time (:func:`backprop_jsonl`: all).

    Python's float repr costs about 0.5 µs a number, more than all the arithmetic; orjson prints each
    batched array in one call (shortest round-trip digits) and the lines are assembled by list
    slicing, with no Python loop over exercises.
    """
    options = BackpropOptions(
        seed, layers, activation, output_activation, loss, decimals, learning_rate
    )
    return (
        _jsonl_lines(start, batch, res, options)
        for start, batch, res in _solved(options, count, chunk)
    )


def _jsonl_lines(
    start: int, batch: BackpropBatch, res: _net.BackpropResult, o: BackpropOptions
) -> bytes:
    """JSON Lines of the exercises of one chunk, the first of index ``start``."""
    count = len(batch.x)
    import orjson as _orjson

    head = _orjson.dumps({"schema": SCHEMA, "seed": o.seed})[:-1]
    const = _orjson.dumps(
        {
            "layers": [int(n) for n in o.layers],
            "activation": o.activation,
            "output_activation": o.output_activation,
            "loss": o.loss,
            "learning_rate": o.learning_rate,
            "decimals": o.decimals,
        }
    )[1:-1]
    # A line is constant text interleaved with one fragment per slot; slots are filled column-wise.
    pieces: list[bytes] = [head + b',"index":', b""]
    columns: list[list[bytes]] = [
        _orjson.dumps(list(range(start, start + count)))[1:-1].split(b",")
    ]

    def slot(arr, before: bytes, after: bytes = b"") -> None:
        frags, depth = _row_fragments(arr)
        pieces[-1] += before + b"[" * depth
        columns.append(frags)
        pieces.append(b"]" * depth + after)

    def per_layer(arrays, before: bytes) -> None:
        for m, arr in enumerate(arrays):
            slot(arr, (before + b"[") if m == 0 else b",", b"]" if m == len(arrays) - 1 else b"")

    slot(batch.x, b"," + const + b',"x":')
    slot(batch.target, b',"target":')
    per_layer(batch.weights, b',"weights":')
    per_layer(batch.biases, b',"biases":')
    per_layer(res.z, b',"answers":{"z":')
    per_layer(res.a, b',"a":')
    slot(res.loss, b',"loss":')
    per_layer(res.delta, b',"delta":')
    per_layer(res.grad_weights, b',"grad_weights":')
    per_layer(res.grad_biases, b',"grad_biases":')
    per_layer(res.updated_weights, b',"updated_weights":')
    per_layer(res.updated_biases, b',"updated_biases":')
    pieces[-1] += b"}}\n"
    stride = 2 * len(columns) + 1
    flat: list[bytes] = [b""] * (count * stride)
    for j, piece in enumerate(pieces):
        flat[2 * j :: stride] = [piece] * count
    for j, column in enumerate(columns):
        flat[2 * j + 1 :: stride] = column
    return b"".join(flat)


def _joined(chunks: Callable[P, Iterator[bytes]]) -> Callable[P, bytes]:
    """``chunks`` (same arguments) as one bytes object."""

    def joined(*args: P.args, **kwargs: P.kwargs) -> bytes:
        return b"".join(chunks(*args, **kwargs))

    joined.__doc__ = f"All of :func:`{chunks.__name__}` at once."
    return joined


backprop_jsonl = _joined(backprop_jsonl_chunks)
