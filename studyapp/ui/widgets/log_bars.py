"""Horizontal bars on a log scale: per-layer gradient norms, so that a layer whose gradient is
10⁻⁵ of the next one's (vanishing gradients) shows at a glance.

The axis is fixed (10⁻⁸ … 10¹) so bars can be compared from frame to frame and run to run; each
bar is coloured by how small it is next to the largest one (under 10⁻³ of it: vanishing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

#: The axis: 10^LOW_EXP … 10^HIGH_EXP.
LOW_EXP, HIGH_EXP = -8, 1
#: Eighth blocks, for bar ends finer than a cell.
_EIGHTHS = " ▏▎▍▌▋▊▉"
#: Below these shares of the largest bar, a bar is drawn as "small" or "vanishing".
SMALL, VANISHING = 1e-1, 1e-3


def bar_fraction(value: float) -> float:
    """Where ``value`` sits on the axis, in [0, 1] (0 for zero, negative or non-finite)."""
    if not (math.isfinite(value) and value > 0):
        return 0.0
    return min(1.0, max(0.0, (math.log10(value) - LOW_EXP) / (HIGH_EXP - LOW_EXP)))


def bar_text(fraction: float, width: int) -> str:
    """A bar of ``fraction`` × ``width`` cells, its end in eighths of a cell."""
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[rest] if rest else "")).ljust(width)


def format_value(value: float) -> str:
    """Short scientific notation (``3.2e-05``), ``0`` or ``nan``/``inf``."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else "inf"
    return "0" if value == 0 else f"{value:.1e}"


class LogBars(Widget):
    """One labelled bar per value; ``show(labels, values)`` replaces them."""

    COMPONENT_CLASSES = {"log-bars--ok", "log-bars--small", "log-bars--vanishing", "log-bars--axis"}

    DEFAULT_CSS = """
    LogBars {
        height: auto;
        width: 1fr;
    }
    LogBars > .log-bars--ok { color: $success; }
    LogBars > .log-bars--small { color: $warning; }
    LogBars > .log-bars--vanishing { color: $error; }
    LogBars > .log-bars--axis { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.labels: list[str] = []
        self.values: list[float] = []

    def show(self, labels: Sequence[str], values: Sequence[float]) -> None:
        size_changed = len(labels) != len(self.labels)
        self.labels, self.values = list(labels), [float(v) for v in values]
        self.refresh(layout=size_changed)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.values) + 1  # a bar per value and the axis

    def render(self) -> Text:
        label_width = max((len(label) for label in self.labels), default=0)
        prefix = label_width + 9  # label, a space, the value (7) and a space
        bar_width = max(4, self.size.width - prefix)
        finite = [v for v in self.values if math.isfinite(v) and v > 0]
        largest = max(finite, default=0.0)
        text = Text(no_wrap=True, overflow="crop")
        for label, value in zip(self.labels, self.values, strict=True):
            share = value / largest if largest and math.isfinite(value) else 0.0
            kind = "ok" if share >= SMALL else "small" if share >= VANISHING else "vanishing"
            style = self.get_component_rich_style(f"log-bars--{kind}")
            text.append(f"{label:<{label_width}} {format_value(value):>7} ")
            text.append(bar_text(bar_fraction(value), bar_width), style)
            text.append("\n")
        text.append(
            " " * prefix + self._axis(bar_width), self.get_component_rich_style("log-bars--axis")
        )
        return text

    @staticmethod
    def _axis(width: int) -> str:
        """Decade labels (1e-8 … 1) under the bars, as many as fit without touching."""
        cells = [" "] * width
        step = 2 if width >= 24 else 4
        for exp in range(LOW_EXP, HIGH_EXP + 1, step):
            label = "1" if exp == 0 else f"1e{exp}"
            at = round((exp - LOW_EXP) / (HIGH_EXP - LOW_EXP) * (width - 1))
            start = min(at, width - len(label))
            if all(c == " " for c in cells[max(0, start - 1) : start + len(label) + 1]):
                cells[start : start + len(label)] = label
        return "".join(cells)
