"""Exercise generation: determinism, index stability, rounding, targets that suit the loss."""

import json

import numpy as np
import pytest

from engine import exercises as ex


def test_same_seed_same_exercises_and_prefix_stable():
    a = ex.generate_backprop(7, 5, [2, 3, 1])
    assert a == ex.generate_backprop(7, 5, [2, 3, 1])
    assert a[:2] == ex.generate_backprop(7, 2, [2, 3, 1])
    assert [e["index"] for e in a] == list(range(5))
    assert a != ex.generate_backprop(8, 5, [2, 3, 1])


def test_given_values_are_rounded_and_answers_are_full_precision():
    e = ex.generate_backprop(1, 1, [3, 2, 2], decimals=1)[0]
    given = e["x"] + [w for W in e["weights"] for row in W for w in row] + sum(e["biases"], [])
    assert all(round(v, 1) == v for v in given)
    assert any(round(v, 6) != v for v in sum(e["answers"]["z"], []))
    assert e["answers"] == ex.solve_backprop(e)


@pytest.mark.parametrize(
    "loss,output,allowed",
    [
        ("bce", "sigmoid", {0.0, 1.0}),
        ("hinge", "tanh", {-1.0, 1.0}),
    ],
)
def test_targets_suit_the_loss(loss, output, allowed):
    for e in ex.generate_backprop(3, 50, [2, 2, 2], output_activation=output, loss=loss):
        assert set(e["target"]) <= allowed


def test_cce_targets_are_one_hot():
    for e in ex.generate_backprop(3, 50, [2, 3], output_activation="softmax", loss="cce"):
        assert sorted(e["target"]) == [0.0, 0.0, 1.0]


def test_preset_is_the_notes_example():
    e = ex.preset("seed-2-2-1")
    assert e["weights"] == [[[0.2, 0.4], [0.3, 0.7]], [[0.5, 0.6]]]
    np.testing.assert_allclose(e["answers"]["z"][0], [0.52, 0.91])
    assert (
        len(e["answers"]["grad_weights"][0]) == 2 and len(e["answers"]["grad_weights"][0][0]) == 2
    )


@pytest.mark.parametrize(
    "kwargs,option",
    [
        ({"layers": [2, 0, 1]}, "--layers"),
        ({"activation": "softmax"}, "--activation"),
        ({"loss": "cce"}, "--loss"),
        ({"loss": "bce", "output_activation": "tanh"}, "--loss"),
        ({"loss": "nll"}, "--loss"),
        ({"decimals": 9}, "--decimals"),
        ({"count": 0}, "--count"),
    ],
)
def test_bad_options_name_the_option(kwargs, option):
    with pytest.raises(ex.OptionError) as info:
        ex.generate_backprop(1, **kwargs)
    assert info.value.option == option


@pytest.mark.parametrize("name", ex.OPTIMIZER_NAMES)
def test_optimizer_exercises_have_nonzero_state_and_t_at_least_2(name):
    for e in ex.generate_optimizer(2, 30, name, size=4, decimals=2):
        assert 2 <= e["t"] <= ex.MAX_T
        for values in e["state"].values():
            assert all(v != 0 for v in values)
        assert e["answers"] == ex.solve_optimizer(e)
        json.dumps(e)
    assert ex.generate_optimizer(2, 3, name)[:1] == ex.generate_optimizer(2, 1, name)


def test_fast_jsonl_equals_the_dicts():
    for args in [
        (1, 40, [2, 3, 1]),
        (3, 7, [3, 4, 2, 3], "tanh", "softmax", "cce"),
        (4, 1, [1, 1], "relu", "linear", "huber"),
    ]:
        lines = ex.backprop_jsonl(*args).decode().splitlines()
        assert [json.loads(line) for line in lines] == ex.generate_backprop(*args)


def test_exercises_drawn_in_chunks_are_the_exercises_drawn_at_once():
    """Streaming draws chunk after chunk from one generator: exercise i is the same whatever
    the chunk size (so 10⁶ exercises stream in bounded memory and print what one block would)."""
    whole = ex.backprop_exercises(5, 11, (2, 3, 2), "tanh")
    for size in (1, 4, 11, 64):
        chunks = list(ex.backprop_chunks(5, 11, (2, 3, 2), "tanh", chunk=size))
        assert max(map(len, chunks)) == min(size, 11)
        assert [e for c in chunks for e in c] == whole
    opt = ex.optimizer_exercises(5, 9, "adadelta")
    assert [e for c in ex.optimizer_chunks(5, 9, "adadelta", chunk=4) for e in c] == opt
    lines = b"".join(ex.backprop_jsonl_chunks(5, 11, (2, 3, 2), "tanh", chunk=3))
    assert lines == ex.backprop_jsonl(5, 11, (2, 3, 2), "tanh")


@pytest.mark.parametrize("hidden,output", [("relu", "relu"), ("leaky_relu", "linear")])
def test_no_exercise_puts_a_z_on_a_kink(hidden, output):
    """The contract: a draw with some z exactly 0 in a relu/leaky_relu layer is redrawn (one
    decimal makes such draws common: about 3 % of 2-3-1 relu nets); every other exercise is the
    plain draw, and exercise i does not depend on the count."""
    options = ex.BackpropOptions(5, [2, 3, 1], hidden, output, "half_sse", 1, 0.1)
    [(_, batch, res)] = ex._solved(options, 2000, 2000)
    kinked = [m for m, act in ((0, hidden), (1, output)) if act in ex.KINKED]
    for m in kinked:
        assert np.abs(res.z[m]).min() > 1e-9
    plain = ex.draw_backprop(5, 2000, [2, 3, 1], "half_sse", output, 1)
    hit = ex.on_kink(ex.solve_batch(plain, hidden, output), hidden, output)
    assert 20 < hit.sum() < 200  # the redraw is exercised
    assert np.array_equal(batch.x[~hit], plain.x[~hit])
    assert not np.array_equal(batch.weights[0][hit], plain.weights[0][hit])
    first = ex.generate_backprop(5, 50, [2, 3, 1], hidden, output, "half_sse", 1)
    assert first == ex.generate_backprop(5, 2000, [2, 3, 1], hidden, output, "half_sse", 1)[:50]
    lines = ex.backprop_jsonl(5, 50, [2, 3, 1], hidden, output, "half_sse", 1).decode()
    assert [json.loads(line) for line in lines.splitlines()] == first
    # a redrawn exercise is the same whatever the chunk it falls in
    whole = ex.backprop_exercises(5, 300, [2, 3, 1], hidden, output, "half_sse", 1)
    for size in (7, 64):
        chunks = ex.backprop_chunks(5, 300, [2, 3, 1], hidden, output, "half_sse", 1, chunk=size)
        assert [e for c in chunks for e in c] == whole


def test_kinks_that_cannot_be_avoided_are_one_option_error():
    with pytest.raises(ex.OptionError, match="--decimals"):
        # raised by the call, before a first chunk could be printed
        ex.backprop_chunks(1, 50, [8] * 6, "relu", "relu", "half_sse", 0, 0.1)
