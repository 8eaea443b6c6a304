"""The TUI in a web browser: textual-serve with our page, our font and a clean shutdown.

Every browser tab that opens the page gets its own ``studyapp`` process (textual-serve starts one
per websocket), all over the same data directory: the storage lets several processes write (WAL,
one ``BEGIN IMMEDIATE`` per review), so tabs reviewing at once lose nothing.

The flow of :func:`serve`: bind the listening socket first (a port in use is a clear error before
anything else happens), then start the web app on that socket, print the URL, and serve until
SIGINT or SIGTERM; then every tab's app process is told to quit and awaited, and the server stops.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import os
import shlex
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from studyapp.errors import UsageError

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
FONTS_DIR = WEB_DIR / "fonts"

#: Seconds the tabs' app processes get to quit when the server stops.
QUIT_TIMEOUT_S = 10.0


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_unspecified(host: str) -> bool:
    """True for the "every address" hosts 0.0.0.0 and ::, which a browser cannot connect to."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def base_url(host: str, port: int) -> str:
    """``http://host:port`` with an IPv6 address in brackets (no trailing slash)."""
    host = host.strip("[]")
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free port chosen by the system).

    Raises :class:`UsageError` with one line naming the address when it cannot be bound
    (in use, not an address of this machine, unknown host name).
    """
    address = base_url(host, port).removeprefix("http://")
    try:
        infos = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on {address}: unknown host ({exc.strerror})") from None
    family, _type, _proto, _name, sockaddr = infos[0]
    try:
        return socket.create_server(sockaddr[:2], family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            reason = "the port is already in use (choose another with --port, or --port 0)"
        else:
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise UsageError(f"cannot listen on {address}: {reason}") from None


def app_command() -> str:
    """The shell command textual-serve runs for each tab: this Python's ``studyapp`` TUI.

    SIGINT is ignored until the app installs its own handler: ctrl+c in the terminal reaches the
    whole process group, and a tab that is still starting must not die with a traceback; the
    server tells every app to quit itself.
    """
    return f"trap '' INT; exec {shlex.quote(sys.executable)} -m studyapp"


def make_server(public_url: str, host: str, port: int):
    """The textual-serve ``Server`` subclass for studyapp (imported lazily: aiohttp is heavy)."""
    from textual_serve.server import Server

    class StudyServer(Server):
        """textual-serve's server with our page template and a record of the open tabs."""

        def __init__(self) -> None:
            super().__init__(
                app_command(),
                host=host,
                port=port,
                title="studyapp",
                public_url=public_url,
                templates_path=TEMPLATES_DIR,
            )
            self.sessions: set[asyncio.Task] = set()

        async def on_startup(self, app) -> None:
            """textual-serve prints a banner here, before the port is bound; serve() prints
            the URL itself once it is."""

        async def handle_websocket(self, request):
            """One tab: its app process runs while this handler runs (recorded to end it)."""
            task = asyncio.current_task()
            assert task is not None  # a request handler always runs in a task
            self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(task)

        async def end_sessions(self, timeout: float) -> int:
            """Tell every tab's app to quit (textual-serve sends it a quit message when its
            handler is cancelled) and wait until their processes have ended; returns how many
            were still running after ``timeout`` seconds."""
            tasks = list(self.sessions)
            for task in tasks:
                task.cancel()
            if not tasks:
                return 0
            _done, pending = await asyncio.wait(tasks, timeout=timeout)
            return len(pending)

    return StudyServer()


async def _serve(server, sock: socket.socket, public_url: str, announce: Callable[[str], None]):
    import aiohttp_jinja2
    from aiohttp import web

    app = await server._make_app()  # textual-serve's routes: /, /ws, /download/{key}, /static
    app.router.add_static("/fonts", FONTS_DIR, name="fonts")
    aiohttp_jinja2.get_env(app).globals["fonts_url"] = f"{public_url}/fonts/"

    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await web.SockSite(runner, sock).start()
        announce(f"{public_url}/")
        await stop.wait()
    finally:
        left = await server.end_sessions(QUIT_TIMEOUT_S)
        await runner.cleanup()
    if left:
        print(
            f"studyapp serve: {left} app process(es) did not quit within {QUIT_TIMEOUT_S:g} s",
            file=sys.stderr,
        )


def serve(
    sock: socket.socket,
    host: str,
    public_url: str | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the TUI on the bound ``sock`` (see :func:`bind`) until SIGINT/SIGTERM; ``announce``
    gets the URL once it is served. ``public_url`` (no trailing slash) is the address browsers
    use; by default the bound address itself."""
    port = sock.getsockname()[1]
    public_url = public_url or base_url(host, port)
    server = make_server(public_url, host, port)
    asyncio.run(_serve(server, sock, public_url, announce))
