"""Typed exercises: their dict form is the JSON contract, read back exactly, bad input named."""

from __future__ import annotations

import dataclasses
import json

import orjson
import pytest

from engine import exercises
from engine.exercise_types import (
    BackpropExercise,
    OptimizerExercise,
    exercise_from_dict,
)

BACKPROP_CASES = [
    dict(layers=(2, 3, 1)),
    dict(layers=(3, 2, 2), activation="relu", output_activation="softmax", loss="cce"),
    dict(layers=(2, 2, 2, 1), activation="tanh", output_activation="linear", loss="mse"),
]


@pytest.mark.parametrize("options", BACKPROP_CASES)
def test_backprop_round_trips_through_json(options):
    for ex in exercises.backprop_exercises(3, 4, **options):
        text = orjson.dumps(ex.json_object())  # what the CLI prints
        assert orjson.dumps(ex.to_dict()) == text
        again = BackpropExercise.from_dict(json.loads(text))
        assert again == ex and again.to_dict() == json.loads(text)
        assert orjson.dumps(again.json_object()) == text  # the same bytes


@pytest.mark.parametrize("name", ["sgd", "adadelta", "adam", "adamw"])
def test_optimizer_round_trips_through_json(name):
    for ex in exercises.optimizer_exercises(5, 3, name):
        text = orjson.dumps(ex.json_object())
        assert orjson.dumps(ex.to_dict()) == text
        again = exercise_from_dict(json.loads(text))
        assert isinstance(again, OptimizerExercise) and again == ex
        assert again.to_dict() == json.loads(text)


def test_the_preset_keeps_its_key_order_and_its_answers():
    ex = exercises.preset_exercise("seed-2-2-1")
    assert ex.preset == "seed-2-2-1" and ex.seed is None and ex.depth == 2
    order = "schema seed index preset layers activation output_activation loss learning_rate"
    order += " x target weights biases decimals answers"
    assert list(ex.to_dict()) == order.split()
    assert ex.answers.z[0] == pytest.approx((0.52, 0.91))
    assert exercises.preset("seed-2-2-1") == ex.to_dict()


def test_exercises_are_immutable_values():
    ex = exercises.backprop_exercises(1)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.loss = "mse"  # type: ignore[misc]
    assert isinstance(ex.weights[0], tuple) and isinstance(ex.weights[0][0], tuple)
    assert ex.activation_of(1) == ex.activation and ex.activation_of(2) == ex.output_activation


def _broken(path: list, value=KeyError) -> dict:
    """The preset's dict with the entry at ``path`` removed (KeyError) or replaced."""
    d = json.loads(orjson.dumps(exercises.preset("seed-2-2-1")))
    parent = d
    for key in path[:-1]:
        parent = parent[key]
    if value is KeyError:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return d


@pytest.mark.parametrize(
    "path, value, words",
    [
        (["x"], KeyError, "missing 'x'"),
        (["answers", "delta"], KeyError, "answers: missing 'delta'"),
        (["weights"], [[[0.1, "a"]]], "exercise.weights[1]: expected a number"),
        (["layers"], "2,2,1", "exercise.layers"),
        (["learning_rate"], None, "exercise.learning_rate: expected a number"),
        (["schema"], 2, "schema 2 is not supported"),
        (["answers"], [], "'answers' must be an object"),
    ],
)
def test_a_bad_exercise_is_named_in_one_line(path, value, words):
    with pytest.raises(ValueError) as info:
        exercise_from_dict(_broken(path, value))
    message = str(info.value)
    assert words in message and "\n" not in message


def test_a_bad_optimizer_exercise_is_named():
    d = exercises.generate_optimizer(1)[0]
    d["state"] = {"m": [0.1, None, 0.2]}
    with pytest.raises(ValueError, match=r"exercise.state.m: expected a number"):
        exercise_from_dict(d)
