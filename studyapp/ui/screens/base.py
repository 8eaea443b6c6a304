"""The base of the screens that read the app's data: :class:`StudyScreen`.

Textual types ``self.app`` as a bare ``App``, so ``self.app.storage`` would go unchecked. A
``StudyScreen`` is only ever pushed by :class:`~studyapp.ui.app.StudyApp` and says so with
Textual's own typed getter: its ``app`` is a ``StudyApp`` (asserted when read), whose
``storage`` is ``Storage | None`` (``None``, with ``load_error`` set, when the database cannot
be opened), and mypy checks every use.
"""

from __future__ import annotations

from textual import getters
from textual.screen import Screen, ScreenResultType

from studyapp.ui.app import StudyApp


class StudyScreen(Screen[ScreenResultType]):
    """A screen of :class:`StudyApp`: ``self.app`` is the StudyApp running it, typed."""

    app = getters.app(StudyApp)
