"""The exercise workspace's grading: steps, error carried forward (via the engine), hints, storage."""

from __future__ import annotations

import random

import numpy as np
import pytest

from engine import exercises
from engine.exercise_types import BackpropExercise
from studyapp.core import exercise as wsmod
from studyapp.core.exercise import (
    ExerciseSettings,
    Workspace,
    fmt_value,
    generate,
    parse_layers,
    parse_numbers,
    randomize_settings,
)
from studyapp.core.exercise.numbers import check_update, fmt_update
from studyapp.errors import UsageError


def preset_ws() -> Workspace:
    return Workspace(exercises.preset_exercise("seed-2-2-1"))


def test_preset_steps_in_the_order_of_the_notes():
    ws = preset_ws()
    assert [s.key for s in ws.steps] == [
        "z1",
        "a1",
        "z2",
        "a2",
        "loss",
        "delta2",
        "grad_W2",
        "grad_b2",
        "delta1",
        "grad_W1",
        "grad_b1",
        "new_W1",
        "new_b1",
        "new_W2",
        "new_b2",
    ]
    kinds = {s.key: s.kind for s in ws.steps}
    assert kinds["delta2"] == "delta_output" and kinds["delta1"] == "delta_hidden"
    by_key = {s.key: s.expected for s in ws.steps}
    assert np.allclose(by_key["z1"], [0.52, 0.91])
    assert by_key["grad_W1"].shape == (2, 2)  # the full matrix the notes print only half of
    assert np.allclose(by_key["grad_W2"], [[-0.03155, -0.03587]], atol=5e-5)


def test_all_correct_scores_full_marks():
    ws = preset_ws()
    for step in ws.steps:
        fb = ws.submit(fmt_value(step.expected))
        assert fb.status == "correct", (step.key, fb)
    assert ws.finished
    assert ws.score == (15.0, 15)
    assert all(r.counts_correct for r in ws.results)


def test_one_element_vectors_and_row_matrices_may_be_typed_plainly():
    ws = preset_ws()
    for text in ("[0.52, 0.91]", "[0.6271, 0.7130]", "1.041"):  # z², a 1-vector, typed as a number
        assert ws.submit(text).status == "correct"
    assert ws.submit("[[0.7391]]").status == "correct"  # or as a 1×1 matrix


def test_invalid_input_keeps_the_step_open():
    ws = preset_ws()
    assert ws.submit("").status == "invalid"
    assert ws.submit("[0.52, ").status == "invalid"
    fb = ws.submit("0.52")  # a number for a 2-vector: said, not graded
    assert fb.status == "invalid" and "2-vector" in fb.message and "a number" in fb.message
    assert ws.current == 0 and not ws.results[0].done


def _user_chain_answers(ex: BackpropExercise, z1_user: list[float]) -> dict:
    """Independent of the workspace: the whole chain when z¹ is wrong equals the engine's solution
    of the exercise with b¹ shifted by the error (then the update of b¹ starts from the real b¹)."""
    shifted = ex.to_dict()
    err = np.asarray(z1_user) - np.asarray(ex.answers.z[0])
    shifted["biases"] = [list(np.asarray(ex.biases[0]) + err), ex.biases[1]]
    ans = exercises.solve_backprop(shifted)
    ans["updated_biases"][0] = list(
        np.asarray(ex.biases[0]) - ex.learning_rate * np.asarray(ans["grad_biases"][0])
    )
    return ans


