"""An answer box with a live preview of the typed math.

Every keystroke runs :func:`studyapp.core.checker.preview` (a small parser, no sympy) and shows
either the unicode rendering (``σ(z)·(1 − σ(z))``) or the parser's one-line complaint with a
caret under the offending position.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from studyapp.ui.messages import AnswerSubmitted
from studyapp.ui.widgets.math_text import escape_markup


def render_preview(text: str) -> tuple[str, bool]:
    """(what to show under the input, whether the text parsed).

    Empty input gives a hint; a parse error gives its message (and position when known).
    """
    if not text.strip():
        return "Type an answer: ^ for powers, sigma(z) or σ(z), [[1,2],[3,4]] for matrices.", True
    try:
        from studyapp.core.checker import ParseError, preview
    except Exception:  # checker not installed yet: show the text as typed
        return text, True
    try:
        return "= " + preview(text), True
    except ParseError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "cannot read this"
        position = getattr(exc, "position", None)
        if isinstance(position, int) and 0 <= position <= len(text):
            return f"{text}\n{' ' * position}^ {message}", False
        return message, False
    except Exception as exc:  # a preview must never crash the screen
        return f"cannot read this: {exc}", False


class MathInput(Vertical):
    """``Input`` + live preview; posts :class:`AnswerSubmitted` on enter.

    ``math`` False turns the preview off (cloze words, free text).
    """

    def __init__(self, placeholder: str = "your answer", math: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self._placeholder = placeholder
        self.math = math

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, id="answer-input")
        yield Static("", id="answer-preview", classes="preview")

    def on_mount(self) -> None:
        self._update_preview("")

    @property
    def input(self) -> Input:
        return self.query_one("#answer-input", Input)

    @property
    def preview_text(self) -> str:
        """What the preview line shows now (plain text, for tests)."""
        return str(self.query_one("#answer-preview", Static).render())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._update_preview(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(AnswerSubmitted(event.value))

    def _update_preview(self, text: str) -> None:
        preview = self.query_one("#answer-preview", Static)
        if not self.math:
            preview.update("")
            preview.display = False
            return
        shown, ok = render_preview(text)
        preview.set_class(not ok, "invalid")
        preview.update(escape_markup(shown))

    def clear(self) -> None:
        self.input.value = ""
        self._update_preview("")
