"""Durations and texts as they read on screen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studyapp.core.display import interval_text, shorten


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=40), "40 s"),
        (timedelta(seconds=59.6), "1 min"),
        (timedelta(minutes=10), "10 min"),
        (0.006944444444444444, "10 min"),  # days as a float: what browse used to print raw
        (timedelta(minutes=59, seconds=40), "1 h"),
        (timedelta(hours=1.5), "1.5 h"),
        (timedelta(hours=23, minutes=58), "1 d"),
        (timedelta(days=3), "3 d"),
        (timedelta(days=12.4), "12 d"),
        (timedelta(days=64), "2.1 mo"),
        (timedelta(days=400), "1.1 y"),
        (timedelta(days=-3), "3 d"),
    ],
)
def test_interval_text(delta, text):
    assert interval_text(delta) == text


def test_shorten_marks_every_cut():
    assert shorten("short  text\nhere", 20) == "short text here"
    long = "Which expression is the derivative of the sigmoid function at z"
    cut = shorten(long, 30)
    assert len(cut) == 30 and cut.endswith("…") and long.startswith(cut[:-1])
    assert shorten("word " * 20, 11) == "word word…"
