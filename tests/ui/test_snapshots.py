"""Snapshot tests (pytest-textual-snapshot) of the main screens at 100×30.

Every screen here is fed fixed data (the test deck, a fixed clock, hand-made questions and a
small fake content) so the pictures change only when the UI does, not when content/ grows.
Regenerate after a deliberate UI change with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from studyapp.core.questions.model import Question

from .conftest import NOW, SPECS, wait_until

SIZE = (100, 30)


@dataclass
class FakeEntry:
    id: str
    topic: str
    name: str
    fields: dict = field(default_factory=dict)


@dataclass
class FakeErratum:
    id: str
    location: str
    says: str
    correct: str
    why: str
    title: str
    kind: str


class FakeContent:
    """Just what the browse plot and the errata screen read."""

    def __init__(self) -> None:
        entries = [
            FakeEntry("act.sigmoid", "activations", "Sigmoid"),
            FakeEntry("loss.mse", "losses", "MSE", {"aliases": ["mean squared error"]}),
        ]
        self.entries = entries
        self.by_id = {e.id: e for e in entries}
        self.errata = [
            FakeErratum(
                "e1",
                "Gradient descent, update rule (line 24)",
                r"x_{i+1} = x_i + \alpha \nabla f(x_i)",
                r"x_{i+1} = x_i - \alpha \nabla f(x_i)",
                "Descent subtracts the gradient.",
                "Gradient descent written with a plus sign",
                "error",
            ),
            FakeErratum(
                "e2",
                "Perceptron, bias node (line 181)",
                "the bias input is 0",
                "the bias input is fixed at 1",
                "A zero input would make the bias weight useless.",
                "The bias input cannot be 0",
                "error",
            ),
        ]


QUESTION = Question(
    id="act.sigmoid::mcq::derivative",
    kind="mcq",
    topic="activations",
    prompt="Which expression is the derivative σ′(z) of the sigmoid?",
    answer="σ(z)·(1 − σ(z))",
    explanation="σ′(z) = σ(z)(1 − σ(z)): it peaks at 1/4 when z = 0.",
    source="act.sigmoid",
    choices=["σ(z)·(1 − σ(z))", "1 − tanh²(z)", "σ(z)²", "e⁻ᶻ"],
    expected_kind="choice",
    expected="σ(z)·(1 − σ(z))",
)
TYPED = Question(
    id="act.tanh::typed::derivative",
    kind="typed",
    topic="activations",
    prompt="Type the derivative of tanh(z), in terms of z.",
    answer="1 - tanh(z)^2",
    explanation="d/dz tanh(z) = 1 − tanh²(z) = sech²(z).",
    source="act.tanh",
    expected_kind="expression",
    expected="1 - tanh(z)^2",
    variables=("z",),
)


async def wait_until_dashboard_filled(app, pilot) -> None:
    await wait_until(
        pilot,
        lambda: (
            type(app.screen).__name__ == "DashboardScreen"
            and app.screen.query("#tile-streak")
            and app.screen.query_one("#tile-streak").value != "…"
        ),
    )


@pytest.fixture
def snap_app(make_app):
    def factory(**kwargs):
        app = make_app(**kwargs)
        app._content = FakeContent()
        return app

    return factory


def test_dashboard(snap_compare, snap_app):
    app = snap_app()

    async def ready(pilot):
        await wait_until_dashboard_filled(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_review_answer_shown(snap_compare, snap_app):
    assert snap_compare(snap_app(start="review"), terminal_size=SIZE, press=["space"])


def test_review_summary(snap_compare, snap_app):
    # Two cards rated Easy: both graduate for days, so the session ends with its summary.
    app = snap_app(start="review", specs=SPECS[:2])
    assert snap_compare(app, terminal_size=SIZE, press=["space", "4", "space", "4"])


def test_quiz_mcq_feedback(snap_compare, snap_app, monkeypatch):
    import studyapp.core.questions as questions
    from studyapp.ui.screens.quiz import QuizScreen

    # A fixed verdict: the grader's wording is the questions package's business.
    class Verdict:
        verdict, message, diagnosis = "incorrect", "that is the square of σ", None

    monkeypatch.setattr(questions, "grade", lambda question, text: Verdict())
    app = snap_app()

    async def answer(pilot):
        screen = QuizScreen(questions=[QUESTION, TYPED])
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is not None)
        await pilot.press("3")  # wrong: σ(z)²
        await wait_until(pilot, lambda: screen.graded)

    assert snap_compare(app, terminal_size=SIZE, run_before=answer)


def test_quiz_typed_preview(snap_compare, snap_app, monkeypatch):
    import studyapp.core.checker as checker
    from studyapp.ui.screens.quiz import QuizScreen

    # The picture is of the UI: the checker's own rendering is tested by the checker (and by
    # test_quiz.py against the real one), so a fixed stand-in keeps this snapshot stable.
    monkeypatch.setattr(
        checker, "preview", lambda text: "1 − tanh²(z)" if text == "1-tanh(z)^2" else text
    )
    app = snap_app()

    async def typing(pilot):
        screen = QuizScreen(questions=[TYPED])
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is not None)
        await pilot.press(*list("1-tanh(z)^2"))

    assert snap_compare(app, terminal_size=SIZE, run_before=typing)


def test_browse_with_plot(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=SIZE, press=["b"])


def test_stats(snap_compare, snap_app):
    app = snap_app()

    async def study(pilot):
        storage = app.storage
        # Two days of history, so the plots have bars.
        for days, rating in ((2, 3), (1, 3), (0, 1)):
            card = storage.next_card(NOW - timedelta(days=days))
            if card is not None:
                storage.record_review(card.key, rating, NOW - timedelta(days=days), 5.0)
        storage.record_attempt("quiz", "q1", "activations", True, 4.0, now=NOW)
        storage.record_attempt("quiz", "q2", "losses", False, 9.0, now=NOW)
        await pilot.press("s")
        box = app.screen.query_one("#stats-summary")
        await wait_until(pilot, lambda: "Computing" not in str(box.render()))

    assert snap_compare(app, terminal_size=SIZE, run_before=study)


def test_errata(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=SIZE, press=["x"])


def test_settings(snap_compare, snap_app):
    assert snap_compare(snap_app(), terminal_size=SIZE, press=["comma"])


def test_dashboard_light_theme_small_terminal(snap_compare, snap_app):
    app = snap_app()

    async def light(pilot):
        app.storage.save_settings({"theme": "light"})
        app.apply_theme("light")
        await wait_until_dashboard_filled(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=light)
