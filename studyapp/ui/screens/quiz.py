"""A quiz of generated questions: multiple choice by number keys, typed answers with a live
math preview, feedback with the explanation and the checker's diagnosis, and a score.

Grading may need sympy (expression equivalence), so it runs in a worker thread; the first
grade pays sympy's import, never start-up.
"""

from __future__ import annotations

import json
import random
import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Label, Static

from studyapp.core.attempts import AttemptKind
from studyapp.core.display import shorten
from studyapp.core.questions.model import ExpectedKind, Question, QuestionKind
from studyapp.ui.messages import AnswerSubmitted, ChoiceChosen
from studyapp.ui.screens.watch import WATCH, WatchScreen
from studyapp.ui.widgets.choice_list import ChoiceList
from studyapp.ui.widgets.feedback import Feedback
from studyapp.ui.widgets.math_input import MathInput
from studyapp.ui.widgets.math_text import escape_markup, readable

#: kinds answered by picking one of several buttons
CHOICE_KINDS = (QuestionKind.MCQ, QuestionKind.TRUE_FALSE)
#: expected kinds (how a question is graded) whose answers are math, so they get a live preview
MATH_KINDS = (ExpectedKind.EXPRESSION, ExpectedKind.NUMERIC)


def choices_for(question) -> list[str]:
    """The buttons to show: the mcq choices, or True/False."""
    if question.kind == QuestionKind.TRUE_FALSE:
        return ["True", "False"]
    return list(question.choices or [])


def matching_pairs(question) -> dict[str, str]:
    """The matching question's answer as ``{left: right}`` (it is stored as a JSON string)."""
    try:
        pairs = json.loads(question.answer)
    except (TypeError, ValueError):
        return {}
    return {str(k): str(v) for k, v in pairs.items()} if isinstance(pairs, dict) else {}


def expected_text(question) -> str:
    """The right answer, readable (matching pairs one per line, formulas in unicode: λ, β₁)."""
    if question.kind == QuestionKind.MATCHING:
        return "; ".join(f"{k} → {v}" for k, v in matching_pairs(question).items())
    if question.expected_kind == ExpectedKind.EXPRESSION:
        from studyapp.core.questions.formulas import display

        return display(str(question.answer))
    return str(question.answer)


