"""Drive `studyapp serve` in a real headless Chromium, as a person would.

Debian's ``chromium`` is driven through Playwright (``executable_path``; Playwright never downloads
a browser here). The helpers:

- :func:`chromium_or_skip` — the browser's path; without it the test skips naming the Debian
  package, except under ``CI=true``, where it fails (CI installs it in ``.ci/run``).
- :class:`Served` — ``studyapp serve --port 0`` in a subprocess: the URL it prints, its app
  processes, and a SIGINT stop that returns exit code and output.
- :func:`launch_chromium`, then :class:`Browser` — a context for the serve origin: every request and websocket
  is recorded, and any request to another origin is aborted and reported by
  :meth:`Browser.foreign_requests` (the test fails on it).
- :class:`Tab` — one page running the app. xterm.js draws on a canvas, so the screen text is
  read from the websocket frames the app sends (escape sequences removed); ``mark()`` and
  ``wait_for(text, since=mark)`` wait for text that appears after a key press.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent.parent

#: The Debian packages a machine needs for the browser tests.
DEBIAN_PACKAGES = "chromium"

#: Flags that keep Chromium from contacting any host of its own (updates, sync, QUIC probes).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]

#: CSI and OSC escape sequences, and the 7-bit "ESC x" ones, of the app's output.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def chromium_path() -> str | None:
    """Debian's Chromium (``chromium`` on PATH), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_or_skip() -> str:
    """The Chromium executable; skips without it (fails under ``CI=true``, where it must run)."""
    path = chromium_path()
    if path is None:
        message = (
            f"no Chromium: install Debian's {DEBIAN_PACKAGES} package "
            f"(apt-get install {DEBIAN_PACKAGES}) to run the browser tests"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI must run them")
        pytest.skip(message)
    return path


def screen_text(raw: bytes) -> str:
    """The text an app's terminal output writes, escape sequences removed."""
    return _ESCAPES.sub("", raw.decode("utf-8", "replace"))


class Served:
    """``studyapp serve`` running in a subprocess over ``$STUDYAPP_DATA_DIR``.

    ``started`` is the monotonic time the process was started, ``url`` the URL it printed
    (the page; ``origin`` without the path).
    """

    def __init__(self, *args: str, timeout: float = 30.0) -> None:
        env = dict(os.environ)
        env.pop("PYTHONWARNINGS", None)
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "studyapp", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: lines.put(self.process.stdout.readline()), daemon=True
        ).start()
        try:
            self.url = lines.get(timeout=timeout).strip()
        except queue.Empty:
            self.stop()
            raise AssertionError(f"studyapp serve printed no URL within {timeout} s") from None
        if not self.url.startswith("http://"):
            _rc, out, err = self.stop()
            raise AssertionError(f"studyapp serve printed {self.url!r}; stderr: {err}")
        parts = urlsplit(self.url)
        self.origin = f"{parts.scheme}://{parts.netloc}"

    def app_pids(self) -> list[int]:
        """Process ids of the app processes (one per open tab) the server runs."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                pids.append(int(stat.parent.name))
        return pids

    def stop(self, timeout: float = 20.0) -> tuple[int, str, str]:
        """ctrl+c (SIGINT) and wait: (exit code, rest of stdout, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
            raise AssertionError(f"studyapp serve did not stop within {timeout} s") from None
        return self.process.returncode, out, err


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie left for init to reap does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def launch_chromium(playwright, executable: str):
    """Headless Chromium (Playwright's Browser) from ``executable``, with a fresh profile."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)


class Browser:
    """A browser context (fresh cookies and storage) of a launched Chromium whose requests are
    all recorded; requests to any origin but ``origin`` are aborted (nothing leaves the machine)
    and kept as foreign."""

    def __init__(self, chromium, origin: str) -> None:
        self.origin = origin
        self.urls: list[str] = []
        self._foreign: list[str] = []
        self.context = chromium.new_context(viewport={"width": 1100, "height": 640})
        self.context.on("request", lambda request: self._seen(request.url))
        self.context.route(lambda url: not self._same_origin(url), self._abort)

    def _same_origin(self, url: str) -> bool:
        if url.startswith("data:"):  # inline (the page's empty favicon): no host is contacted
            return True
        parts = urlsplit(url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
        return f"{scheme}://{parts.netloc}" == self.origin

    def _seen(self, url: str) -> None:
        self.urls.append(url)
        if not self._same_origin(url):
            self._foreign.append(url)

    def _abort(self, route) -> None:
        self._seen(route.request.url)
        route.abort()

    def foreign_requests(self) -> list[str]:
        """Every request (HTTP or websocket) to another origin than the serve address."""
        return sorted(set(self._foreign))

    def open_tab(self, url: str, timeout: float = 60.0) -> Tab:
        """A new tab on ``url`` whose app has drawn its dashboard."""
        tab = Tab(self, self.context.new_page())
        tab.page.goto(url)
        tab.wait_for("studies all decks", timeout=timeout)  # the dashboard's counts are in
        # Keys go to xterm.js's input element, as after a click in the page.
        tab.page.focus(".xterm-helper-textarea")
        return tab

    def close(self) -> None:
        self.context.close()


class Tab:
    """One browser tab on the serve page; what the app wrote is collected from the websocket."""

    def __init__(self, browser: Browser, page) -> None:
        self.page = page
        self._output = bytearray()
        self._lock = threading.Lock()

        def on_websocket(ws) -> None:
            browser._seen(ws.url)
            ws.on("framereceived", self._received)

        page.on("websocket", on_websocket)

    def _received(self, payload: bytes | str) -> None:
        with self._lock:
            self._output += payload.encode() if isinstance(payload, str) else payload

    def mark(self) -> int:
        """A position in the app's output: ``wait_for(..., since=mark)`` looks only after it."""
        with self._lock:
            return len(self._output)

    def text(self, since: int = 0) -> str:
        with self._lock:
            return screen_text(bytes(self._output[since:]))

    def wait_for(self, text: str, since: int = 0, timeout: float = 30.0) -> None:
        """Let the page run until the app has written ``text`` (after ``since``)."""
        deadline = time.monotonic() + timeout
        while text not in self.text(since):
            if time.monotonic() > deadline:
                tail = self.text(since)[-2000:]
                raise AssertionError(f"the app did not show {text!r} in {timeout} s; last: {tail}")
            self.page.wait_for_timeout(50)

    def press(self, *keys: str) -> None:
        """Type keys in the page (Playwright key names: "r", "Space", "3")."""
        for key in keys:
            self.page.keyboard.press(key)

    def review_one_card(self, screenshot: Path | None = None) -> None:
        """On the dashboard: ``r``, ``space`` (then the screenshot, if asked), ``3`` (Good).
        Returns once the app shows the next card: the rating is committed before it does."""
        mark = self.mark()
        self.press("r")
        self.wait_for("press space to show the answer", since=mark)
        mark = self.mark()
        self.press("Space")
        self.wait_for("3 Good ·", since=mark)
        if screenshot is not None:
            self.screenshot(screenshot)
        mark = self.mark()
        self.press("3")
        self.wait_for("press space to show the answer", since=mark)  # the next card

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the app has written nothing for ``quiet`` seconds (a whole frame drawn)."""
        deadline = time.monotonic() + timeout
        seen, since = self.mark(), time.monotonic()
        while time.monotonic() - since < quiet and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)
            if self.mark() != seen:
                seen, since = self.mark(), time.monotonic()

    def screenshot(self, path: Path) -> Path:
        """A PNG of the page once the app's output has settled."""
        self.settle()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        return path
