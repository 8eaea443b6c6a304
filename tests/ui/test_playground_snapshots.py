"""Snapshots of the playground's two views (pytest-textual-snapshot), paused after a fixed number
of steps from a fixed seed, so the pictures change only when the UI does. Regenerate after a
deliberate change with ``--snapshot-update`` and look at the SVGs."""

from __future__ import annotations

from studyapp.ui.screens.playground import PlaygroundScreen

from .conftest import wait_until


def _paused_after(steps: int, **kwargs):
    async def run_before(pilot):
        screen = PlaygroundScreen(**kwargs)
        await pilot.app.push_screen(screen)
        view = screen.view
        await wait_until(pilot, lambda: view.frame is not None)
        view.loop.send(lambda run: run.step(steps))
        done = (lambda f: f.evaluation.step) if view is screen.train_view else (lambda f: f.t)
        await wait_until(pilot, lambda: done(view.frame) == steps)
        await pilot.pause()

    return run_before


def test_train_view_small_terminal(snap_compare, make_app):
    # xor, 2-8-1 tanh, Adam, seed 1: the boundary has formed after 300 steps
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_paused_after(300))


def test_race_view_ravine(snap_compare, make_app):
    run_before = _paused_after(150, preset="ravine")
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)