class QuizScreen(WatchScreen):
    """``count`` generated questions (optionally on one ``topic``), then the score."""

    CSS_PATH = "quiz.tcss"

    SUB_TITLE = "Quiz"

    BINDINGS = [
        Binding("1", "choose(0)", "Choice 1", show=False),
        Binding("2", "choose(1)", "Choice 2", show=False),
        Binding("3", "choose(2)", "Choice 3", show=False),
        Binding("4", "choose(3)", "Choice 4", show=False),
        Binding("5", "choose(4)", "Choice 5", show=False),
        Binding("6", "choose(5)", "Choice 6", show=False),
        Binding("n", "next", "Next"),
        Binding("enter", "next", "Next", show=False),
        # an answer may be unknown: show it and count a miss
        Binding("ctrl+r,f3", "skip", "Don't know"),
        WATCH,  # a graded predict question's run, in the playground
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        count: int = 10,
        topic: str | None = None,
        seed: int | None = None,
        questions: list | None = None,
    ) -> None:
        super().__init__()
        self.count = count
        self.topic = topic
        self.seed = seed if seed is not None else random.randrange(1_000_000)
        self.questions: list = list(questions or [])
        self.index = -1
        self.score = 0
        self.graded = False
        self.grading = False
        self.results: list[tuple[Question, str, str]] = []  # (question, answer text, verdict)
        self._asked_at = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="quiz-body"):
            yield Label("Preparing questions…", id="quiz-progress", classes="muted")
            yield Static("", id="quiz-prompt")
            yield Vertical(id="quiz-answer")
            yield Feedback(id="quiz-feedback")
        yield Footer()

    def on_mount(self) -> None:
        # Typed formulas that sampling cannot settle go to the sympy worker; start it now so the
        # first such answer does not wait for sympy's import (it loads in its own process).
        from studyapp.core.checker import prewarm

        prewarm()
        self.query_one(Feedback).clear()
        if self.questions:
            self.start()
        else:
            self.load_questions()

    @work(thread=True, exclusive=True, group="quiz-load")
    def load_questions(self) -> None:
        try:
            from studyapp.core.questions import generate_quiz

            storage = self.app.storage
            # weak topics and weak exercise steps get more questions (Storage is thread-safe)
            weights = storage.topic_accuracy() if storage is not None else None
            steps = storage.step_accuracy() if storage is not None else None
            questions = generate_quiz(
                self.seed,
                self.count,
                topic=self.topic,
                weights=weights or None,
                step_weights=steps or None,
            )
        except Exception as exc:
            self.app.call_from_thread(self._fail, f"Cannot make a quiz: {exc}")
            return
        self.app.call_from_thread(self._loaded, questions)

    def _loaded(self, questions: list) -> None:
        self.questions = list(questions)
        self.start()

    def _fail(self, text: str) -> None:
        self.query_one("#quiz-progress", Label).update(escape_markup(text))

    def start(self) -> None:
        if not self.questions:
            self._fail("No questions available for this topic.")
            return
        self.index = -1
        self.run_worker(self.action_next(force=True), group="quiz-show")

    # ---------------------------------------------------------------- showing
    @property
    def question(self):
        return self.questions[self.index] if 0 <= self.index < len(self.questions) else None

    async def _show_question(self) -> None:
        q = self.question
        self.graded = False
        self.grading = False
        self.refresh_bindings()
        self._asked_at = time.monotonic()
        self._update_progress()
        self.query_one("#quiz-prompt", Static).update(escape_markup(readable(q.prompt)))
        self.query_one(Feedback).clear()
        area = self.query_one("#quiz-answer", Vertical)
        await area.remove_children()  # old answer widgets must be gone before the new ones mount
        if q.kind in CHOICE_KINDS:
            choices = ChoiceList(choices_for(q), id="quiz-choices")
            await area.mount(choices)
            choices.focus()
        else:
            # Formulas and numbers get the live math preview; words and pairings do not.
            math = q.expected_kind in MATH_KINDS
            placeholder = (
                "pair them like 1b 2a 3c and press enter"
                if q.kind == QuestionKind.MATCHING
                else "type your answer and press enter"
            ) + " (ctrl+r: don't know)"
            box = MathInput(placeholder=placeholder, math=math, id="quiz-input")
            await area.mount(box)
            box.input.focus()

    def _update_progress(self) -> None:
        q = self.question
        title = f"Question {self.index + 1}/{len(self.questions)} · {q.topic} · {q.kind.replace('_', ' ')}"
        self.query_one("#quiz-progress", Label).update(f"{title} · score {self.score}")

    async def _show_score(self) -> None:
        self.refresh_bindings()
        total = len(self.questions)
        self.query_one("#quiz-progress", Label).update(
            f"Quiz finished · score {self.score}/{total}"
        )
        lines = [f"[b]You scored {self.score} of {total}[/b]", ""]
        for q, _answer, verdict in self.results:
            mark = "✔" if verdict == "correct" else "✘"
            lines.append(f"{mark} {escape_markup(shorten(readable(q.prompt.splitlines()[0]), 70))}")
        lines += ["", "[dim]escape: back to the dashboard[/dim]"]
        self.query_one("#quiz-prompt", Static).update("\n".join(lines))
        await self.query_one("#quiz-answer", Vertical).remove_children()
        self.query_one(Feedback).clear()

    # ---------------------------------------------------------------- answering
    def action_choose(self, index: int) -> None:
        q = self.question
        if q is None or q.kind not in CHOICE_KINDS or self.graded or self.grading:
            return
        choices = choices_for(q)
        if 0 <= index < len(choices):
            self._grade(choices[index], chosen=index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ "Don't know" is offered (in the footer too) only while a question waits for its answer."""
        if action == "skip":
            return self.question is not None and not self.graded
        return super().check_action(action, parameters)

    def action_skip(self) -> None:
        """ "Don't know": graded as an empty answer (a skip: the answer shows, a miss counts)."""
        if self.question is not None and not self.graded and not self.grading:
            self._grade("")

    def on_choice_chosen(self, message: ChoiceChosen) -> None:
        self.action_choose(message.index)

    async def on_answer_submitted(self, message: AnswerSubmitted) -> None:
        if self.graded:
            await self.action_next()
        elif not self.grading:
            self._grade(message.text)

    def _grade(self, text: str, chosen: int | None = None) -> None:
        self.grading = True
        self.query_one(Feedback).pending()
        self._grade_worker(self.question, text, chosen, time.monotonic() - self._asked_at)

    @work(thread=True, exclusive=True, group="quiz-grade")
    def _grade_worker(self, question, text: str, chosen: int | None, seconds: float) -> None:
        try:
            from studyapp.core.questions import grade

            verdict = grade(question, text)
        except Exception as exc:
            self.app.call_from_thread(self._graded_error, question, str(exc))
            return
        self.app.call_from_thread(self._graded, question, text, verdict, chosen, seconds)

    def _graded_error(self, question, error: str) -> None:
        self.grading = False
        if question is not self.question:
            return
        self.query_one(Feedback).show("invalid", expected_text(question), message=error)

    def _graded(self, question, text: str, verdict, chosen: int | None, seconds: float) -> None:
        self.grading = False
        if question is not self.question:
            return  # the user moved on while sympy was thinking
        word = getattr(verdict, "verdict", "incorrect")
        if word == "invalid":
            # An unreadable answer is not a wrong one: say why and let the user try again.
            self.query_one(Feedback).show(
                "invalid",
                "",
                message=getattr(verdict, "message", ""),
                explanation="Fix the answer and press enter again.",
            )
            self.call_after_refresh(self.query_one(Feedback).scroll_visible)
            return
        self.graded = True
        correct = word == "correct"
        self.score += int(correct)
        self.results.append((question, text, word))
        storage = self.app.storage
        if storage is not None:
            try:
                storage.record_attempt(
                    AttemptKind.QUIZ, question.id, question.topic, correct, seconds
                )
            except Exception as exc:
                self.notify(f"Could not save the attempt: {exc}", severity="warning", markup=False)
        self.query_one(Feedback).show(
            word,
            expected_text(question),
            explanation=getattr(question, "explanation", "") or "",
            diagnosis=getattr(verdict, "diagnosis", None),
            message=getattr(verdict, "message", ""),
        )
        if question.kind in CHOICE_KINDS:
            choices = choices_for(question)
            right = choices.index(str(question.answer)) if str(question.answer) in choices else None
            self.query_one(ChoiceList).mark(chosen if chosen is not None else -1, right)
        for widget in self.query_one("#quiz-answer").query("Input"):
            widget.disabled = True
        self.refresh_bindings()  # "w Watch it" for a predict question
        self._update_progress()
        self.set_focus(None)
        self.call_after_refresh(self.query_one(Feedback).scroll_visible)

    async def action_next(self, force: bool = False) -> None:
        if not force and not self.graded:
            return
        if self.index >= len(self.questions):
            return  # already on the score
        self.index += 1
        if self.index >= len(self.questions):
            await self._show_score()
            return
        await self._show_question()

    # ---------------------------------------------------------------- watching
    @property
    def preset(self) -> str | None:
        """The playground preset that shows the graded question's answer (predict questions)."""
        q = self.question
        return q.data.get("playground") if q is not None and self.graded else None

    def action_back(self) -> None:
        self.app.pop_screen()
