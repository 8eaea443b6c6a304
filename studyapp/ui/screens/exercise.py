"""The exercise workspace screen: a backprop or optimizer exercise solved step by step.

The screen is thin: :class:`studyapp.core.exercise.Workspace` grades, carries errors forward,
gives hints and scores; this module shows the problem (diagram + matrices), one answer box for the
current step, the transcript of finished steps and, at the end, the score per step type and the
worked solution. The attempt is saved to the app's database (one row per step, ``step=<step type>``).

Keys: enter submits; ctrl+t (F2) hint — the formula, then the formula with numbers; ctrl+r (F3)
reveal; ctrl+o (F4) options; F5 random options; n / ctrl+n new exercise; escape back.
"""

from __future__ import annotations

import random
from typing import cast

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.exercise_types import BackpropExercise, Exercise
from studyapp.core.exercise import (
    LOSSES,
    OPTIMIZERS,
    ExerciseSettings,
    StepStatus,
    Workspace,
    generate,
    parse_layers,
    randomize_settings,
    step_abs_tol,
)
from studyapp.core.mathtext import plain_scripts
from studyapp.core.steps import STEP_TYPES
from studyapp.errors import StudyappError, UsageError
from studyapp.study.attempts import save_exercise_attempts
from studyapp.ui.widgets.network_diagram import NetworkDiagram, givens_text

#: how a finished step is marked, by its StepStatus
STATUS_MARK: dict[str, tuple[str, str]] = {
    StepStatus.CORRECT: ("✓", "green"),
    StepStatus.CORRECT_GIVEN_EARLIER: ("✓", "green"),
    StepStatus.INCORRECT: ("✗", "red"),
    StepStatus.REVEALED: ("👁", "yellow"),
}
STATUS_WORDS: dict[str, str] = {
    StepStatus.CORRECT: "correct",
    StepStatus.CORRECT_GIVEN_EARLIER: "correct given your earlier answer",
    StepStatus.INCORRECT: "incorrect",
    StepStatus.REVEALED: "revealed",
}

CSS = """
ExerciseScreen #ex-problem {
    height: 1fr;
    padding: 0 1;
}
ExerciseScreen #ex-title {
    text-style: bold;
    color: $text-primary;
}
ExerciseScreen #ex-diagram-scroll {
    height: auto;
    overflow-x: auto;
    overflow-y: hidden;
    scrollbar-size-horizontal: 1;
}
ExerciseScreen #ex-givens {
    margin: 0 0 1 0;
}
ExerciseScreen #ex-summary {
    margin: 1 0 0 0;
}
ExerciseScreen #ex-work {
    height: auto;
    max-height: 12;
    padding: 0 1;
    border-top: solid $primary 50%;
}
ExerciseScreen #ex-prompt {
    text-style: bold;
}
ExerciseScreen #ex-answer {
    margin: 0 0;
}
ExerciseScreen #ex-preview {
    color: $text-muted;
    height: 1;
}
ExerciseScreen #ex-feedback {
    height: auto;
    max-height: 6;
}
ExerciseScreen.-finished #ex-answer, ExerciseScreen.-finished #ex-preview {
    display: none;
}
"""

DIALOG_CSS = """
ExerciseOptions {
    align: center middle;
}
ExerciseOptions #opt-dialog {
    width: 64;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $primary;
    background: $surface;
    padding: 0 1;
}
ExerciseOptions #opt-grid {
    grid-size: 2;
    grid-columns: 20 1fr;
    grid-rows: 1;
    grid-gutter: 0 1;
    height: auto;
}
ExerciseOptions #opt-error {
    color: $error;
    height: auto;
}
ExerciseOptions #opt-buttons {
    height: auto;
    margin: 1 0 0 0;
}
ExerciseOptions #opt-buttons Button {
    margin: 0 1 0 0;
}
"""


def _select(options, value, id_: str) -> Select:
    return Select([(o, o) for o in options], value=value, allow_blank=False, id=id_, compact=True)


