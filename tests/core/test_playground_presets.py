"""The playground's presets: valid, reachable from content, and true to their notes (each note's
claim is checked on a real run), plus the text fields' parsing and the lr ladder."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.playground.race import Race
from engine.playground.trainer import TrainConfig, Trainer
from studyapp.core.playground import (
    LR_LADDER,
    MAX_HIDDEN_LAYERS,
    PRESET_FOR_ENTRY,
    PRESETS,
    next_lr,
    parse_hidden,
    parse_lr,
    preset_for_entry,
)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_builds_its_run(name):
    preset = PRESETS[name]
    assert preset.view in ("train", "race") and preset.title and preset.note
    Trainer(preset.train)  # validates
    Race(preset.race.surface, preset.race.optimizers, lr=preset.race.lr)


def test_card_entries_name_real_content_and_presets():
    from studyapp.core.content import load_content

    ids = {entry.id for entry in load_content().entries}
    assert set(PRESET_FOR_ENTRY) <= ids
    assert set(PRESET_FOR_ENTRY.values()) <= set(PRESETS)
    assert preset_for_entry("act.sigmoid") is PRESETS["sigmoid-deep"]
    assert preset_for_entry("term.epoch") is None


def _trained(config: TrainConfig, steps: int):
    trainer = Trainer(config)
    start = trainer.evaluate()
    trainer.step(steps)
    return start, trainer.evaluate()


def test_sigmoid_preset_shows_vanishing_gradients_and_tanh_learns_where_it_stalls():
    sigmoid, tanh = PRESETS["sigmoid-deep"].train, PRESETS["tanh-vs-sigmoid"].train
    assert sigmoid == TrainConfig(**{**tanh.__dict__, "activation": "sigmoid"})  # only that differs
    start, end = _trained(sigmoid, 1000)
    first, last = start.grad_norms[0], start.grad_norms[-1]
    assert len(start.grad_norms) == 6 and first < 1e-4 * last  # "about 10⁻⁵ of the last's"
    assert end.accuracy < 0.85  # stuck near the share of the larger class
    start, end = _trained(tanh, 1000)
    assert start.grad_norms[0] > 0.1 * start.grad_norms[-1]
    assert end.accuracy > 0.95


def test_xor_preset_tanh_separates_it_in_under_half_the_steps_of_sigmoid():
    def steps_to_95(config: TrainConfig) -> int:
        trainer = Trainer(config)
        while trainer.evaluate().accuracy < 0.95:
            assert trainer.steps_taken < 2000, config.activation
            trainer.step(1)
        return trainer.steps_taken

    sigmoid = PRESETS["xor-activations"].train
    assert sigmoid.activation == "sigmoid"
    assert 2 * steps_to_95(replace(sigmoid, activation="tanh")) < steps_to_95(sigmoid)


def test_relu_preset_learns_the_spiral():
    _, end = _trained(PRESETS["relu"].train, 1500)
    assert end.accuracy > 0.95


def _race(name: str, steps: int = 1000) -> dict:
    setup = PRESETS[name].race
    race = Race(setup.surface, setup.optimizers, lr=setup.lr)
    race.advance(steps)
    return {n: r.final() for n, r in race.runners.items()}


def test_ravine_sgd_crawls_while_momentum_and_nesterov_reach_the_floor():
    final = _race("ravine", 400)
    assert final["sgd"]["f"] > 1.0
    assert final["momentum"]["f"] < 1e-2 and final["nesterov"]["f"] < 1e-2


def test_too_high_a_learning_rate_makes_sgd_diverge_but_not_adam():
    final = _race("lr-too-high")
    assert final["sgd"]["diverged"] and not final["adam"]["diverged"]
    assert final["adam"]["f"] < 1e-6


def test_saddle_sgd_stays_near_it_while_the_others_escape():
    final = _race("saddle")
    assert abs(final["sgd"]["y"]) < 0.05  # still by the ridge
    for name in ("momentum", "rmsprop", "adam"):
        assert final[name]["f"] < -10, name


def test_rosenbrock_momentum_follows_the_bend_sgd_and_adam_lag():
    final = _race("rosenbrock")
    for name in ("momentum", "nesterov"):
        assert abs(final[name]["x"] - 1) < 0.05 and abs(final[name]["y"] - 1) < 0.05
    assert final["sgd"]["f"] > 0.5 and final["adam"]["f"] > 0.5


@pytest.mark.parametrize(
    ("text", "sizes"), [("8,8", (8, 8)), (" 4, 2 ", (4, 2)), ("", ()), ("16 16", (16, 16))]
)
def test_parse_hidden(text, sizes):
    assert parse_hidden(text) == sizes


@pytest.mark.parametrize(
    ("text", "problem"),
    [("8,x", "sizes like 8,8"), ("0", "from 1 to"), ("65", "from 1 to"), ("1," * 9, "at most")],
)
def test_parse_hidden_names_the_problem_in_one_line(text, problem):
    with pytest.raises(ValueError, match=problem) as info:
        parse_hidden(text)
    assert "hidden layers" in str(info.value) and "\n" not in str(info.value)
    assert MAX_HIDDEN_LAYERS == 8


def test_parse_lr():
    assert parse_lr("0.03") == 0.03 and parse_lr("1e-3") == 0.001
    assert parse_lr("default", allow_default=True) is None
    for bad in ("0", "-1", "abc", "inf", "default"):
        with pytest.raises(ValueError, match="learning rate"):
            parse_lr(bad)


def test_next_lr_walks_the_ladder():
    assert next_lr(None, 1) == 0.01 and next_lr(None, -1) == 0.001
    assert next_lr(0.01, 1) == 0.02 and next_lr(0.01, -1) == 3e-3
    assert next_lr(0.11, -1) == 0.1 and next_lr(0.11, 1) == 0.2  # off the ladder
    assert next_lr(LR_LADDER[-1], 1) == LR_LADDER[-1] and next_lr(LR_LADDER[0], -1) == LR_LADDER[0]
