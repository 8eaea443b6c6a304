"""Pilot tests of the exercise workspace screen (mounted in a tiny app of its own, and in StudyApp)."""

from __future__ import annotations

import asyncio

import numpy as np
from textual.app import App
from textual.widgets import Input, Static

from engine import exercises
from studyapp.core.exercise import ExerciseSettings, fmt_value
from studyapp.ui.screens.exercise import ExerciseOptions, ExerciseScreen


class Harness(App):
    """An app with nothing but the screen under test and, like StudyApp, the one ``storage``;
    without one it has no ``storage`` attribute at all (a bare Textual app)."""

    def __init__(self, screen: ExerciseScreen, storage=None):
        super().__init__()
        self._screen = screen
        if storage is not None:
            self.storage = storage

    def on_mount(self) -> None:
        self.push_screen(self._screen)


def run(scenario, screen: ExerciseScreen | None = None, size=(100, 30), with_storage=True):
    """Run ``scenario(pilot, screen)`` against the screen in the harness."""
    from studyapp.storage import Storage

    screen = screen or ExerciseScreen()

    async def main():
        storage = Storage.open() if with_storage else None
        try:
            app = Harness(screen, storage)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await scenario(pilot, screen)
        finally:
            if storage is not None:
                storage.close()

    asyncio.run(main())
    return screen


async def answer(pilot, screen: ExerciseScreen, text: str) -> None:
    box = screen.query_one("#ex-answer", Input)
    box.value = text
    box.focus()
    await pilot.press("enter")


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def stored_step_accuracy() -> dict:
    from studyapp.storage import Storage

    storage = Storage.open()
    try:
        return storage.step_accuracy()
    finally:
        storage.close()


def test_preset_solved_fully_correctly():
    async def scenario(pilot, screen):
        ws = screen.workspace
        assert ws.exercise.preset == "seed-2-2-1"
        assert "x₁ 0.5" in str(screen.query_one("#ex-diagram", Static).render())
        assert "W¹ = ⎡0.2  0.4⎤" in text_of(screen, "#ex-givens")
        assert "z¹" in text_of(screen, "#ex-prompt")
        for step in list(ws.steps):
            await answer(pilot, screen, fmt_value(step.expected))
        assert ws.finished and ws.score == (15.0, 15)
        summary = text_of(screen, "#ex-summary")
        assert "Score per step type" in summary and "δ of a hidden layer" in summary
        assert "15 / 15" in summary
        from studyapp.core.worked import render_backprop

        assert render_backprop(ws.exercise, "text").splitlines()[2] in summary
        assert screen.saved_attempts == 15
        assert "Done: 15 / 15" in text_of(screen, "#ex-prompt")

    run(scenario)
    acc = stored_step_accuracy()
    assert acc["z"] == (2, 2) and acc["delta_hidden"] == (1, 1) and acc["update"] == (4, 4)


def test_wrong_hidden_z_gives_carried_forward_credit_later():
    async def scenario(pilot, screen):
        ws = screen.workspace
        await answer(pilot, screen, "[0.6, 0.91]")  # z¹₁ should be 0.52
        assert "incorrect" in text_of(screen, "#ex-feedback")
        a1_user = 1 / (1 + np.exp(-np.array([0.6, 0.91])))
        await answer(pilot, screen, fmt_value(a1_user))
        assert "correct given your earlier answer" in text_of(screen, "#ex-feedback")
        z2_user = 0.5 * a1_user[0] + 0.6 * a1_user[1] + 0.3
        await answer(pilot, screen, fmt_value(z2_user))
        assert ws.results[2].status == "correct_given_earlier"
        transcript = text_of(screen, "#ex-transcript")
        assert transcript.count("correct given your earlier answer") == 2
        assert "✗ z¹ = [0.6, 0.91]" in transcript
        # the diagram shows the user's own values, coloured by status
        assert "z 0.6" in str(screen.query_one("#ex-diagram", Static).render())

    run(scenario)


def test_hints_and_reveal_are_recorded():
    async def scenario(pilot, screen):
        ws = screen.workspace
        await pilot.press("ctrl+t")
        assert "Formula (hint 1/2" in text_of(screen, "#ex-feedback")
        assert "z¹ = W¹·x + b¹" in text_of(screen, "#ex-feedback")
        await pilot.press("f2")
        assert "[[0.2, 0.4], [0.3, 0.7]]·[0.5, 0.8]" in text_of(screen, "#ex-feedback")
        await answer(pilot, screen, "[0.52, 0.91]")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Revealed" in text_of(screen, "#ex-feedback")
        assert ws.results[0].hints == 2 and ws.results[1].revealed
        assert "hint 2" in text_of(screen, "#ex-transcript")
        for step in ws.steps[2:]:
            await answer(pilot, screen, fmt_value(step.expected))
        assert "hints used on 1 step(s), 1 revealed" in text_of(screen, "#ex-summary")
        assert ws.score == (13.5, 15)

    run(scenario)
    from studyapp.storage import Storage

    storage = Storage.open()
    try:
        rows = storage._conn.execute(
            "SELECT step, correct, hints, revealed FROM attempts ORDER BY id LIMIT 2"
        ).fetchall()
    finally:
        storage.close()
    assert [tuple(r) for r in rows] == [("z", 0, 2, 0), ("a", 0, 0, 1)]


