"""The Textual application: :class:`StudyApp`.

The app owns the long-lived objects (the study database and the loaded content) and hands them
to screens as attributes; screens call ``studyapp.core`` and ``studyapp.storage`` and hold no
business rules themselves.  Every screen but the dashboard is imported only when it is first
opened, and sympy only when an answer is graded, so start-up stays close to a bare Textual app.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from studyapp.core.catalog import TOPIC_TITLES, TOPICS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from studyapp.core.content import Content
    from studyapp.storage import Storage
    from studyapp.study.session import StudyScope

#: Settings value -> Textual theme name.  Any other registered Textual theme name is accepted too.
THEMES = {"dark": "textual-dark", "light": "textual-light"}

#: (action, title, help) for every place the command palette can take the user.
PLACES: list[tuple[str, str, str]] = [
    ("dashboard", "Dashboard", "Due and new cards per deck, streak and retention"),
    ("review", "Review", "Study the cards that are due (Anki-style)"),
    ("custom", "Custom study", "Extra new cards, review ahead, a weak topic or exercise step"),
    ("quiz", "Quiz", "Ten generated questions on every topic"),
    ("exercises", "Exercises", "Worked backprop and optimizer exercises"),
    ("browse", "Browse cards", "Search all cards, see their history and plots"),
    ("stats", "Statistics", "Reviews per day, forecast, retention, accuracy"),
    ("errata", "Errata", "Corrections to the course notes"),
    ("settings", "Settings", "Desired retention, daily limits, theme"),
    ("export", "Export cards", "Anki .apkg, TSV, Markdown, JSON or CSV file"),
    ("playground", "Playground", "Train small networks on 2-D data and race the optimizers, live"),
    ("help", "Help", "Every key binding on every screen"),
]


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC (what storage and fsrs expect)."""
    return datetime.now(UTC)


