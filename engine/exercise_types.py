"""Exercises as typed, immutable values: :class:`BackpropExercise` and :class:`OptimizerExercise`.

Their dict form is the public JSON contract (``schema`` 1, ``shared/design/contracts.md``):
``json_object()`` is exactly the object the CLI prints (keys in the contract's order; vectors and
matrices as tuples, which orjson prints as arrays), ``to_dict()`` the same with lists (equal to what
``json.loads`` reads), and ``from_dict()`` reads one back, raising a one-line ``ValueError`` that
names the field that is missing or malformed. Numbers are float64 as Python floats; vectors are tuples, matrices
tuples of row tuples, so an exercise cannot be changed behind its reader's back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

SCHEMA = 1

Vector = tuple[float, ...]
Matrix = tuple[Vector, ...]  # rows


# --------------------------------------------------------------------------- reading dicts


def _field(d: Mapping[str, Any], key: str, where: str) -> Any:
    try:
        return d[key]
    except (KeyError, TypeError):
        raise ValueError(f"{where}: missing {key!r}") from None


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what}: expected a number, got {value!r}")
    return float(value)


def _vector(value: Any, what: str) -> Vector:
    if not isinstance(value, list | tuple):
        raise ValueError(f"{what}: expected a list of numbers")
    return tuple(_number(v, what) for v in value)


def _matrix(value: Any, what: str) -> Matrix:
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f"{what}: expected a matrix (a list of rows)")
    return tuple(_vector(row, what) for row in value)


def _per_layer(value: Any, what: str, read) -> tuple:
    if not isinstance(value, list | tuple):
        raise ValueError(f"{what}: expected one entry per layer")
    return tuple(read(v, f"{what}[{m}]") for m, v in enumerate(value, start=1))


def _vectors(d: Mapping[str, Any], key: str, where: str) -> tuple[Vector, ...]:
    return _per_layer(_field(d, key, where), f"{where}.{key}", _vector)


def _matrices(d: Mapping[str, Any], key: str, where: str) -> tuple[Matrix, ...]:
    return _per_layer(_field(d, key, where), f"{where}.{key}", _matrix)


def _named_vectors(value: Any, what: str) -> dict[str, Vector]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{what}: expected an object of named lists")
    return {str(k): _vector(v, f"{what}.{k}") for k, v in value.items()}


def _check_schema(d: Mapping[str, Any]) -> None:
    if not isinstance(d, Mapping):
        raise ValueError("exercise: expected a JSON object")
    if d.get("schema", SCHEMA) != SCHEMA:
        raise ValueError(f"exercise: schema {d.get('schema')!r} is not supported (only {SCHEMA})")


def _integer(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what}: expected an integer, got {value!r}")
    return value


def _optional_int(value: Any, what: str) -> int | None:
    return None if value is None else _integer(value, what)


class _Contract:
    """A value whose ``json_object()`` is its contract form (tuples for arrays)."""

    __slots__ = ()
    json_object: Callable[[], dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """The contract form as plain Python values (lists, as ``json.loads`` reads it)."""
        return plain(self.json_object())


def _origin(d: Mapping[str, Any]) -> dict[str, Any]:
    """seed, index and decimals of an exercise object (index 0 and 2 decimals when absent)."""
    return {
        "seed": _optional_int(d.get("seed"), "exercise.seed"),
        "index": _integer(d.get("index", 0), "exercise.index"),
        "decimals": _integer(d.get("decimals", 2), "exercise.decimals"),
    }


# --------------------------------------------------------------------------- backprop


@dataclass(frozen=True, slots=True)
class BackpropAnswers(_Contract):
    """Every value of one backprop exercise; per-layer entries are for m = 1..L (x not repeated).

    ``z``, ``a``, ``delta`` (= ∂L/∂z^m), ``grad_biases``, ``updated_biases``: (N^m,);
    ``grad_weights``, ``updated_weights``: (N^m, N^(m−1)); ``loss``: a scalar.
    """

    z: tuple[Vector, ...]
    a: tuple[Vector, ...]
    loss: float
    delta: tuple[Vector, ...]
    grad_weights: tuple[Matrix, ...]
    grad_biases: tuple[Vector, ...]
    updated_weights: tuple[Matrix, ...]
    updated_biases: tuple[Vector, ...]

    def json_object(self) -> dict[str, Any]:
        """The contract's ``answers`` object (vectors and matrices as tuples)."""
        return {
            "z": self.z,
            "a": self.a,
            "loss": self.loss,
            "delta": self.delta,
            "grad_weights": self.grad_weights,
            "grad_biases": self.grad_biases,
            "updated_weights": self.updated_weights,
            "updated_biases": self.updated_biases,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BackpropAnswers:
        w = "answers"
        if not isinstance(d, Mapping):
            raise ValueError("exercise: 'answers' must be an object")
        return cls(
            z=_vectors(d, "z", w),
            a=_vectors(d, "a", w),
            loss=_number(_field(d, "loss", w), "answers.loss"),
            delta=_vectors(d, "delta", w),
            grad_weights=_matrices(d, "grad_weights", w),
            grad_biases=_vectors(d, "grad_biases", w),
            updated_weights=_matrices(d, "updated_weights", w),
            updated_biases=_vectors(d, "updated_biases", w),
        )


@dataclass(frozen=True, slots=True)
class BackpropExercise(_Contract):
    """One forward/backward pass and SGD step of a fully connected network, with its answers.

    ``weights[m−1]`` is W^m, (N^m, N^(m−1)): row j, column k joins unit k of layer m−1 to unit j
    of layer m; ``biases[m−1]`` is b^m, (N^m,); ``x`` is (N^0,), ``target`` (N^L,).
    ``preset`` names a fixed exercise (e.g. the notes' ``seed-2-2-1``; its ``seed`` is None).
    """

    kind: ClassVar[str] = "backprop"

    seed: int | None
    index: int
    layers: tuple[int, ...]
    activation: str
    output_activation: str
    loss: str
    learning_rate: float
    decimals: int
    x: Vector
    target: Vector
    weights: tuple[Matrix, ...]
    biases: tuple[Vector, ...]
    answers: BackpropAnswers
    preset: str | None = None

    @property
    def depth(self) -> int:
        """L, the number of layers with weights."""
        return len(self.weights)

    def activation_of(self, m: int) -> str:
        """The activation of layer m (1..L): the output activation for m = L."""
        return self.output_activation if m == self.depth else self.activation

    def json_object(self) -> dict[str, Any]:
        """The contract's JSON object, vectors and matrices as tuples (see :func:`plain`).
        A preset keeps the key order it has always printed in (``preset`` after ``index``,
        ``decimals`` after the given values)."""
        head = {"schema": SCHEMA, "seed": self.seed, "index": self.index}
        setup = {
            "layers": self.layers,
            "activation": self.activation,
            "output_activation": self.output_activation,
            "loss": self.loss,
            "learning_rate": self.learning_rate,
        }
        given = {"x": self.x, "target": self.target, "weights": self.weights, "biases": self.biases}
        answers = self.answers.json_object()
        if self.preset is None:
            return {**head, **setup, "decimals": self.decimals, **given, "answers": answers}
        return {
            **head,
            "preset": self.preset,
            **setup,
            **given,
            "decimals": self.decimals,
            "answers": answers,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BackpropExercise:
        """Read the contract's JSON object; ValueError (one line) naming a bad or missing field."""
        _check_schema(d)
        w = "exercise"
        layers = _field(d, "layers", w)
        if not isinstance(layers, list | tuple) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in layers
        ):
            raise ValueError("exercise.layers: expected a list of unit counts like [2, 3, 1]")
        return cls(
            **_origin(d),
            layers=tuple(layers),
            activation=str(_field(d, "activation", w)),
            output_activation=str(_field(d, "output_activation", w)),
            loss=str(_field(d, "loss", w)),
            learning_rate=_number(_field(d, "learning_rate", w), "exercise.learning_rate"),
            x=_vector(_field(d, "x", w), "exercise.x"),
            target=_vector(_field(d, "target", w), "exercise.target"),
            weights=_matrices(d, "weights", w),
            biases=_vectors(d, "biases", w),
            answers=BackpropAnswers.from_dict(_field(d, "answers", w)),
            preset=None if d.get("preset") is None else str(d["preset"]),
        )


# --------------------------------------------------------------------------- optimizer


@dataclass(frozen=True, slots=True)
class OptimizerAnswers(_Contract):
    """The state after step t, the intermediates on the way (adam: m_hat, v_hat; adadelta: delta)
    and the new parameters; every vector has the parameters' length."""

    state: Mapping[str, Vector]
    intermediates: Mapping[str, Vector]
    params: Vector

    def json_object(self) -> dict[str, Any]:
        """The contract's ``answers`` object (vectors as tuples)."""
        return {
            "state": dict(self.state),
            "intermediates": dict(self.intermediates),
            "params": self.params,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> OptimizerAnswers:
        if not isinstance(d, Mapping):
            raise ValueError("exercise: 'answers' must be an object")
        return cls(
            state=_named_vectors(d.get("state") or {}, "answers.state"),
            intermediates=_named_vectors(d.get("intermediates") or {}, "answers.intermediates"),
            params=_vector(_field(d, "params", "answers"), "answers.params"),
        )


@dataclass(frozen=True, slots=True)
class OptimizerExercise(_Contract):
    """Step ``t`` (≥ 2 when generated) of an optimizer from a nonzero ``state`` (the values after
    step t − 1), element-wise over the parameters; ``grad`` is g at ``params``."""

    kind: ClassVar[str] = "optimizer"

    seed: int | None
    index: int
    optimizer: str
    t: int
    decimals: int
    hyperparameters: Mapping[str, float]
    params: Vector
    grad: Vector
    state: Mapping[str, Vector]
    answers: OptimizerAnswers

    def json_object(self) -> dict[str, Any]:
        """The contract's JSON object, vectors as tuples (see :func:`plain`)."""
        return {
            "schema": SCHEMA,
            "seed": self.seed,
            "index": self.index,
            "optimizer": self.optimizer,
            "t": self.t,
            "decimals": self.decimals,
            "hyperparameters": dict(self.hyperparameters),
            "params": self.params,
            "grad": self.grad,
            "state": dict(self.state),
            "answers": self.answers.json_object(),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> OptimizerExercise:
        """Read the contract's JSON object; ValueError (one line) naming a bad or missing field."""
        _check_schema(d)
        w = "exercise"
        hyper = _field(d, "hyperparameters", w)
        if not isinstance(hyper, Mapping):
            raise ValueError("exercise.hyperparameters: expected an object of numbers")
        return cls(
            **_origin(d),
            optimizer=str(_field(d, "optimizer", w)),
            t=_integer(_field(d, "t", w), "exercise.t"),
            hyperparameters={
                str(k): _number(v, f"exercise.hyperparameters.{k}") for k, v in hyper.items()
            },
            params=_vector(_field(d, "params", w), "exercise.params"),
            grad=_vector(_field(d, "grad", w), "exercise.grad"),
            state=_named_vectors(d.get("state") or {}, "exercise.state"),
            answers=OptimizerAnswers.from_dict(_field(d, "answers", w)),
        )


Exercise = BackpropExercise | OptimizerExercise


def plain(value: Any) -> Any:
    """A ``json_object()`` with its tuples as lists: the values ``json.loads`` gives for the same
    JSON. (orjson prints a tuple as an array, so serializers take ``json_object()`` as it is and
    skip this copy.)"""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        if value and isinstance(value[0], float):  # a vector: its numbers need no conversion
            return list(value)
        return [plain(v) for v in value]
    return value


def exercise_from_dict(d: Mapping[str, Any]) -> Exercise:
    """A backprop or optimizer exercise from its contract dict (an ``optimizer`` key decides)."""
    if isinstance(d, Mapping) and "optimizer" in d:
        return OptimizerExercise.from_dict(d)
    return BackpropExercise.from_dict(d)