class ExerciseOptions(ModalScreen[ExerciseSettings | None]):
    """Choose the exercise: the notes' preset, a backprop net of your own, or an optimizer step."""

    DEFAULT_CSS = DIALOG_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    KINDS = [
        ("like the notes (2-2-1 sigmoid half_sse)", "preset"),
        ("backprop, choose the net", "backprop"),
        ("optimizer step", "optimizer"),
    ]

    def __init__(self, settings: ExerciseSettings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        s = self.settings
        kind = "preset" if (s.kind == "backprop" and s.preset) else s.kind
        with Vertical(id="opt-dialog"):
            yield Label("Exercise options", classes="section-title")
            with Grid(id="opt-grid"):
                yield Label("exercise")
                yield Select(self.KINDS, value=kind, allow_blank=False, id="opt-kind", compact=True)
                yield Label("layer sizes")
                yield Input("-".join(str(n) for n in s.layers), id="opt-layers", compact=True)
                yield Label("hidden activation")
                yield _select(HIDDEN_ACTIVATIONS, s.activation, "opt-activation")
                yield Label("output activation")
                yield _select(OUTPUT_ACTIVATIONS, s.output_activation, "opt-output")
                yield Label("loss")
                yield _select(LOSSES, s.loss, "opt-loss")
                yield Label("learning rate η")
                yield Input(str(s.learning_rate), id="opt-lr", compact=True)
                yield Label("decimals")
                yield Input(str(s.decimals), id="opt-decimals", compact=True)
                yield Label("optimizer")
                yield _select(OPTIMIZERS, s.optimizer, "opt-optimizer")
                yield Label("parameters")
                yield Input(str(s.size), id="opt-size", compact=True)
            yield Static("", id="opt-error")
            with Horizontal(id="opt-buttons"):
                yield Button("Start", variant="primary", id="opt-start", compact=True)
                yield Button("Randomize", id="opt-random", compact=True)
                yield Button("Cancel", id="opt-cancel", compact=True)

    def read(self) -> ExerciseSettings:
        """The settings in the form; UsageError (one line) for a bad field."""
        kind = self.query_one("#opt-kind", Select).value
        layers = parse_layers(self.query_one("#opt-layers", Input).value)
        try:
            lr = float(self.query_one("#opt-lr", Input).value)
        except ValueError:
            raise UsageError("learning rate: type a number such as 0.1") from None
        try:
            decimals = int(self.query_one("#opt-decimals", Input).value)
            size = int(self.query_one("#opt-size", Input).value)
        except ValueError:
            raise UsageError("decimals and parameters are whole numbers") from None
        if not 0 <= decimals <= 4:
            raise UsageError("decimals: from 0 to 4")
        if not 1 <= size <= 8:
            raise UsageError("parameters: from 1 to 8")
        if not 0 < lr <= 10:
            raise UsageError("learning rate: a number in (0, 10]")
        return ExerciseSettings(
            kind="optimizer" if kind == "optimizer" else "backprop",
            preset="seed-2-2-1" if kind == "preset" else None,
            layers=layers,
            activation=self._choice("#opt-activation"),
            output_activation=self._choice("#opt-output"),
            loss=self._choice("#opt-loss"),
            decimals=decimals,
            learning_rate=lr,
            optimizer=self._choice("#opt-optimizer"),
            size=size,
        )

    def _choice(self, selector: str) -> str:
        """The option chosen in one of the form's selects (made by _select: no blank, names)."""
        return cast(str, self.query_one(selector, Select).value)

    def on_mount(self) -> None:
        self._enable_fields(self.query_one("#opt-kind", Select).value)

    @on(Select.Changed, "#opt-kind")
    def kind_changed(self, event: Select.Changed) -> None:
        self._enable_fields(event.value)

    def _enable_fields(self, kind) -> None:
        """Only the fields that matter for this kind of exercise can be edited."""
        backprop = ("#opt-layers", "#opt-activation", "#opt-output", "#opt-loss", "#opt-lr")
        for selector in backprop:
            self.query_one(selector).disabled = kind != "backprop"
        self.query_one("#opt-decimals").disabled = kind == "preset"
        for selector in ("#opt-optimizer", "#opt-size"):
            self.query_one(selector).disabled = kind != "optimizer"

    @on(Button.Pressed, "#opt-start")
    def start(self) -> None:
        try:
            settings = self.read()
            if settings.kind == "backprop" and not settings.preset:
                generate(settings, 0)  # let the engine validate the combination now
        except StudyappError as exc:
            self.query_one("#opt-error", Static).update(str(exc))
            return
        self.dismiss(settings)

    @on(Button.Pressed, "#opt-random")
    def randomize(self) -> None:
        kind = self.query_one("#opt-kind", Select).value
        self.dismiss(
            randomize_settings(random.Random(), "optimizer" if kind == "optimizer" else "backprop")
        )

    @on(Button.Pressed, "#opt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ExerciseScreen(Screen):
    """Solve one exercise step by step; ``n`` starts a new one.

    Args:
        settings: what to generate (default: the notes' preset ``seed-2-2-1``).
        seed: seed of the first exercise (default: random).
        exercise: an exercise to solve instead of generating one (tests, worksheets).
    """

    DEFAULT_CSS = CSS

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+t,f2", "hint", "Hint"),
        Binding("ctrl+r,f3", "reveal", "Reveal"),
        Binding("ctrl+o,f4", "options", "Options"),
        Binding("f5", "randomize", "Random"),
        Binding("n,ctrl+n", "new", "New"),
    ]

    def __init__(
        self,
        settings: ExerciseSettings | None = None,
        seed: int | None = None,
        exercise: Exercise | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or ExerciseSettings()
        self._rng = random.Random(seed)
        self._first_seed = seed
        self._given_exercise = exercise
        self.workspace: Workspace | None = None
        self.saved_attempts = 0

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="ex-problem"):
            yield Static("", id="ex-title")
            with VerticalScroll(id="ex-diagram-scroll"):
                yield NetworkDiagram(id="ex-diagram")
            yield Static("", id="ex-givens")
            yield Static("", id="ex-transcript")
            yield Static("", id="ex-summary")
        with Vertical(id="ex-work"):
            yield Static("", id="ex-prompt")
            yield Input(
                placeholder="your answer, e.g. 0.52 or [0.52, 0.91] or [[1, 2], [3, 4]]",
                id="ex-answer",
                compact=True,
            )
            yield Static("", id="ex-preview")
            yield Static("", id="ex-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Exercises"
        if self._given_exercise is not None:
            self.start(self._given_exercise)
        else:
            self.new_exercise(self._first_seed)

    # ------------------------------------------------------------------ exercise life cycle
    def new_exercise(self, seed: int | None = None) -> None:
        """Generate an exercise for the current settings (one-line error in the feedback if not)."""
        seed = self._rng.randrange(1_000_000) if seed is None else seed
        try:
            ex = generate(self.settings, seed)
        except StudyappError as exc:
            self.query_one("#ex-feedback", Static).update(Text(str(exc), style="bold red"))
            return
        self.start(ex)

    def start(self, exercise: Exercise) -> None:
        self.workspace = Workspace(exercise)
        self.saved_attempts = 0
        self.remove_class("-finished")
        ws = self.workspace
        if isinstance(exercise, BackpropExercise) and exercise.preset:
            title = "Like the notes (2-2-1, sigmoid, half_sse, η 0.1)"
        elif self._given_exercise is exercise:
            title = f"Exercise — seed {exercise.seed}"
        else:
            title = f"{self.settings.describe()} — seed {exercise.seed}"
        self.query_one("#ex-title", Static).update(f"{title}, {len(ws.steps)} steps")
        width = max(40, (self.size.width or 80) - 4)
        self.query_one("#ex-givens", Static).update(
            Text("Given\n", style="bold") + Text(givens_text(exercise, width=width))
        )
        self.query_one("#ex-summary", Static).update("")
        self.query_one("#ex-feedback", Static).update(
            Text("enter submits · ctrl+t hint (formula, then numbers) · ctrl+r reveal", style="dim")
        )
        answer = self.query_one("#ex-answer", Input)
        answer.value = ""
        answer.disabled = False
        self.refresh_view()
        answer.focus()

    def on_resize(self) -> None:
        """The diagram is laid out for the width it has (compact, or not drawn, when narrow)."""
        self.call_after_refresh(self.query_one(NetworkDiagram).redraw)

    def refresh_view(self) -> None:
        """Redraw everything that depends on progress: prompt, diagram values, transcript."""
        ws = self.workspace
        if ws is None:
            return
        known = {}
        for step, res in zip(ws.steps, ws.results, strict=True):
            if res.done and step.kind in ("z", "a") and res.value is not None:
                # colour each unit on its own: one wrong entry should not paint the right ones red
                close = np.isclose(
                    res.value, step.expected, rtol=0.005, atol=step_abs_tol(step.expected)
                )
                statuses = [
                    res.status if res.status != "incorrect" or not ok else "correct"
                    for ok in np.atleast_1d(close)
                ]
                known[step.key] = (res.value, statuses)
        self.query_one(NetworkDiagram).show(ws.exercise, known)
        self.query_one("#ex-transcript", Static).update(self._transcript(ws))
        prompt = self.query_one("#ex-prompt", Static)
        current = ws.step
        if current is None:  # finished
            got, total = ws.score
            prompt.update(
                Text(
                    f"Done: {got:g} / {total}. Scores and the worked solution are above "
                    "(↑/↓ scroll) · n new exercise · escape back",
                    style="bold",
                )
            )
        else:
            prompt.update(
                Text.assemble(
                    (f"Step {ws.current + 1}/{len(ws.steps)}  ", "dim"),
                    (f"{current.label}", "bold"),
                    (f"  {current.title}", ""),
                )
            )
            # what to type goes in the box itself, so the prompt stays one line at 80 columns
            self.query_one(
                "#ex-answer", Input
            ).placeholder = f"{current.label} = {current.shape_text}   (enter submits, ctrl+t hint)"

    def _transcript(self, ws: Workspace) -> Text:
        out = Text()
        for step, res in zip(ws.steps, ws.results, strict=True):
            if not res.done:
                continue
            mark, style = STATUS_MARK[res.status]
            out.append(f"{mark} ", style=style)
            shown = ws.shown(step) if res.revealed else (res.answer or "")
            out.append(f"{step.label} = {shown}")
            note = STATUS_WORDS[res.status]
            if res.hints:
                note += f", hint {res.hints}"
            out.append(f"   {note}", style=style)
            if res.status == "incorrect" and res.diagnosis:
                out.append(f" — {res.diagnosis}", style="italic")
            out.append("\n")
        return out

    def finish(self) -> None:
        """The end: score per step type, the worked solution, the attempt saved."""
        ws = self.workspace
        if ws is None:
            return
        self.add_class("-finished")
        answer = self.query_one("#ex-answer", Input)
        answer.disabled = True
        summary = Text("Score per step type\n", style="bold")
        summary.append(ws.summary_text() + "\n\n")
        summary.append("Worked solution\n", style="bold")
        try:
            summary.append(ws.worked_solution())
        except Exception as exc:  # the worked text is another part's; never lose the score over it
            summary.append(f"(worked solution unavailable: {exc})", style="red")
        self.query_one("#ex-summary", Static).update(summary)
        self._save(ws)
        self.refresh_view()
        self.query_one("#ex-problem").focus()
        # after the summary has been laid out, bring it to the top of the view
        self.call_after_refresh(
            lambda: self.query_one("#ex-problem", VerticalScroll).scroll_to_widget(
                self.query_one("#ex-summary"), animate=False, top=True
            )
        )

    def _save(self, ws: Workspace) -> None:
        """Save the finished exercise's steps into the app's database (the app owns the one
        Storage; without one, the learner is told the attempt was not saved)."""
        storage = getattr(self.app, "storage", None)
        if storage is None:
            error = getattr(self.app, "load_error", None) or "no database"
            self.notify(f"attempt not saved: {error}", severity="warning")
            return
        try:
            self.saved_attempts = save_exercise_attempts(storage, ws.attempts())
        except Exception as exc:  # one line, never a traceback
            self.notify(f"attempt not saved: {exc}", severity="warning")
            return
        if self.saved_attempts:
            self.notify(
                f"Saved: {self.saved_attempts} steps count towards your accuracy per step type.",
                title="Exercise",
            )

    # ------------------------------------------------------------------ events and actions
    @on(Input.Changed, "#ex-answer")
    def live_preview(self, event: Input.Changed) -> None:
        preview = self.query_one("#ex-preview", Static)
        text = event.value
        if not text.strip():
            preview.update("")
            return
        from studyapp.core.checker import ParseError
        from studyapp.core.checker import preview as render

        try:
            preview.update(Text("= " + render(text)))
        except ParseError as exc:
            preview.update(
                Text(str(exc).splitlines()[0] if str(exc) else "cannot read this", style="yellow")
            )
        except Exception:  # a preview must never break typing
            preview.update("")

    @on(Input.Submitted, "#ex-answer")
    def submit(self, event: Input.Submitted) -> None:
        ws = self.workspace
        step = ws.step if ws is not None else None
        if ws is None or step is None:  # no exercise, or it is finished
            return
        fb = ws.submit(event.value)
        feedback = self.query_one("#ex-feedback", Static)
        if not fb.advanced:
            feedback.update(Text(fb.message, style="yellow"))
            return
        mark, style = STATUS_MARK.get(fb.status, ("", ""))
        words = STATUS_WORDS.get(fb.status, fb.status)
        detail = "" if fb.message in ("", words) else f" — {fb.message}"
        line = Text.assemble((f"{mark} {step.label}: {words}", f"bold {style}"), detail)
        if fb.diagnosis:
            line.append(f"\n  {fb.diagnosis}", style="italic")
        feedback.update(line)
        event.input.value = ""
        self._after_step()

    def _after_step(self) -> None:
        if self.workspace is not None and self.workspace.finished:
            self.finish()
        else:
            self.refresh_view()

    def action_hint(self) -> None:
        ws = self.workspace
        if ws is None or ws.finished:
            return
        fb = ws.hint()
        level = ws.results[ws.current].hints
        title = "Formula" if level == 1 else "Formula with your numbers"
        self.query_one("#ex-feedback", Static).update(
            Text.assemble(
                (f"{title} (hint {level}/2, recorded)\n", "bold cyan"), plain_scripts(fb.message)
            )
        )

    def action_reveal(self) -> None:
        ws = self.workspace
        if ws is None or ws.finished:
            return
        fb = ws.reveal()
        self.query_one("#ex-feedback", Static).update(
            Text(f"Revealed (no credit): {fb.message}", style="yellow")
        )
        self.query_one("#ex-answer", Input).value = ""
        self._after_step()

    def action_new(self) -> None:
        if self.settings.preset and self.workspace is not None:
            # The preset is one fixed exercise: "new" keeps its shape with fresh numbers.
            self.settings = ExerciseSettings(preset=None)
        self.new_exercise()

    def action_randomize(self) -> None:
        kind = self.settings.kind
        self.settings = randomize_settings(self._rng, kind)
        self.new_exercise()

    def action_options(self) -> None:
        def chosen(settings: ExerciseSettings | None) -> None:
            if settings is not None:
                self.settings = settings
                self.new_exercise()

        self.app.push_screen(ExerciseOptions(self.settings), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()

    def step_types(self) -> dict[str, str]:
        """The step types and their names (for a help screen)."""
        return dict(STEP_TYPES)
