"""A line plot of one series (a loss curve), redrawn cheaply many times a second."""

from __future__ import annotations

import math
from collections.abc import Sequence

from textual_plotext import PlotextPlot


def log_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Ticks for a log10 axis spanning log10 values ``low`` … ``high``: every decade, plus 3s
    (or 2s, 3s and 5s) between them when the span is short; labels like ``1e-3``, ``3e-2``, ``1``."""
    span = high - low
    mantissas = (1,) if span >= 2 else (1, 3) if span >= 1 else (1, 2, 3, 5)
    ticks: list[float] = []
    for exp in range(math.floor(low), math.ceil(high) + 1):
        for mantissa in mantissas:
            value = exp + math.log10(mantissa)
            if low - 1e-9 <= value <= high + 1e-9:
                ticks.append(value)
    labels = []
    for value in ticks:
        exp = math.floor(value + 1e-9)
        mantissa = round(10 ** (value - exp))
        labels.append(str(mantissa) if exp == 0 else f"{mantissa}e{exp}")
    return ticks, labels


def step_ticks(high: float, count: int = 4) -> list[float]:
    """About ``count`` round whole numbers from 0 to ``high`` (1, 2 or 5 × 10ᵏ apart), for an
    axis of steps (ints, in the ``list[float]`` that plotext's ticks take)."""
    rough = max(1.0, high / count)
    base = 10 ** math.floor(math.log10(rough))
    spacing = next(m * base for m in (1, 2, 5, 10) if m * base >= rough)
    return [int(i * spacing) for i in range(int(high // spacing) + 1)]


class SeriesPlot(PlotextPlot):
    """``show(x, y)`` plots y against x, on a log y axis when ``log_y``; points that cannot be
    drawn there (non-finite, or ≤ 0 on a log axis) are left out.

    The log axis is drawn by plotting log10(y) with decade labels, rather than with plotext's
    own log scale, which applies the logarithm again on every render.
    """

    def __init__(
        self, title: str = "", log_y: bool = True, *, id: str | None = None, classes=None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.title = title
        self.log_y = log_y
        self.x: list[float] = []
        self.y: list[float] = []

    def on_mount(self) -> None:
        super().on_mount()
        self.show(self.x, self.y)

    def show(self, x: Sequence[float], y: Sequence[float]) -> None:
        pairs = [
            (a, b)
            for a, b in zip(x, y, strict=True)
            if math.isfinite(b) and (b > 0 or not self.log_y)
        ]
        self.x = [a for a, _ in pairs]
        self.y = [b for _, b in pairs]
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(self.title)
        if self.x:
            ys = [math.log10(b) for b in self.y] if self.log_y else self.y
            plt.plot(self.x, ys, marker="braille")
            plt.xticks(step_ticks(max(self.x)))
            if self.log_y:
                low, high = min(ys), max(ys)
                if high - low < 0.3:  # a flat curve: show the decade around it
                    low, high = math.floor(low), math.ceil(high + 1e-9)
                plt.ylim(low, high)
                plt.yticks(*log_ticks(low, high))
        self.refresh()
