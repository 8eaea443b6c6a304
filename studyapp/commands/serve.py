"""`studyapp serve`: the TUI in a web browser (textual-serve), loopback by default."""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from studyapp.errors import UsageError


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not in 0..65535")
    return port


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "serve",
        help="the same TUI in a web browser (each tab its own session, same data)",
        description="Serve the TUI to web browsers with textual-serve. Every tab runs its own "
        "app over the same data directory. Prints the URL once the port is bound; ctrl+c stops. "
        "There is no authentication: anyone who can reach the address can study (and rate) "
        "with your data, hence loopback only unless --public.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; others need --public)",
    )
    p.add_argument(
        "--port", type=_port, default=8000, help="TCP port (default 8000; 0 picks a free one)"
    )
    p.add_argument(
        "--public",
        action="store_true",
        help="allow a --host other than loopback (no authentication: use on a trusted network)",
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach the server, e.g. http://192.168.1.5:8000 "
        "(needed with --host 0.0.0.0)",
    )


def _public_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--public-url must be an http:// or https:// address, got {text!r}")
    return text.rstrip("/")


def run(args: argparse.Namespace) -> int:
    from studyapp import web

    public_url = _public_url(args.public_url) if args.public_url else None
    if not web.is_loopback(args.host):
        if not args.public:
            raise UsageError(
                f"--host {args.host} is reachable from other machines and there is no "
                "authentication; add --public to serve it anyway"
            )
        if public_url is None and web.is_unspecified(args.host):
            raise UsageError(
                f"--host {args.host} listens on every address; give the one browsers use "
                "with --public-url (e.g. --public-url http://192.168.1.5:8000)"
            )

    # A database that cannot be opened is one line now, not an error in every tab later.
    from studyapp.storage import Storage

    Storage.open().close()

    sock = web.bind(args.host, args.port)
    if not web.is_loopback(args.host):
        print(
            f"studyapp serve: warning: serving on {args.host} without authentication: anyone "
            "who can reach it can use your study data",
            file=sys.stderr,
        )
    web.serve(sock, args.host, public_url, announce=lambda url: print(url, flush=True))
    return 0
