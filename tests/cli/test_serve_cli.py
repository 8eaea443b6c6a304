"""`studyapp serve` without a browser: its errors, its host rules, its page and its stop.

The end-to-end test in a real Chromium is tests/web/test_serve_browser.py.
"""

from __future__ import annotations

import re
import socket
import urllib.request

import pytest

from studyapp import cli, web
from tests.web.browser import Served


def test_port_in_use_is_one_line_exit_2(cli):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        out = cli("serve", "--port", str(port), timeout=30)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1
    assert f"cannot listen on 127.0.0.1:{port}: the port is already in use" in out.stderr


def exit_code(args: list[str]) -> int:
    """``studyapp ARGS`` in this process: its exit code (argparse's errors exit)."""
    try:
        return cli.main(args)
    except SystemExit as exc:
        return exc.code


@pytest.mark.parametrize(
    "args, says",
    [
        (["--host", "192.0.2.7"], "no authentication; add --public"),
        (["--host", "0.0.0.0", "--public"], "give the one browsers use with --public-url"),
        (["--port", "70000"], "port 70000 is not in 0..65535"),
        (["--port", "http"], "not a port number: 'http'"),
        (["--public-url", "192.0.2.7:8000"], "--public-url must be an http:// or https://"),
    ],
)
def test_bad_options_are_one_line_exit_2(args, says, capsys):
    assert exit_code(["serve", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and says in err, err


@pytest.mark.parametrize(
    "host, public, warned",
    [
        ("127.0.0.2", [], False),
        ("::1", [], False),
        ("localhost", [], False),
        ("192.0.2.7", ["--public"], True),
    ],
)
def test_loopback_serves_quietly_and_another_host_warns(host, public, warned, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(web, "bind", lambda h, p: calls.append(("bind", h, p)) or "sock")
    monkeypatch.setattr(web, "serve", lambda *a, **k: calls.append(("serve", *a)))
    assert cli.main(["serve", "--host", host, "--port", "0", *public]) == 0
    assert calls == [("bind", host, 0), ("serve", "sock", host, None)]
    err = capsys.readouterr().err
    if warned:
        assert err.count("\n") == 1
        assert f"warning: serving on {host} without authentication" in err
    else:
        assert err == ""


def test_public_url_is_what_browsers_are_given(monkeypatch):
    calls = []
    monkeypatch.setattr(web, "bind", lambda h, p: "sock")
    monkeypatch.setattr(web, "serve", lambda *a, **k: calls.append(a))
    args = ["--host", "0.0.0.0", "--public", "--public-url", "http://192.0.2.7:8000/"]
    assert cli.main(["serve", *args]) == 0
    assert calls == [("sock", "0.0.0.0", "http://192.0.2.7:8000")]


def test_page_loads_only_from_the_serve_address_and_ctrl_c_stops_cleanly():
    served = Served()
    try:
        page = urllib.request.urlopen(served.url, timeout=10).read().decode()
        assert 'href="https://' not in page and "googleapis" not in page
        links = re.findall(r'(?:src|href)="([^"]+)"|url\("([^"]+)"\)', page)
        urls = [a or b for a, b in links]
        assert urls and all(u.startswith(served.origin + "/") or u == "data:," for u in urls), urls
        socket_url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)
        assert socket_url == f"ws://{served.origin.removeprefix('http://')}/ws"
        for url in urls:
            if url.startswith("http"):
                with urllib.request.urlopen(url, timeout=10) as response:
                    assert response.status == 200 and response.read(), url
    finally:
        code, out, err = served.stop()
    assert (code, out, err) == (0, "", "")