def test_wrong_hidden_z_is_carried_forward():
    ex = exercises.preset_exercise("seed-2-2-1")
    ws = Workspace(ex)
    z1_user = [0.6, 0.91]  # z¹₁ wrong (0.52)
    ans = _user_chain_answers(ex, z1_user)
    values = {
        "z1": z1_user,
        "a1": ans["a"][0],
        "z2": ans["z"][1],
        "a2": ans["a"][1],
        "loss": ans["loss"],
        "delta2": ans["delta"][1],
        "grad_W2": ans["grad_weights"][1],
        "grad_b2": ans["grad_biases"][1],
        "delta1": ans["delta"][0],
        "grad_W1": ans["grad_weights"][0],
        "grad_b1": ans["grad_biases"][0],
        "new_W1": ans["updated_weights"][0],
        "new_b1": ans["updated_biases"][0],
        "new_W2": ans["updated_weights"][1],
        "new_b2": ans["updated_biases"][1],
    }
    statuses = {}
    for step in ws.steps:
        statuses[step.key] = ws.submit(fmt_value(values[step.key])).status
    assert statuses["z1"] == "incorrect"
    # a¹ and z² differ from the true values by more than the tolerance: credited only given z¹
    assert statuses["a1"] == "correct_given_earlier"
    assert statuses["z2"] == "correct_given_earlier"
    assert statuses["delta1"] == "correct_given_earlier"
    assert all(s in ("correct", "correct_given_earlier") for k, s in statuses.items() if k != "z1")
    assert ws.score == (14.0, 15)
    assert "correct given your earlier answer" in ws.results[1].message


def test_carried_forward_values_come_from_the_engine(monkeypatch):
    """The recomputation calls engine.network's per-step functions (not a copy of the maths)."""
    from engine import network

    calls = []
    for name in ("layer_forward", "output_delta", "hidden_delta", "weight_gradient"):
        real = getattr(network, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(network, name, spy)
    ws = preset_ws()
    ws.submit("[0.6, 0.91]")  # wrong z¹: every later step is also checked against the user's chain
    for step in ws.steps[1:]:
        ws.submit("[[9, 9], [9, 9]]" if step.expected.ndim == 2 else "9")
    assert {"layer_forward", "output_delta", "hidden_delta", "weight_gradient"} <= set(calls)


def test_a_wrong_answer_is_not_rescued_by_carried_forward():
    ws = preset_ws()
    ws.submit("[0.6, 0.91]")
    fb = ws.submit("[0.1, 0.2]")  # a¹ wrong both ways
    assert fb.status == "incorrect"
    assert ws.results[1].credit == 0


def test_hints_two_levels_and_reveal_are_recorded():
    ws = preset_ws()
    first = ws.hint()
    assert "z¹ = W¹·x + b¹" in first.message and "your numbers" not in first.message
    second = ws.hint()
    assert "[[0.2, 0.4], [0.3, 0.7]]·[0.5, 0.8] + [0.1, 0.2]" in second.message
    assert ws.results[0].hints == 2
    assert ws.submit("[0.52, 0.91]").status == "correct"
    assert ws.results[0].credit == wsmod.CREDIT_NUMBERS_HINT
    assert not ws.results[0].counts_correct  # needed the numbers: not counted as known
    fb = ws.reveal()
    assert fb.status == "revealed" and "0.6271" in fb.message
    assert ws.results[1].revealed and ws.results[1].credit == 0
    # the revealed value is what the next step builds on: z² is correct against the truth
    assert ws.submit("1.041").status == "correct"


def test_hint_numbers_use_the_users_own_values():
    ws = preset_ws()
    ws.submit("[0.6, 0.91]")
    ws.hint()
    assert "[0.6, 0.91]" in ws.hint().message


def test_every_step_type_has_a_formula_hint():
    ex = exercises.backprop_exercises(
        4, layers=(2, 3, 2, 3), activation="tanh", output_activation="softmax", loss="cce"
    )[0]
    ws = Workspace(ex)
    for step in ws.steps:
        text = ws.hint_text(step, 2)
        assert text.strip() and "with your numbers" in text, step.key


def test_three_layer_softmax_cce_completes_with_engine_answers():
    ex = exercises.backprop_exercises(
        11, layers=(2, 3, 2, 3), activation="tanh", output_activation="softmax", loss="cce"
    )[0]
    ws = Workspace(ex)
    assert len(ws.steps) == 3 * 2 + 1 + 3 * 3 + 3 * 2
    assert [s.kind for s in ws.steps].count("delta_hidden") == 2
    for step in ws.steps:
        assert ws.submit(fmt_value(step.expected)).status == "correct", step.key
    assert ws.score == (len(ws.steps), len(ws.steps))


def test_optimizer_exercise_steps_and_grading():
    ex = exercises.optimizer_exercises(5, optimizer="adam", size=3)[0]
    ws = Workspace(ex)
    assert [s.key for s in ws.steps] == ["m", "v", "m_hat", "v_hat", "params"]
    assert ws.topic == "optimizers"
    assert "m̂ = m / (1 − β₁ᵗ)" in ws.hint_text(ws.steps[2], 1)
    ws.submit(fmt_value(ws.steps[0].expected))
    assert ws.submit("[1, 2, 3]").status == "incorrect"
    for step in ws.steps[2:]:
        ws.submit(fmt_value(step.expected))
    assert ws.finished and ws.score == (4.0, 5)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "adadelta", "rmsprop", "nesterov"])
