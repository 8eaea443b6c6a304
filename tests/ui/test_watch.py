"""The "w Watch it" key: from a graded predict question, a revealed card in review, or a card in
browse, to the playground preset that shows it; never offered where no preset shows it."""

from __future__ import annotations

import random

from textual.widgets._footer import FooterKey

from studyapp.core.questions.builders import predict
from studyapp.ui.screens.browse import BrowseScreen
from studyapp.ui.screens.playground import PlaygroundScreen
from studyapp.ui.screens.quiz import QuizScreen, choices_for
from studyapp.ui.screens.review import ReviewScreen

from .conftest import SPECS, wait_until

SIGMOID, MSE, ADAM, EPOCH = SPECS  # act.sigmoid and opt.adam have presets; the others none


async def footer_keys(pilot) -> list[str]:
    """The keys the footer shows now (after it has caught up with the bindings)."""
    await pilot.pause()
    return [key.key for key in pilot.app.screen.query(FooterKey)]


async def watch_opens(pilot, preset: str) -> None:
    """Press w: the playground opens on ``preset``, running; escape comes back."""
    before = pilot.app.screen
    await pilot.press("w")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PlaygroundScreen))
    playground = pilot.app.screen
    assert playground.preset.name == preset and playground.start
    await pilot.press("escape")
    await wait_until(pilot, lambda: pilot.app.screen is before)


def _question(template: str, kind: str = "mcq"):
    ask = next(a for a in predict.ASKS if a.template == template and a.kind == kind)
    return ask.build(random.Random(0), None)


async def _answer(pilot, screen: QuizScreen, question) -> None:
    await pilot.press(str(choices_for(question).index(question.answer) + 1))
    await pilot.pause()
    await wait_until(pilot, lambda: screen.graded)


async def test_a_graded_predict_question_opens_its_preset(make_app):
    question = _question("predict_lr_diverges")
    assert question.data["playground"] == "lr-too-high"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(questions=[question])
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is question)
        assert "w" not in await footer_keys(pilot)  # not before it is answered
        await pilot.press("w")
        assert app.screen is screen
        await _answer(pilot, screen, question)
        assert "w" in await footer_keys(pilot)
        await watch_opens(pilot, "lr-too-high")
        await pilot.press("n")  # on to the score: nothing to watch there
        assert "w" not in await footer_keys(pilot)


async def test_a_quiz_question_without_a_run_has_no_watch_key(make_app):
    from studyapp.core.questions import generate_quiz

    plain = next(q for q in generate_quiz(3, 30, topic="losses") if q.kind == "mcq")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(questions=[plain])
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is plain)
        await _answer(pilot, screen, plain)
        assert "n" in await footer_keys(pilot) and "w" not in await footer_keys(pilot)
        await pilot.press("w")
        assert app.screen is screen


async def test_review_watch_key_once_the_answer_shows_for_a_card_with_a_preset(make_app):
    app = make_app(start="review", specs=[SIGMOID])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card.entry_id == "act.sigmoid"
        assert "w" not in await footer_keys(pilot)  # the answer is not shown yet
        await pilot.press("space")
        assert "w" in await footer_keys(pilot)
        await watch_opens(pilot, "sigmoid-deep")
        assert screen.revealed  # back on the same card, its answer still shown
        await pilot.press("3")
        assert app.storage.card_history(SIGMOID.key)[0]["rating"] == 3


async def test_review_card_without_a_preset_shows_no_watch_key(make_app):
    app = make_app(start="review", specs=[EPOCH, MSE])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(2):
            await pilot.press("space")
            assert screen.revealed and "1" not in await footer_keys(pilot)
            assert "w" not in await footer_keys(pilot), screen.card.entry_id
            await pilot.press("w")
            assert app.screen is screen
            await pilot.press("3")


async def test_browse_watch_key_follows_the_highlighted_card(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen) and app.screen.rows)
        screen = app.screen
        assert list(screen.rows) == [s.key for s in SPECS]
        for spec in SPECS:  # down the table, one card at a time
            assert screen.shown == spec.key
            has_preset = spec.entry_id in ("act.sigmoid", "opt.adam")
            assert ("w" in await footer_keys(pilot)) == has_preset, spec.entry_id
            if spec.entry_id == "opt.adam":
                await watch_opens(pilot, "rosenbrock")
            await pilot.press("down")
        screen.query_one("#browse-search").value = "no card has this text"
        await pilot.pause()
        assert screen.shown is None and "w" not in await footer_keys(pilot)


def test_graded_predict_question_snapshot(snap_compare, make_app):
    """The figures of the run under the verdict, and w in the footer."""
    question = _question("predict_ravine_first")
    app = make_app()

    async def answer(pilot):
        screen = QuizScreen(questions=[question])
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is question)
        await _answer(pilot, screen, question)

    assert snap_compare(app, terminal_size=(100, 30), run_before=answer)