class StudyApp(App):
    """The studyapp TUI.

    Args:
        start: ``None`` opens the dashboard; ``"review"`` opens straight into a review session
            (the dashboard stays underneath, so ``escape`` returns to it).
        deck: with ``start="review"``, the topic of the one deck to review (None: all decks).
        clock: returns "now" (aware UTC datetime); tests pass a fixed clock.
        quiz_seed: seed for generated quizzes (``None`` draws a fresh one each time).
        storage: an already open :class:`~studyapp.storage.Storage` to use instead of opening
            ``data_dir()/studyapp.db`` (tests, benchmarks); the caller keeps ownership.
    """

    CSS_PATH = "app.tcss"
    TITLE = "studyapp"
    SUB_TITLE = "deep learning, one card at a time"

    BINDINGS = [
        Binding("question_mark", "show_help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        start: str | None = None,
        clock: Callable[[], datetime] | None = None,
        quiz_seed: int | None = None,
        storage: Storage | None = None,
        deck: str | None = None,
    ) -> None:
        if start not in (None, "dashboard", "review"):
            from studyapp.errors import UsageError

            raise UsageError(f"unknown start screen {start!r} (use 'review' or nothing)")
        super().__init__()
        self.start = start
        self.deck = deck
        self.clock = clock or utc_now
        self.quiz_seed = quiz_seed
        self._storage: Storage | None = storage
        self._owns_storage = storage is None
        # The dashboard opens the database in a worker so the first screen shows at once; the
        # lock stops a key press on the UI thread from opening it a second time meanwhile.
        self._storage_lock = threading.Lock()
        self._content: Content | None = None
        self._unsynced: Storage | None = None  # opened by open_if_synced, to sync in the worker
        self.load_error: str | None = None

    # ------------------------------------------------------------------ data (flows down)
    def now(self) -> datetime:
        """The time used for scheduling decisions (aware UTC)."""
        return self.clock()

    @property
    def storage(self) -> Storage | None:
        """The open study database, created and synced with the content on first use.

        ``None`` (with :attr:`load_error` holding one line) when it cannot be opened; screens
        show that line instead of crashing.
        """
        if self._storage is None and self.load_error is None:
            with self._storage_lock:
                if self._storage is None and self.load_error is None:
                    try:
                        self._storage = self._open_study()
                    except Exception as exc:  # shown to the user as one line, never a traceback
                        self.load_error = _one_line(exc)
        return self._storage

    @property
    def storage_ready(self) -> bool:
        """True once the database is open (or failed to open) — no waiting involved."""
        return self._storage is not None or self.load_error is not None

    def _open_study(self) -> Storage:
        """Open the database and sync its cards with the content (``study.session.open_study``),
        reusing the database :meth:`open_if_synced` opened when its cards needed a sync."""
        from studyapp.study.session import open_study, sync_with_content

        storage, self._unsynced = self._unsynced, None
        if storage is None:
            return open_study(now=self.now())
        try:
            sync_with_content(storage, self.now())
        except BaseException:
            storage.close()
            raise
        return storage

    def open_if_synced(self) -> bool:
        """Open the database now, on the UI thread, if that is quick: its cards already match the
        content (a warm start: a few ms, no content to parse). Then the first screen can show the
        real counts in its first frame. Otherwise (or on any error) the worker started after the
        first frame opens it and reports. Returns whether the database is ready."""
        if self.storage_ready:
            return True
        from studyapp.study.session import open_storage

        with self._storage_lock:
            if self._unsynced is not None or self.storage_ready:
                return self.storage_ready
            try:
                storage, synced = open_storage(now=self.now())
            except Exception:
                return False  # the worker opens it again and shows the error
            if synced:
                self._storage = storage
            else:
                self._unsynced = storage
        return synced

    @property
    def content(self) -> Content | None:
        """The loaded :class:`studyapp.core.content.Content` (or ``None`` if it cannot load)."""
        if self._content is None:
            try:
                from studyapp.core.content import load_content

                self._content = load_content()
            except Exception as exc:
                self.load_error = self.load_error or _one_line(exc)
        return self._content

    def settings(self) -> dict[str, Any]:
        """The saved settings (empty dict when storage is unavailable)."""
        storage = self.storage
        if storage is None:
            return {}
        try:
            return dict(storage.get_settings())
        except Exception as exc:
            self.notify(_one_line(exc), severity="error", markup=False)
            return {}

    def apply_theme(self, name: str | None) -> None:
        """Switch to the theme named in settings (``dark``, ``light`` or a Textual theme name)."""
        if not name:
            return
        theme = THEMES.get(name, name)
        if theme in self.available_themes:
            self.theme = theme

    # ------------------------------------------------------------------ lifecycle
    def get_default_screen(self) -> Screen:
        from studyapp.ui.screens.dashboard import DashboardScreen

        return DashboardScreen()

    def on_mount(self) -> None:
        if self.start == "review":
            # Opens the data at once; the dashboard waits underneath.
            self.open_review(self.deck)

    def on_ready(self) -> None:
        """The first frame is on screen: now open the database (content parsing, card building
        and syncing take a few hundred ms) in a worker, so start-up never waits for it."""
        if self.storage_ready:
            self.study_data_loaded()
        else:
            self._load_study_data()

    @work(thread=True, exclusive=True, group="open-study")
    def _load_study_data(self) -> None:
        self.storage  # noqa: B018 - the property opens and syncs the database
        self.call_from_thread(self.study_data_loaded)

    def study_data_loaded(self) -> None:
        """On the UI thread once the database is open: apply the saved theme, report a database
        that cannot be used, and let the screens that were waiting fill in."""
        if self.load_error:
            self.notify(
                self.load_error,
                title="Cannot load study data",
                severity="error",
                timeout=10,
                markup=False,
            )
        else:
            self.apply_theme(self.settings().get("theme"))
        for screen in self.screen_stack:
            waiting = getattr(screen, "study_data_loaded", None)
            if callable(waiting):
                waiting()

    def on_unmount(self) -> None:
        if self._unsynced is not None:
            self._unsynced.close()
        if self._storage is not None and self._owns_storage:
            try:
                self._storage.close()
            except Exception:
                pass
        if "studyapp.core.checker.worker" in sys.modules:  # a quiz started the sympy worker
            sys.modules["studyapp.core.checker.worker"].shutdown()

    # ------------------------------------------------------------------ navigation
    def open_review(self, topic: str | None = None, scope: StudyScope | None = None) -> None:
        """Review deck ``topic`` (None: all decks), or the custom study ``scope`` if given."""
        from studyapp.study.session import StudyScope
        from studyapp.ui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(scope or StudyScope(topic=topic)))

    def action_open(self, place: str) -> None:
        """Open one of :data:`PLACES` on top of the dashboard (``review:TOPIC`` reviews one
        deck, ``browse:QUERY`` browses a search, ``quiz:TOPIC`` quizzes one topic)."""
        if place == "dashboard":
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        if place == "help":
            self.action_show_help()
            return
        if place.startswith("review"):
            self.open_review(place.partition(":")[2] or None)
            return
        if place == "custom":
            self.open_custom_study()
            return
        if place == "exercises":
            self._open_exercises()
            return
        if place.startswith("quiz"):
            from studyapp.ui.screens.quiz import QuizScreen

            topic = place.partition(":")[2] or None
            self.push_screen(QuizScreen(topic=topic, seed=self.quiz_seed))
            return
        if place.startswith("browse:"):
            from studyapp.ui.screens.browse import BrowseScreen

            self.push_screen(BrowseScreen(query=place.partition(":")[2]))
            return
        if place.startswith("playground:"):
            self._watch(place.partition(":")[2])
            return
        factory = _screen_factories().get(place)
        if factory is None:
            self.notify(f"No screen called {place!r}", severity="error", markup=False)
            return
        self.push_screen(factory())

    def _watch(self, preset: str) -> None:
        """The playground on ``preset``, already running: what a card or a quiz question's
        "watch it" key shows."""
        from studyapp.ui.screens.playground import PlaygroundScreen

        try:
            screen = PlaygroundScreen(preset=preset, start=True)
        except ValueError as exc:
            self.notify(_one_line(exc), severity="error", markup=False)
            return
        self.push_screen(screen)

    def open_custom_study(self, topic: str | None = None) -> None:
        """Anki's custom study dialog for deck ``topic`` (None: all decks); the session it asks
        for starts when it closes."""
        from studyapp.ui.screens.custom_study import CustomStudyScreen

        def start(scope: StudyScope | None) -> None:
            if scope is not None:
                self.open_review(scope=scope)

        self.push_screen(CustomStudyScreen(topic), start)

    def _open_exercises(self) -> None:
        try:
            from studyapp.ui.screens.exercise import ExerciseScreen
        except Exception as exc:  # the workspace screen is written by another engineer
            self.notify(
                f"Exercises are not available yet ({_one_line(exc)})",
                title="Exercises",
                severity="warning",
                markup=False,
            )
            return
        self.push_screen(ExerciseScreen())

    def action_show_help(self) -> None:
        from studyapp.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(current=type(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (``ctrl+p``) reaches every screen and every quiz topic."""
        for place, title, help_text in PLACES:
            yield SystemCommand(title, help_text, lambda p=place: self.action_open(p))
        for topic in TOPICS:
            title = TOPIC_TITLES[topic]
            yield SystemCommand(
                f"Quiz: {topic}",
                f"Ten questions on {topic}",
                lambda t=topic: self.action_open(f"quiz:{t}"),
            )
            yield SystemCommand(
                f"Review deck: {title}",
                f"Study the {title} cards due today",
                lambda t=topic: self.action_open(f"review:{t}"),
            )
            yield SystemCommand(
                f"Browse deck: {title}",
                f"Every card of the {title} deck",
                lambda t=topic: self.action_open(f"browse:topic:{t}"),
            )
        # The screen's own actions (reveal, undo, suspend ...) so the palette reaches them too.
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description and binding.show:
                action = binding.action
                yield SystemCommand(
                    f"{screen.__class__.__name__.removesuffix('Screen')}: {binding.description}",
                    f"key {binding.key_display or binding.key}",
                    lambda a=action, s=screen: s.run_action(a),
                )
        from studyapp.ui.screens.help import BROWSER_HINT

        yield SystemCommand(
            "Open in a browser", BROWSER_HINT, lambda: self.notify(BROWSER_HINT, markup=False)
        )
        yield from super().get_system_commands(screen)


def _screen_factories() -> dict[str, Callable[[], Screen]]:
    """Lazily imported screen classes (keeps start-up light)."""

    def browse():
        from studyapp.ui.screens.browse import BrowseScreen

        return BrowseScreen()

    def stats():
        from studyapp.ui.screens.stats import StatsScreen

        return StatsScreen()

    def errata():
        from studyapp.ui.screens.errata import ErrataScreen

        return ErrataScreen()

    def settings():
        from studyapp.ui.screens.settings import SettingsScreen

        return SettingsScreen()

    def export():
        from studyapp.ui.screens.export import ExportScreen

        return ExportScreen()

    def playground():
        from studyapp.ui.screens.playground import PlaygroundScreen

        return PlaygroundScreen()

    return {
        "browse": browse,
        "stats": stats,
        "errata": errata,
        "settings": settings,
        "export": export,
        "playground": playground,
    }


def _one_line(exc: BaseException) -> str:
    """The first line of an exception message, for notifications."""
    text = str(exc).strip().splitlines()
    first = text[0] if text else exc.__class__.__name__
    more = len(text) - 1
    return f"{first} (+{more} more)" if more > 0 else first
