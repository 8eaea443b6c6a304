"""A small text progress bar for long exports, drawn on stderr only when stderr is a terminal.

Exports report progress through a plain callback ``progress(done, total)`` so the same code can
drive this bar (CLI) or a Textual ProgressBar (TUI worker) without knowing which.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """``progress(done, total)`` callback that redraws one line with ``\\r``.

    Drawing is throttled to ``min_interval`` seconds (the final 100 % is always drawn) so a fast
    export does not spend its time writing to the terminal. Call :meth:`close` to end the line.
    """

    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        width: int = 30,
        min_interval: float = 0.05,
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.min_interval = min_interval
        self._last_draw = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        finished = total > 0 and done >= total
        if not finished and now - self._last_draw < self.min_interval:
            return
        self._last_draw = now
        self.stream.write("\r" + render_bar(self.label, done, total, self.width))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Finish the bar's line so the next message starts on a fresh line."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def render_bar(label: str, done: int, total: int, width: int = 30) -> str:
    """``label [#########.........]  12/40  30%`` (pure, for tests and other front ends)."""
    total = max(total, 0)
    done = min(max(done, 0), total) if total else 0
    fraction = done / total if total else 1.0
    filled = int(round(fraction * width))
    bar = "#" * filled + "." * (width - filled)
    return f"{label} [{bar}] {done:>{len(str(total))}}/{total} {fraction:4.0%}"


def terminal_progress(label: str, stream: TextIO | None = None) -> ProgressBar | None:
    """A ProgressBar on ``stream`` (default stderr) if it is a terminal, else None.

    Pipes, files and CI logs get no bar: ``\\r`` redraws would only litter them.
    """
    stream = stream if stream is not None else sys.stderr
    try:
        is_tty = stream.isatty()
    except (AttributeError, ValueError):
        is_tty = False
    return ProgressBar(label, stream) if is_tty else None