def test_every_optimizer_builds(name):
    ws = Workspace(exercises.optimizer_exercises(1, optimizer=name)[0])
    assert ws.steps[-1].key == "params"
    assert all(ws.hint_text(s, 2) for s in ws.steps)


def test_randomized_settings_always_generate():
    rng = random.Random(0)
    for i in range(40):
        settings = randomize_settings(rng, "optimizer" if i % 5 == 0 else "backprop")
        ws = Workspace(generate(settings, i))
        assert ws.steps and max(settings.layers) <= 4


def test_generate_reports_bad_combinations_as_usage_errors():
    bad = ExerciseSettings(preset=None, output_activation="sigmoid", loss="cce")
    with pytest.raises(UsageError):
        generate(bad, 1)


def test_parse_layers():
    assert parse_layers("2,3,1") == (2, 3, 1)
    assert parse_layers("2-2-1") == (2, 2, 1)
    for bad in ("2", "a,b", "2,0,1", "2,99"):
        with pytest.raises(UsageError):
            parse_layers(bad)


def test_parse_numbers():
    assert parse_numbers("−0.5").tolist() == -0.5
    assert parse_numbers("(0.5, 0.8)").tolist() == [0.5, 0.8]
    assert parse_numbers("[[1, 2], [3, 4e-2]]").tolist() == [[1, 2], [3, 0.04]]
    assert parse_numbers("[0.1 + 0.2, 2^-1]").tolist() == pytest.approx([0.3, 0.5])
    assert parse_numbers("σ(0)") == pytest.approx(0.5)  # arithmetic via the checker's evaluator
    for bad in ("[1, [2]]", "[1, 2", "sigma(z)", "__import__('os')", "[[[[[1]]]]]", ""):
        assert parse_numbers(bad) is None, bad


@pytest.mark.parametrize(
    "answers, key, words",
    [
        (["[0.42, 0.71]"], "z1", "bias b¹ is missing"),
        (["[0.52, 0.91]", "[0.52, 0.91]"], "a1", "activation function is not applied"),
        (
            ["[0.52, 0.91]", "[0.6271, 0.713]", "1.041", "0.7391", "0.03403", "-0.261"],
            "delta2",
            "f′(z²) is missing",
        ),
    ],
)
def test_classic_slips_are_named(answers, key, words):
    ws = preset_ws()
    for text in answers:
        fb = ws.submit(text)
    assert ws.steps[ws.current - 1].key == key
    assert fb.status == "incorrect" and words in fb.diagnosis


