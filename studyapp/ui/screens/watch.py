"""The "w Watch it" key: open the playground preset that shows what is on the screen.

Review and browse show it for a card whose content entry a preset shows (once review has shown
the answer), the quiz for a graded "predict" question (the preset whose run answers it). Such a
screen derives from :class:`WatchScreen`, puts ``WATCH`` in its ``BINDINGS`` (where it should
sit in the footer) and defines ``preset``: the preset's name, or None, which hides the key. It
calls ``refresh_bindings()`` whenever ``preset`` may have changed.
"""

from __future__ import annotations

from textual.binding import Binding

from studyapp.ui.screens.base import StudyScreen

WATCH = Binding("w", "watch", "Watch it")


class WatchScreen(StudyScreen):
    """A StudyScreen with the ``WATCH`` key."""

    @property
    def preset(self) -> str | None:
        """The name of the preset to open, or None (no key)."""
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "watch":
            return self.preset is not None
        return super().check_action(action, parameters)

    def action_watch(self) -> None:
        # The key is hidden while there is nothing to watch; the command palette still lists it.
        if self.preset is None:
            self.notify("Nothing here to watch in the playground.", timeout=2)
            return
        self.app.action_open(f"playground:{self.preset}")
