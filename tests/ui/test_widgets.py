"""Small pure helpers of the UI: math display, intervals, previews, settings parsing, plots."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studyapp.ui.screens.settings import parse_settings
from studyapp.ui.widgets.math_input import render_preview
from studyapp.ui.widgets.math_text import readable
from studyapp.ui.widgets.rating_bar import format_interval


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("δ^L = a − y", "δᴸ = a − y"),
        ("v_t = β v_(t−1)", "vₜ = β vₜ₋₁"),
        ("1/(1 + e^(−z))", "1/(1 + e⁻ᶻ)"),
        ("w_ij ← w_ij − η δ_j", "wᵢⱼ ← wᵢⱼ − η δⱼ"),
        ("leaky_relu and half_sse", "leaky_relu and half_sse"),  # identifiers stay
        ("y^q", "y^q"),  # no unicode superscript q: left as typed
        (None, ""),
    ],
)
def test_readable_plain_scripts(text, shown):
    assert readable(text) == shown


def test_readable_never_shows_latex_commands():
    shown = readable(r"\sigma(z) = \frac{1}{1 + e^{-z}}")
    assert "\\" not in shown and "frac" not in shown and "{" not in shown
    assert "σ" in shown


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=75), "2.5mo"),
        (timedelta(days=730), "2y"),
        (None, "?"),
    ],
)
def test_format_interval(delta, text):
    assert format_interval(delta) == text


def test_preview_renders_math_and_reports_errors():
    shown, ok = render_preview("sigma(z)*(1-sigma(z))")
    assert ok and shown.startswith("= ") and "σ" in shown
    shown, ok = render_preview("(1 + ")
    assert not ok and shown
    assert render_preview("")[1]


def test_parse_settings_validates_each_field():
    assert parse_settings({"desired_retention": "0.85", "new_per_day": "15"}) == {
        "desired_retention": 0.85,
        "new_per_day": 15,
    }
    with pytest.raises(ValueError, match="Desired retention must be between"):
        parse_settings({"desired_retention": "1.2"})
    with pytest.raises(ValueError, match="New cards per day: ten is not a whole number"):
        parse_settings({"new_per_day": "ten"})


def test_function_curves_for_activations_and_losses():
    from studyapp.ui.widgets.function_plot import sample_curve

    class E:
        def __init__(self, id, topic, name, fields=None):
            self.id, self.topic, self.name, self.fields = id, topic, name, fields or {}

    sig = sample_curve(E("act.sigmoid", "activations", "Sigmoid"))
    assert sig is not None and len(sig.x) == len(sig.y) == len(sig.dy)
    mid = len(sig.x) // 2  # z = 0
    assert sig.y[mid] == pytest.approx(0.5) and sig.dy[mid] == pytest.approx(0.25)
    mse = sample_curve(E("loss.mse", "losses", "MSE"))
    assert mse is not None and min(mse.y) >= 0
    assert sample_curve(E("act.softmax", "activations", "Softmax")) is None
