"""Feedback after a graded answer: verdict, the right answer, explanation and diagnosis."""

from __future__ import annotations

from textual.widgets import Static

from studyapp.core.questions.model import SKIPPED
from studyapp.ui.widgets.math_text import escape_markup, readable


class Feedback(Static):
    """Shows one graded answer; ``show(...)`` sets the content, ``clear()`` hides it."""

    def show(
        self,
        verdict: str,
        expected: str,
        explanation: str = "",
        diagnosis: str | None = None,
        message: str = "",
    ) -> None:
        """Render the feedback.

        ``verdict`` is ``correct``/``incorrect``/``invalid`` (the checker's words); the widget
        gets the matching CSS class so themes colour it.
        """
        for name in ("correct", "incorrect", "invalid"):
            self.set_class(verdict == name, name)
        heading = {
            "correct": "✔ Correct",
            "incorrect": "✘ Not quite",
            "invalid": "⚠ Could not read that",
        }.get(verdict, verdict)
        if verdict == "incorrect" and message == SKIPPED:
            heading = "✘ Don't know: counted as a miss"
        lines = [f"[b]{heading}[/b]"]
        if message and verdict == "invalid":  # why it could not be read
            lines.append(escape_markup(readable(message)))
        if diagnosis:
            lines.append(f"[i]Hint:[/i] {escape_markup(readable(diagnosis))}")
        if verdict != "correct" and expected:
            lines.append(f"Answer: [b]{escape_markup(readable(expected))}[/b]")
        if explanation:
            lines.append(escape_markup(readable(explanation)))
        if verdict != "invalid":
            lines.append("[dim]enter / n: next question[/dim]")
        self.update("\n".join(lines))
        self.display = True

    def pending(self, text: str = "Checking…") -> None:
        """Show that grading is under way (sympy may take a moment the first time)."""
        for name in ("correct", "incorrect", "invalid"):
            self.remove_class(name)
        self.update(text)
        self.display = True

    def clear(self) -> None:
        self.update("")
        self.display = False