def test_missing_derivative_in_hidden_delta_and_missing_eta_are_named():
    ws = preset_ws()
    while ws.step.key != "delta1":
        ws.submit(fmt_value(ws.step.expected))
    fb = ws.submit("[-0.02515, -0.03018]")  # W²ᵀδ² without σ′(z¹)
    assert "f′(z¹) is missing" in fb.diagnosis
    while ws.step.key != "new_b1":
        ws.submit(fmt_value(ws.step.expected))
    fb = ws.submit("[0.1 + 0.005881, 0.2 + 0.006176]")  # b¹ − ∂L/∂b¹ (an expression, no η)
    assert fb.status == "incorrect" and "η = 0.1 is missing" in fb.diagnosis
    fb = ws.submit("[[0.4968, 0.5964]]")  # W² + η·∂L/∂W²
    assert "gradient was added" in fb.diagnosis


def test_transposed_gradient_is_graded_with_the_checkers_diagnosis():
    ws = preset_ws()
    while ws.step.key != "grad_W1":
        ws.submit(fmt_value(ws.step.expected))
    fb = ws.submit(fmt_value(ws.step.expected.T))
    assert fb.status == "incorrect" and "transpose" in (fb.diagnosis or "")


def test_optimizer_errors_are_carried_forward_with_the_engines_stages():
    ex = exercises.optimizer_exercises(5, optimizer="adam", size=3)[0]
    ws = Workspace(ex)
    m_user = np.asarray(ws.steps[0].expected) + 0.05  # a wrong first moment
    assert ws.submit(fmt_value(m_user)).status == "incorrect"
    ws.submit(fmt_value(ws.steps[1].expected))  # v right
    # m̂ from the user's m, computed here by hand (the workspace uses engine.optimizers.STAGES)
    m_hat_user = np.asarray(m_user) / (1 - ex.hyperparameters["beta1"] ** ex.t)
    assert ws.submit(fmt_value(m_hat_user)).status == "correct_given_earlier"
    ws.submit(fmt_value(ws.steps[3].expected))
    h = ex.hyperparameters
    v_hat = np.asarray(ws.steps[3].expected)
    final = np.asarray(ex.params) - h["lr"] * m_hat_user / (np.sqrt(v_hat) + h["eps"])
    assert not np.allclose(final, ws.steps[4].expected, rtol=0.005)  # far enough from the truth
    assert ws.submit(fmt_value(final)).status == "correct_given_earlier"
    assert ws.score == (4.0, 5)


@pytest.mark.parametrize("seed", range(8))
def test_one_wrong_step_never_costs_a_later_step(seed):
    """Whatever step is wrong, answering every later step consistently with it earns full credit."""
    rng = random.Random(seed)
    settings = randomize_settings(rng, "optimizer" if seed % 4 == 3 else "backprop")
    ws = Workspace(generate(settings, seed))
    wrong = rng.randrange(len(ws.steps) - 1)
    for i, step in enumerate(ws.steps):
        if i < wrong:
            value = step.expected
        elif i == wrong:
            value = step.expected * 1.3 + 0.2  # clearly off
        else:
            value = ws.carried_expected(step)
            value = step.expected if value is None else value
        before = ws.rules.before(step)  # an update shows its change: more digits
        ws.submit(fmt_value(value, digits=6) if before is None else fmt_update(before, value))
    statuses = [r.status for r in ws.results]
    assert statuses[wrong] == "incorrect", (settings, ws.steps[wrong].key)
    assert all(s in ("correct", "correct_given_earlier") for s in statuses[wrong + 1 :]), (
        settings,
        statuses,
    )


def _at_step(ws: Workspace, key: str) -> None:
    while ws.step.key != key:
        ws.submit(ws.shown(ws.step))


