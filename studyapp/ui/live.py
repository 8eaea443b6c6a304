"""Live views: a simulation stepped on one worker thread, its frames drawn by the UI.

The playground's trainer and race are not thread-safe, so exactly one thread ever touches them:
the worker running :meth:`LiveLoop.run`. The UI talks to it only through :meth:`LiveLoop.send`
(callables that run on the worker between frames) and receives frames through ``deliver``
(which posts a Textual message, thread-safe). While running, the worker advances the simulation,
builds a frame and waits until the UI says it has drawn the previous one (:meth:`frame_drawn`),
so frames never pile up and the UI never waits on the simulation: keys stay responsive.

:class:`FrameCounter` counts the redraws the view actually made, for the "12 fps" in its corner.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from studyapp.ui.app import _one_line

F = TypeVar("F")  # what a simulation's frame() returns
F_co = TypeVar("F_co", covariant=True)


class Simulation(Protocol[F_co]):
    """What a LiveLoop drives: ``advance()`` takes one frame's steps and returns False once there
    is nothing more to run (finished or diverged); ``frame()`` describes the current state."""

    def advance(self) -> bool: ...

    def frame(self) -> F_co: ...


S = TypeVar("S", bound=Simulation[Any])  # the simulation, as the commands sent to it see it


class FrameCounter:
    """Counts events (redraws) and reports how many fell in the last ``window`` seconds."""

    def __init__(self, window: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.total = 0
        self._clock = clock
        self._times: deque[float] = deque()

    def tick(self) -> None:
        now = self._clock()
        self.total += 1
        self._times.append(now)
        self._trim(now)

    def per_second(self) -> float:
        """Events in the last ``window`` seconds, per second."""
        self._trim(self._clock())
        return len(self._times) / self.window

    def _trim(self, now: float) -> None:
        while self._times and self._times[0] <= now - self.window:
            self._times.popleft()


class LiveLoop(Generic[S, F]):
    """Runs ``simulation`` (an ``S`` whose frames are ``F``) on the calling thread (a Textual thread worker) until ``cancelled()``.

    ``deliver(frame, running)`` is called on the worker thread after every command and every
    advance; it must be thread-safe (``widget.post_message``). At most ``max_fps`` frames a second
    are built while running. An exception from the simulation pauses the loop and is passed to
    ``on_error`` (one line for the user), so a bad step never kills the view.
    """

    #: How long the worker waits for the UI to draw a frame before going on anyway (the UI may be
    #: busy or shutting down; this only bounds the wait).
    DRAW_TIMEOUT = 0.5
    #: How often a paused worker looks for cancellation.
    IDLE_POLL = 0.1

    def __init__(
        self,
        simulation: S,
        deliver: Callable[[F, bool], object],
        on_error: Callable[[str], object],
        max_fps: float = 25.0,
    ) -> None:
        self.simulation = simulation
        self._deliver = deliver
        self._on_error = on_error
        self._interval = 1.0 / max_fps
        self._commands: queue.SimpleQueue[Callable[[S], object]] = queue.SimpleQueue()
        self._drawn = threading.Event()
        self._drawn.set()
        self._running = False

    # -- called from the UI thread -------------------------------------------------------------
    def send(self, command: Callable[[S], object]) -> None:
        """Run ``command(simulation)`` on the worker before its next frame, then show a frame."""
        self._commands.put(command)

    def set_running(self, running: bool | None) -> None:
        """Start (True), pause (False) or toggle (None) the loop."""
        self._commands.put(lambda _sim: self._set_running(running))

    def frame_drawn(self) -> None:
        """The UI has drawn the last frame delivered: the worker may build the next one."""
        self._drawn.set()

    # -- the worker ----------------------------------------------------------------------------
    def _set_running(self, running: bool | None) -> None:
        self._running = (not self._running) if running is None else running

    def run(self, cancelled: Callable[[], bool]) -> None:
        """The worker's body: show a first frame, then obey commands and advance while running."""
        self._publish()
        last = 0.0
        while not cancelled():
            wait = max(0.0, last + self._interval - time.monotonic()) if self._running else None
            if self._drain(self.IDLE_POLL if wait is None else wait):
                self._publish()
                continue
            if not self._running:
                continue
            self._drawn.wait(self.DRAW_TIMEOUT)
            last = time.monotonic()
            try:
                self._running = bool(self.simulation.advance())
            except Exception as exc:  # shown as one line; the loop pauses, the view lives on
                self._running = False
                self._on_error(_one_line(exc))
            self._publish()

    def _drain(self, timeout: float) -> bool:
        """Run every pending command (waiting up to ``timeout`` for the first); True if any ran."""
        try:
            command = self._commands.get(timeout=timeout) if timeout > 0 else None
            if command is None:
                command = self._commands.get_nowait()
        except queue.Empty:
            return False
        while command is not None:
            try:
                command(self.simulation)
            except Exception as exc:
                self._running = False
                self._on_error(_one_line(exc))
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                command = None
        return True

    def _publish(self) -> None:
        try:
            frame = self.simulation.frame()
        except Exception as exc:
            self._running = False
            self._on_error(_one_line(exc))
            return
        self._drawn.clear()
        self._deliver(frame, self._running)
