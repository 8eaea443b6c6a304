"""Saving a finished exercise: one attempt per step, with its step type, hints and reveals."""

from __future__ import annotations

from engine import exercises
from studyapp.core.exercise import Workspace, fmt_value
from studyapp.study.attempts import save_exercise_attempts


class FakeStorage:
    def __init__(self):
        self.rows = []

    def record_attempt(self, kind, question_id, topic, correct, seconds, step=None, **extra):
        self.rows.append(
            dict(
                kind=kind,
                question_id=question_id,
                topic=topic,
                correct=correct,
                seconds=seconds,
                step=step,
                **extra,
            )
        )


def _finish(ws: Workspace) -> Workspace:
    while not ws.finished:
        ws.submit(fmt_value(ws.step.expected))
    return ws


def test_one_attempt_per_step_with_step_type_hints_reveals_and_time():
    clock = iter(range(0, 1000, 3))
    ws = Workspace(exercises.preset_exercise("seed-2-2-1"), clock=lambda: float(next(clock)))
    ws.hint()
    ws.submit("[0.52, 0.91]")
    ws.reveal()
    store = FakeStorage()
    assert save_exercise_attempts(store, _finish(ws).attempts()) == 15
    assert len(store.rows) == 15
    first, second = store.rows[0], store.rows[1]
    assert first["kind"] == "exercise" and first["step"] == "z" and first["hints"] == 1
    assert first["correct"] is True and first["seconds"] == 3.0
    assert first["question_id"] == "exercise:backprop:2-2-1:sigmoid:sigmoid:half_sse:seed-2-2-1:z1"
    assert first["topic"] == "backprop"
    assert second["revealed"] is True and second["correct"] is False
    assert {r["step"] for r in store.rows} >= {"delta_hidden", "delta_output", "grad_W", "update"}


def test_saved_steps_feed_step_accuracy_of_the_real_storage():
    from studyapp.storage import Storage

    ws = Workspace(exercises.preset_exercise("seed-2-2-1"))
    ws.submit("[0.6, 0.91]")
    storage = Storage.open()
    try:
        save_exercise_attempts(storage, _finish(ws).attempts())
        acc = storage.step_accuracy()
    finally:
        storage.close()
    assert acc["z"] == (1, 2)
    assert acc["delta_hidden"] == (1, 1)


def test_optimizer_steps_count_for_the_optimizers_topic():
    ws = _finish(Workspace(exercises.optimizer_exercises(5, optimizer="adam")[0]))
    store = FakeStorage()
    save_exercise_attempts(store, ws.attempts())
    assert [r["step"] for r in store.rows] == ["opt_state"] * 2 + ["opt_intermediate"] * 2 + [
        "opt_params"
    ]
    assert {r["topic"] for r in store.rows} == {"optimizers"}
    assert store.rows[0]["question_id"] == "exercise:optimizer:adam:5:0:m"