def test_an_unchanged_parameter_is_not_an_update():
    """The issue's case: W¹ typed unchanged was graded right (0.5 % of W exceeds η·∂L/∂W)."""
    ws = preset_ws()
    _at_step(ws, "new_W1")
    fb = ws.submit("[[0.2, 0.4], [0.3, 0.7]]")
    assert fb.status == "incorrect" and "more digits" not in fb.message
    assert "too few digits" in fb.message  # one decimal cannot show a change of 0.0003
    fb = ws.submit("[0.1000, 0.2000]")  # b¹ unchanged, with enough digits to show a change
    assert fb.status == "incorrect" and fb.message.startswith("unchanged")
    fb = ws.submit("[[0.4968, 0.5964]]")  # W² moved the wrong way
    assert fb.status == "incorrect" and "wrong way" in fb.message
    assert "gradient was added" in fb.diagnosis
    assert ws.submit("[0.305]").status == "correct"  # b² + 0.00503: three decimals show it


@pytest.mark.parametrize("seed", range(6))
def test_updates_are_graded_on_their_change(seed):
    """Every update step of random exercises (backprop and optimizers): the old value and the old
    value moved the wrong way are never right, in any number of digits; the shown value is right;
    the truth rounded to fewer places than the change needs asks for more digits."""
    rng = random.Random(seed)
    for kind in ("backprop", "optimizer"):
        ws = Workspace(generate(randomize_settings(rng, kind), seed))
        for step in ws.steps:
            before = ws.rules.before(step)
            if before is None:
                continue
            change = step.expected - before
            for digits in (2, 4, 8, 12):
                for wrong in (before, before - change):
                    text = fmt_value(wrong, digits)
                    assert check_update(before, step.expected, text).verdict != "correct", text
            assert check_update(before, step.expected, ws.shown(step)).verdict == "correct"
            moving = np.abs(change[change != 0])
            if moving.size and moving.min() < 0.05:
                places = int(np.floor(-np.log10(moving.min())))  # 0.003 → 2 places: too few
                coarse = fmt_value(np.round(step.expected, places), 12)
                verdict = check_update(before, step.expected, coarse)
                assert verdict.verdict == "incorrect" and "decimal places" in verdict.message


def test_an_update_is_carried_forward_from_the_learners_gradient():
    ws = preset_ws()
    _at_step(ws, "grad_b1")
    ws.submit("[-0.01, -0.01]")  # wrong ∂L/∂b¹ (the key: −0.005881, −0.006176)
    ws.submit(ws.shown(ws.step))  # W¹ new right
    fb = ws.submit("[0.1010, 0.2010]")  # b¹ − η·(their gradient)
    assert fb.status == "correct_given_earlier", fb.message


@pytest.mark.parametrize("seed", range(4))
def test_a_written_solution_is_graded_by_the_workspace(seed):
    """grade_solution drives the same Workspace as the screen: the key's own answers are all
    correct; the given parameters written as the updated ones are not."""
    from studyapp.core.exercise.grading import grade_solution

    rng = random.Random(seed)
    for kind in ("backprop", "optimizer"):
        ex = generate(randomize_settings(rng, kind), seed)
        answers = ex.answers.to_dict()
        graded = grade_solution(ex, answers)
        assert graded.all_accepted and graded.count(wsmod.StepStatus.CORRECT) == len(graded.steps)
        if kind == "backprop":
            answers["updated_biases"] = [list(b) for b in ex.biases]
        else:
            answers["params"] = list(ex.params)
        verdicts = [s.result.status for s in grade_solution(ex, answers).steps]
        assert verdicts[-1] == "incorrect" and not grade_solution(ex, answers).all_accepted


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        ((), "a number"),
        ((1,), "a number"),
        ((2,), "a 2-vector [·, ·]"),
        ((3,), "a 3-vector [·, ·, ·]"),  # the hint once showed two slots for three numbers
        ((6,), "a 6-vector [·, …, ·]"),
        ((1, 3), "a 1×3 matrix [[·, ·, ·]]"),
        ((3, 2), "a 3×2 matrix [[·, ·], [·, ·], …]"),
    ],
)
def test_shape_hint_has_one_slot_per_entry(shape, text):
    from studyapp.core.exercise.model import Step

    step = Step(key="x", kind="z", label="x", title="x", expected=np.zeros(shape))
    assert step.shape_text == text
