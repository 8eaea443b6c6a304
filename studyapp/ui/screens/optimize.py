"""Optimize the FSRS parameters from the settings screen: a dialog that fits them to the learner's
review log (in a worker; fsrs-rs itself runs in a child process so the screen stays live), shows
log loss and RMSE before and after, and offers Apply only when the fitted parameters predict the
later, held-out reviews better. It dismisses with True when new parameters were applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, ProgressBar, Static

from studyapp.ui.screens.base import StudyModalScreen
from studyapp.ui.widgets.math_text import escape_markup

if TYPE_CHECKING:  # pragma: no cover - typing only (fsrs_rs is imported when a fit starts)
    from studyapp.study.fsrs_rs import ChildProcess


class OptimizeScreen(StudyModalScreen[bool]):
    """Progress while fitting, then the result panel with Apply / Keep."""

    CSS_PATH = "optimize.tcss"

    BINDINGS = [Binding("escape", "keep", "Keep current parameters")]

    def __init__(self) -> None:
        super().__init__()
        self.result = None  # the study.optimize.Optimization once it is known
        self._child: ChildProcess | None = (
            None  # the fsrs-rs process while it runs (Keep ends it at once)
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="optimize-dialog"):
            yield Label("Optimize FSRS parameters", id="optimize-title")
            yield Static(
                "Fits FSRS's 21 parameters to your own reviews with fsrs-rs (Anki's optimizer)"
                " and tests them on your latest reviews.",
                id="optimize-about",
            )
            yield ProgressBar(total=4, show_eta=False, id="optimize-progress")
            yield Static("", id="optimize-status")
            with VerticalScroll(id="optimize-result"):
                yield Static("", id="optimize-report")
            with Horizontal(id="optimize-buttons"):
                yield Button("Apply", id="optimize-apply", variant="primary", disabled=True)
                yield Button("Keep current", id="optimize-keep")

    def on_mount(self) -> None:
        self.query_one("#optimize-result").display = False
        self.query_one("#optimize-keep", Button).focus()
        self.run_optimizer()

    @work(thread=True, exclusive=True, group="optimize")
    def run_optimizer(self) -> None:
        from textual.worker import get_current_worker

        from studyapp.study import fsrs_rs
        from studyapp.study import optimize as opt

        storage = self.app.storage
        try:
            if storage is None:
                raise RuntimeError(f"the study data cannot be opened: {self.app.load_error}")
            fsrs_rs.load()
            with fsrs_rs.ChildProcess() as self._child:
                result = opt.optimize_storage(storage, run=self._child, progress=self._progress)
        except Exception as exc:  # OptimizerUnavailable, DataError: one line, never a crash
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._failed, _one_line(exc))
            return
        if not get_current_worker().is_cancelled:
            report = opt.render(result, storage.tz, "Apply uses them from the next review on.")
            self.app.call_from_thread(self._show, result, report)

    def _progress(self, done: int, total: int, what: str) -> None:
        def update() -> None:
            self.query_one("#optimize-progress", ProgressBar).update(total=total, progress=done)
            self.query_one("#optimize-status", Static).update(escape_markup(f"{what}…"))

        self.app.call_from_thread(update)

    def _show(self, result, report: str) -> None:
        self.result = result
        self.query_one("#optimize-progress").display = False
        self.query_one("#optimize-about").display = False  # room for the report at 80x24
        verdict = "Better: apply them?" if result.better else "Not better: the current ones stay."
        self.query_one("#optimize-status", Static).update(verdict)
        self.query_one("#optimize-report", Static).update(escape_markup(report))
        self.query_one("#optimize-result").display = True
        apply = self.query_one("#optimize-apply", Button)
        apply.disabled = not result.better
        (apply if result.better else self.query_one("#optimize-keep", Button)).focus()

    def _failed(self, text: str) -> None:
        self.query_one("#optimize-progress").display = False
        status = self.query_one("#optimize-status", Static)
        status.add_class("error")
        status.update(escape_markup(f"Cannot optimize: {text}"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "optimize-apply":
            self.action_apply()
        elif event.button.id == "optimize-keep":
            self.action_keep()

    def action_apply(self) -> None:
        from studyapp.study import optimize as opt

        if self.result is None or not self.result.better or self.app.storage is None:
            return
        try:
            opt.apply(self.app.storage, self.result)
        except Exception as exc:  # a database that cannot be written: one line
            self._failed(_one_line(exc))
            return
        self.app.notify("New FSRS parameters applied: they schedule your next reviews.")
        self.dismiss(True)

    def action_keep(self) -> None:
        self.workers.cancel_group(self, "optimize")
        if self._child is not None:
            self._child.close()  # a fit still running ends now
        self.dismiss(False)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__
