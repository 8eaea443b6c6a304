"""The bases of the screens that read the app's data: :class:`StudyScreen` and, for dialogs,
:class:`StudyModalScreen`.

Textual types ``self.app`` as a bare ``App``, so ``self.app.storage`` would go unchecked. These
screens are only ever pushed by :class:`~studyapp.ui.app.StudyApp` and say so with Textual's own
typed getter: their ``app`` is a ``StudyApp`` (asserted when read), whose ``storage`` is
``Storage | None`` (``None``, with ``load_error`` set, when the database cannot be opened), and
mypy checks every use.
"""

from __future__ import annotations

from textual import getters
from textual.screen import ModalScreen, Screen, ScreenResultType

from studyapp.ui.app import StudyApp


class StudyScreen(Screen[ScreenResultType]):
    """A screen of :class:`StudyApp`: ``self.app`` is the StudyApp running it, typed."""

    app = getters.app(StudyApp)


class StudyModalScreen(ModalScreen[ScreenResultType]):
    """A dialog of :class:`StudyApp`: ``self.app`` is the StudyApp running it, typed."""

    app = getters.app(StudyApp)
