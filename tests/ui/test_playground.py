"""The playground screen driven with the Pilot: reached by `p` and the palette; train and race
views started, paused, stepped, reset and reconfigured, their frames and redraw counter checked."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static, TabbedContent

from engine.playground.trainer import TrainConfig
from studyapp.core.playground import PRESETS
from studyapp.ui.screens.playground import PlaygroundScreen

from .conftest import wait_until

SIZE = (100, 30)


def _record_notifications(app) -> list[str]:
    said: list[str] = []
    app.notify = lambda message, **kwargs: said.append(str(message))
    return said


async def _open(app, pilot, **kwargs) -> PlaygroundScreen:
    screen = PlaygroundScreen(**kwargs)
    await app.push_screen(screen)
    await wait_until(pilot, lambda: screen.view.frame is not None)
    return screen


def _step(view) -> int:
    return view.frame.evaluation.step


async def test_p_and_the_palette_open_the_playground(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"playground", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaygroundScreen))


async def test_train_view_runs_pauses_steps_and_resets(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        view = screen.train_view
        first = view.frame.evaluation
        assert first.step == 0 and not view.running
        await pilot.press("space")
        await wait_until(pilot, lambda: view.running and _step(view) >= 20)
        # the view counts its own redraws and shows the last second's in its corner
        drawn = view.counter.total
        await wait_until(pilot, lambda: view.counter.total >= drawn + 3)
        corner = str(view.query_one(".pg-fps", Static).render())
        assert corner.endswith(" fps") and int(corner.split()[0]) > 0
        await pilot.press("space")
        await wait_until(pilot, lambda: not view.running)
        stopped = _step(view)
        await pilot.pause(0.3)
        assert _step(view) == stopped
        assert str(view.query_one(".pg-fps", Static).render()) == "paused"
        await pilot.press("n")
        await wait_until(pilot, lambda: _step(view) == stopped + 1)
        await pilot.press("r")
        await wait_until(pilot, lambda: _step(view) == 0)
        assert view.frame.evaluation == first  # the same seed: the same data and start
        rows = len(view.frame.strips)
        await pilot.resize_terminal(120, 40)  # a paused view redraws at the new size
        await wait_until(pilot, lambda: len(view.frame.strips) > rows)
        await pilot.press("s")  # a new seed: new data and start
        await wait_until(pilot, lambda: view.frame.config.seed == 2)
        assert view.frame.evaluation != first and _step(view) == 0
        status = str(view.query_one("#pg-train-status", Static).render())
        assert f"step 0 · loss {view.frame.evaluation.loss:.4g}" in status


async def test_train_options_restart_the_run_and_bad_input_is_one_line(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        said = _record_notifications(app)
        screen = await _open(app, pilot)
        view = screen.train_view
        await pilot.press("n", "n")
        await wait_until(pilot, lambda: _step(view) == 2)
        screen.query_one("#pg-dataset", Select).value = "circles"
        await wait_until(pilot, lambda: view.frame.config.dataset == "circles")
        assert _step(view) == 0
        hidden = screen.query_one("#pg-hidden", Input)
        hidden.focus()
        hidden.value = ""
        await pilot.press("4", "comma", "3", "enter")
        await wait_until(pilot, lambda: view.frame.config.layers == (2, 4, 3, 1))
        assert app.focused is None  # the view's keys work again
        assert [f"W{m}" for m in (1, 2, 3)] == view.query_one("#pg-grads").labels
        hidden.focus()
        hidden.value = "0"
        await pilot.press("enter")
        await wait_until(pilot, lambda: said)
        assert "hidden layers" in said[-1] and "\n" not in said[-1]
        assert view.config.layers == (2, 4, 3, 1)
        assert app.focused is hidden  # left in the field to correct it
        await pilot.press("escape")  # leaves the field (not the screen): the value in use is back
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen) and app.focused is None
        assert hidden.value == "4,3" and len(said) == 1  # reported once
        screen.query_one("#pg-output", Select).value = ("softmax", "cce")
        await wait_until(pilot, lambda: view.frame.config.loss == "cce")
        assert view.frame.config.layers == (2, 4, 3, 2)  # one-hot: two output units
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: view.frame.config.lr == 0.02)
        assert screen.query_one("#pg-lr", Input).value == "0.02"
        await pilot.press("a")
        await wait_until(pilot, lambda: view.frame.config.activation == "sigmoid")
        assert view.frame.config.seed == 1
        await pilot.press("plus", "plus")
        await wait_until(pilot, lambda: view.frame.speed == 20)
        # a failure on the worker is one line for the user, and the view lives on
        view.loop.send(lambda run: run.configure(TrainConfig(layers=(3, 1))))
        await wait_until(pilot, lambda: len(said) == 2)
        assert "input layer must have 2 units" in said[-1] and "\n" not in said[-1]
        await pilot.press("n")
        await wait_until(pilot, lambda: _step(view) == 1)


async def test_race_view_lr_change_makes_sgd_diverge(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: screen.view is screen.race_view)
        view = screen.race_view
        await wait_until(pilot, lambda: view.frame is not None)
        await pilot.press("n", "n", "n")
        await wait_until(pilot, lambda: view.frame.t == 3)
        assert all(r.steps == 3 for r in view.frame.runners)
        await pilot.press("right_square_bracket")  # from the defaults up to 0.01 for all
        await wait_until(pilot, lambda: view.frame.setup.lr == 0.01 and view.frame.t == 0)
        lr = screen.query_one("#pg-race-lr", Input)
        lr.focus()
        lr.value = "0.11"
        await pilot.press("enter")
        await wait_until(pilot, lambda: view.frame.setup.lr == 0.11)
        await pilot.press("space")
        sgd = lambda: next(r for r in view.frame.runners if r.name == "sgd")  # noqa: E731
        await wait_until(pilot, lambda: sgd().diverged)
        legend = str(view.query_one("#pg-legend", Static).render())
        assert f"sgd      diverged at {sgd().steps + 1}" in legend
        await pilot.press("space", "8")
        await wait_until(pilot, lambda: "adamw" in [r.name for r in view.frame.runners])
        screen.query_one("#pg-surface", Select).value = "rosenbrock"
        await wait_until(pilot, lambda: view.frame.setup.surface == "rosenbrock")
        assert "100(y − x²)²" in str(view.query_one("#pg-formula", Static).render())


async def test_leaving_a_view_pauses_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.train_view.running)
        await pilot.press("v")
        await wait_until(pilot, lambda: not screen.train_view.running)
        assert screen.query_one(TabbedContent).active == "race"


@pytest.mark.parametrize("name", ["sigmoid-deep", "ravine"])
async def test_presets_open_their_view_with_their_settings_and_note(make_app, name):
    preset = PRESETS[name]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, preset=name, start=True)
        view = screen.view
        assert view.id == f"pg-{preset.view}"
        await wait_until(pilot, lambda: view.running)
        if preset.view == "train":
            assert view.frame.config == preset.train
        else:
            assert view.frame.setup == preset.race
        note = view.query_one(".pg-note", Static)
        assert note.display and preset.note in str(note.render())
        other = screen.race_view if view is screen.train_view else screen.train_view
        assert not other.query_one(".pg-note", Static).display
        assert preset.title in screen.sub_title


def test_unknown_preset_or_view_is_one_line():
    with pytest.raises(ValueError, match="unknown playground preset 'nope'"):
        PlaygroundScreen(preset="nope")
    with pytest.raises(ValueError, match="unknown playground view"):
        PlaygroundScreen(view="side")
