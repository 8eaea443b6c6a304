"""Fixtures for the TUI tests: a fixed clock and a small, known deck of cards.

The cards are made here (not from content/) so the flows are tested against exact expectations
even while the course content grows.
"""

from __future__ import annotations

import asyncio
import inspect
from datetime import UTC, datetime

import pytest

from studyapp.core.cards import CardSpec


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests with asyncio.run (no pytest-asyncio in the venv)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


Spec = CardSpec.plain

SPECS = [
    Spec(
        "act.sigmoid::formula",
        "act.sigmoid",
        "formula",
        "activations",
        "Deep Learning::Activations",
        "What is the sigmoid function σ(z)?",
        "σ(z) = 1/(1 + e⁻ᶻ)",
    ),
    Spec(
        "loss.mse::formula",
        "loss.mse",
        "formula",
        "losses",
        "Deep Learning::Losses",
        "Mean squared error?",
        "MSE = Σ(a − y)²/n",
    ),
    Spec(
        "opt.adam::update",
        "opt.adam",
        "update",
        "optimizers",
        "Deep Learning::Optimizers",
        "Adam's parameter update?",
        "θ ← θ − η·m̂/(√v̂ + ε)",
    ),
    Spec(
        "term.epoch::definition",
        "term.epoch",
        "definition",
        "terms",
        "Deep Learning::Terms",
        "What is an epoch?",
        "One pass over the whole training set.",
    ),
]

#: Cards whose text looks like markup ("[0, ∞)", "[b]", "[[1, 2]]"): must show as typed.
TRICKY = [
    Spec(
        "act.relu::range",
        "act.relu",
        "range",
        "activations",
        "Deep Learning::Activations",
        "ReLU range [b]?",
        "Range: [0, ∞)\nW = [[1, 2], [3, 4]] and a \\ backslash [/dim]",
    ),
]


@pytest.fixture
def make_app():
    """``make_app(start=None, specs=SPECS)`` -> StudyApp over a fresh database at NOW."""
    opened = []

    def factory(start=None, specs=None, **kwargs):
        from studyapp.study.session import open_study
        from studyapp.ui.app import StudyApp

        storage = open_study(now=NOW, cardspecs=list(SPECS if specs is None else specs))
        opened.append(storage)
        return StudyApp(start=start, clock=lambda: NOW, storage=storage, **kwargs)

    yield factory
    for storage in opened:
        storage.close()


async def wait_until(pilot, predicate, timeout: float = 20.0) -> None:
    """Let the app run until ``predicate()`` is true (workers finish at their own pace)."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        await pilot.pause(0.05)


async def open_export(pilot, fmt: str):
    """The export dialog (from the palette's place), with format ``fmt`` chosen."""
    from textual.widgets import Select

    from studyapp.ui.screens.export import ExportScreen

    pilot.app.action_open("export")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    screen.query_one("#export-format", Select).value = fmt
    await pilot.pause()
    return screen
