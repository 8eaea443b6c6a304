"""Export the flashcards (Anki .apkg, TSV, Markdown, JSON, CSV) or the review log (CSV for the
FSRS tools) from inside the TUI.

A small dialog over the current screen; the export itself (genanki, file writing) runs in a
worker thread and reports progress, so the UI stays responsive.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from studyapp.core.catalog import ALL_TOPICS, topic_title
from studyapp.ui.screens.base import StudyModalScreen
from studyapp.ui.widgets.math_text import escape_markup

FORMATS = [
    ("Anki package (.apkg)", "apkg"),
    ("Anki TSV (.tsv)", "tsv"),
    ("Markdown (.md)", "md"),
    ("JSON (.json)", "json"),
    ("CSV (.csv)", "csv"),
    ("Review log for the FSRS tools (.csv)", "revlog"),
]

REVLOG = "revlog"  # not cards but the review history: every card, so no topic


def default_path(fmt: str, topic: str | None) -> Path:
    """``./deep-learning[-topic].<fmt>`` (the review log: ``./deep-learning-revlog.csv``) in the
    directory the app was started from."""
    if fmt == REVLOG:
        return Path.cwd() / "deep-learning-revlog.csv"
    stem = "deep-learning" + (f"-{topic}" if topic else "")
    return Path.cwd() / f"{stem}.{fmt}"


class ExportScreen(StudyModalScreen):
    """Format, topic and file; ``enter`` or Export writes it, ``escape`` closes."""

    CSS_PATH = "export.tcss"

    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self) -> None:
        super().__init__()
        self._path_edited = False
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label("Export flashcards", id="export-title")
            with Grid(id="export-form"):
                yield Label("Format")
                yield Select(FORMATS, value="apkg", allow_blank=False, id="export-format")
                yield Label("Topic")
                yield Select(
                    [("All topics", "")] + [(topic_title(t), t) for t in ALL_TOPICS],
                    value="",
                    allow_blank=False,
                    id="export-topic",
                )
                yield Label("File")
                yield Input(str(default_path("apkg", None)), id="export-path")
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static("", id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary")
                yield Button("Close", id="export-close")

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False
        self.query_one("#export-format", Select).focus()

    def _choice(self) -> tuple[str, str | None]:
        fmt = str(self.query_one("#export-format", Select).value)
        topic = str(self.query_one("#export-topic", Select).value) or None
        return fmt, None if fmt == REVLOG else topic

    def on_select_changed(self, _event: Select.Changed) -> None:
        if not self.is_mounted:
            return
        fmt, topic = self._choice()
        self.query_one("#export-topic", Select).disabled = fmt == REVLOG
        if not self._path_edited:
            path_input = self.query_one("#export-path", Input)
            path_input.value = str(default_path(fmt, topic))
            self._path_edited = False  # our own change, not the user's

    def on_input_changed(self, event: Input.Changed) -> None:
        fmt, topic = self._choice()
        self._path_edited = event.value != str(default_path(fmt, topic))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.start_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-go":
            self.start_export()
        elif event.button.id == "export-close":
            self.dismiss()

    def start_export(self) -> None:
        if self._busy:
            return
        fmt, topic = self._choice()
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        if not str(path) or str(path) == ".":
            self._status("Give a file name.", error=True)
            return
        self._busy = True
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._status("Exporting…")
        self.export(fmt, path, topic)

    @work(thread=True, exclusive=True, group="export")
    def export(self, fmt: str, path: Path, topic: str | None) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(
                self.query_one("#export-progress", ProgressBar).update, total=total, progress=done
            )

        try:
            count = self._write(fmt, path, topic, progress)
        except Exception as exc:  # UsageError for bad paths/topics: one line
            message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            self.app.call_from_thread(self._finished, f"Not exported: {message}", True)
            return
        what = "reviews" if fmt == REVLOG else "cards"
        self.app.call_from_thread(self._finished, f"Wrote {count} {what} to {path}", False)

    def _write(self, fmt: str, path: Path, topic: str | None, progress) -> int:
        """Write the export (in the worker thread); returns the number of cards or reviews."""
        if fmt != REVLOG:
            from studyapp.export import export_cards

            return export_cards(fmt, path, topic=topic, progress=progress)
        from studyapp.export.revlog import export_revlog

        storage = self.app.storage
        if storage is None:
            raise RuntimeError(f"the study data cannot be opened: {self.app.load_error}")
        return export_revlog(path, storage.review_log, progress)

    def _finished(self, text: str, error: bool) -> None:
        self._busy = False
        if error:
            self.query_one("#export-progress", ProgressBar).display = False
        self._status(text, error=error)

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.set_class(error, "error")
        status.update(escape_markup(text))
