"""Quiz flow: one question of each kind answered through the keys, feedback, score, attempts."""

from __future__ import annotations

import pytest

from studyapp.ui.screens.quiz import QuizScreen, choices_for
from studyapp.ui.widgets.feedback import Feedback
from studyapp.ui.widgets.math_input import MathInput

from .conftest import wait_until

KINDS = ("mcq", "true_false", "typed", "cloze", "numeric", "matching")


def _one_of_each_kind() -> dict:
    from studyapp.core.questions import generate_quiz

    found = {}
    for q in generate_quiz(11, 40):
        found.setdefault(q.kind, q)
    return found


@pytest.fixture(scope="module")
def questions():
    return _one_of_each_kind()


def _right_answer(q) -> tuple[list[str], str | None]:
    """(keys to press, text to type) that answer ``q`` correctly."""
    if q.kind in ("mcq", "true_false"):
        return [str(choices_for(q).index(q.answer) + 1)], None
    if q.kind == "matching":
        key = q.expected["key"]
        return [], " ".join(f"{i}{key[i]}" for i in sorted(key, key=int))
    return [], q.answer


async def _settle(app, pilot):
    """Wait until grading (a worker) is done and the feedback is on screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    if isinstance(screen, QuizScreen):
        await wait_until(pilot, lambda: not screen.grading)


@pytest.mark.parametrize("kind", KINDS)
async def test_each_kind_answered_correctly(make_app, questions, kind):
    q = questions[kind]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(questions=[q])
        await app.push_screen(screen)
        await pilot.pause()
        keys, text = _right_answer(q)
        if text is not None:
            box = screen.query_one(MathInput)
            box.input.focus()
            await pilot.press(*list(text))
            await pilot.press("enter")
        else:
            await pilot.press(*keys)
        await _settle(app, pilot)
        feedback = screen.query_one(Feedback)
        assert feedback.has_class("correct"), (q.kind, q.prompt, q.answer, str(feedback.render()))
        assert screen.score == 1
        # The attempt is stored for the per-topic accuracy.
        assert app.storage.topic_accuracy()[q.topic] == (1, 1)
        await pilot.press("n")
        assert "score 1/1" in str(screen.query_one("#quiz-progress").render())


async def test_wrong_mcq_shows_answer_and_explanation(make_app, questions):
    q = questions["mcq"]
    wrong = next(i for i, c in enumerate(choices_for(q)) if c != q.answer)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(questions=[q])
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press(str(wrong + 1))
        await _settle(app, pilot)
        feedback = screen.query_one(Feedback)
        assert feedback.has_class("incorrect")
        text = str(feedback.render())
        assert "Answer:" in text
        assert screen.score == 0
        assert app.storage.topic_accuracy()[q.topic] == (0, 1)
        # A second key press does not re-grade an answered question.
        await pilot.press(str(wrong + 1))
        await _settle(app, pilot)
        assert app.storage.topic_accuracy()[q.topic] == (0, 1)


async def test_typed_answer_has_live_math_preview(make_app, questions):
    q = (
        questions["typed"]
        if questions["typed"].expected_kind == "expression"
        else questions["numeric"]
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(questions=[q])
        await app.push_screen(screen)
        await pilot.pause()
        box = screen.query_one(MathInput)
        assert box.math
        box.input.focus()
        await pilot.press(*list("sigma(z)^2"))
        await pilot.pause()
        shown = box.preview_text
        assert shown.startswith("= "), shown
        assert "sigma" not in shown and "^" not in shown, shown
        # An unreadable answer gives a parse message, not a crash.
        await pilot.press(*list("+*)"))
        await pilot.pause()
        assert box.query_one("#answer-preview").has_class("invalid"), box.preview_text


async def test_generated_quiz_opens_from_the_dashboard(make_app):
    app = make_app(quiz_seed=5)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("z")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        await wait_until(pilot, lambda: screen.question is not None)
        assert len(screen.questions) == 10
        assert "Question 1/10" in str(screen.query_one("#quiz-progress").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, QuizScreen)


async def test_quiz_ends_with_the_score(make_app, questions):
    import dataclasses

    long = "Which of these " + "very long words " * 8 + "is right?"
    qs = [questions["mcq"], questions["true_false"], questions["mcq"]]
    qs[0] = dataclasses.replace(qs[0], prompt=long)  # cut in the summary, and it says so
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(questions=qs)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is not None)
        for i, q in enumerate(qs):
            keys, _text = _right_answer(q)
            if i == 2:  # the last one wrong
                keys = [str(next(j for j, c in enumerate(choices_for(q)) if c != q.answer) + 1)]
            await pilot.press(*keys)
            await _settle(app, pilot)
            assert screen.graded
            await pilot.press("enter")
            await pilot.pause()
        assert screen.score == 2
        text = str(screen.query_one("#quiz-prompt").render())
        assert "You scored 2 of 3" in text
        assert text.count("✔") == 2 and text.count("✘") == 1
        cut = next(line for line in text.splitlines() if "Which of these" in line)
        assert cut.endswith("…") and len(cut) == len("✔ ") + 70


async def test_mcq_choice_by_arrow_and_enter(make_app, questions):
    q = questions["mcq"]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(questions=[q])
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is not None)
        right = choices_for(q).index(q.answer)
        await pilot.press(*(["down"] * right), "enter")
        await _settle(app, pilot)
        assert screen.graded and screen.score == 1, str(screen.query_one(Feedback).render())


async def test_a_typed_question_can_be_skipped(make_app, questions):
    """ "Don't know" (ctrl+r): the answer shows and a miss counts; enter on an empty box, a
    slip of the finger, does nothing."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(questions=[questions["typed"], questions["cloze"]])
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.question is not None)
        await pilot.press("ctrl+r")
        await _settle(app, pilot)
        text = str(screen.query_one(Feedback).render())
        assert screen.graded and "Don't know" in text and "Answer:" in text, text
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.index == 1)
        screen.query_one(MathInput).input.focus()
        await pilot.press("enter")  # nothing typed
        await _settle(app, pilot)
        assert not screen.graded
        await pilot.press("f3")
        await _settle(app, pilot)
        assert screen.graded and screen.score == 0
        topic = questions["typed"].topic
        assert app.storage.topic_accuracy()[topic][0] == 0