def test_three_layer_tanh_softmax_cce_completes():
    settings = ExerciseSettings(
        preset=None, layers=(2, 3, 2, 3), activation="tanh", output_activation="softmax", loss="cce"
    )

    async def scenario(pilot, screen):
        ws = screen.workspace
        assert ws.exercise.output_activation == "softmax" and len(ws.exercise.weights) == 3
        assert "z ?" in str(screen.query_one("#ex-diagram", Static).render())
        for step in list(ws.steps):
            await answer(pilot, screen, fmt_value(step.expected))
        assert ws.finished and ws.score == (len(ws.steps), len(ws.steps))
        assert "Worked solution" in text_of(screen, "#ex-summary")

    run(scenario, ExerciseScreen(settings=settings, seed=7), size=(80, 24))
    assert stored_step_accuracy()["delta_hidden"] == (2, 2)


def test_invalid_input_keeps_the_step_and_says_why():
    async def scenario(pilot, screen):
        await answer(pilot, screen, "[0.52, ")
        assert screen.workspace.current == 0
        assert text_of(screen, "#ex-feedback").strip()

    run(scenario)


def test_new_exercise_and_escape():
    async def scenario(pilot, screen):
        first = screen.workspace
        screen.query_one("#ex-problem").focus()
        await pilot.press("n")
        await pilot.pause()
        assert screen.workspace is not first
        assert not screen.workspace.exercise.preset  # same shape, fresh numbers
        assert screen.workspace.exercise.layers == (2, 2, 1)
        await pilot.press("f5")  # random configuration
        await pilot.pause()
        assert screen.workspace.steps
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ExerciseScreen)

    run(scenario)


def test_options_dialog_starts_an_optimizer_exercise():
    async def scenario(pilot, screen):
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ExerciseOptions)
        from textual.widgets import Select

        assert dialog.query_one("#opt-layers", Input).disabled  # the preset fixes the net
        dialog.query_one("#opt-kind", Select).value = "optimizer"
        await pilot.pause()
        assert dialog.query_one("#opt-layers", Input).disabled
        assert not dialog.query_one("#opt-size", Input).disabled
        dialog.query_one("#opt-optimizer", Select).value = "rmsprop"
        await pilot.click("#opt-start")
        await pilot.pause()
        ws = screen.workspace
        assert ws.exercise.optimizer == "rmsprop"
        assert [s.key for s in ws.steps] == ["Eg2", "params"]
        assert "θ = " in text_of(screen, "#ex-givens")
        for step in list(ws.steps):
            await answer(pilot, screen, fmt_value(step.expected))
        assert ws.finished and "rmsprop" in text_of(screen, "#ex-summary").lower()

    run(scenario)


def test_options_dialog_reports_a_bad_field_in_one_line():
    async def scenario(pilot, screen):
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = pilot.app.screen
        from textual.widgets import Select

        dialog.query_one("#opt-kind", Select).value = "backprop"
        await pilot.pause()
        assert not dialog.query_one("#opt-layers", Input).disabled
        dialog.query_one("#opt-layers", Input).value = "2,0,1"
        await pilot.click("#opt-start")
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert "layers" in str(dialog.query_one("#opt-error", Static).render())

    run(scenario)


def test_dashboard_key_e_opens_the_workspace():
    from studyapp.ui.app import StudyApp

    async def main():
        app = StudyApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, ExerciseScreen)
            screen = app.screen
            ws = screen.workspace
            for step in ws.steps[:-1]:  # the core directly (fast); the last answer through the UI
                ws.submit(fmt_value(step.expected))
            await answer(pilot, screen, fmt_value(ws.steps[-1].expected))
            assert screen.saved_attempts == 15  # saved into the app's own database
            assert app.storage.step_accuracy()["loss"] == (1, 1)

    asyncio.run(main())


def test_screen_given_an_exercise():
    ex = exercises.backprop_exercises(2, layers=(3, 2, 2), output_activation="linear", loss="mse")[
        0
    ]

    async def scenario(pilot, screen):
        assert screen.workspace.exercise is ex

    run(scenario, ExerciseScreen(exercise=ex))


def test_an_app_without_a_database_is_told_the_attempt_was_not_saved():
    """The screen never opens a database of its own: the app owns the one Storage."""
    from studyapp.paths import data_dir

    async def scenario(pilot, screen):
        notes = []
        screen.notify = lambda message, **kwargs: notes.append(message)
        ws = screen.workspace
        for step in ws.steps[:-1]:
            ws.submit(fmt_value(step.expected))
        await answer(pilot, screen, fmt_value(ws.steps[-1].expected))
        assert ws.finished and screen.saved_attempts == 0
        assert notes == ["attempt not saved: no database"]

    run(scenario, with_storage=False)
    assert not list(data_dir().glob("*.db"))
