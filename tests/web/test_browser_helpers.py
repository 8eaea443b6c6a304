"""The browser test's own rules: it must run under CI, and a user without Chromium is told what
to install; the app's terminal output is read as text."""

import pytest

from tests.web import browser


def test_without_chromium_ci_fails_and_a_user_is_told_what_to_install(monkeypatch):
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"apt-get install chromium\).*CI must run"):
        browser.chromium_or_skip()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"install Debian's chromium package"):
        browser.chromium_or_skip()


def test_screen_text_drops_escape_sequences():
    raw = b"\x1b[?1049h\x1b[1;1H\x1b[38;2;1;2;3mpress \x1b[1mr\x1b[0m to start\x1b]0;t\x07"
    assert browser.screen_text(raw) == "press r to start"
