"""A picture drawn with half blocks: two pixels per terminal cell, one above the other.

Each cell shows ``▀`` with the upper pixel as its foreground colour and the lower pixel as its
background, so an RGB image of 2H × W pixels fills H rows and W columns, and since a cell is about
twice as tall as it is wide, the pixels are about square. Only colours and one character are used,
so it looks the same in a terminal and in the browser view.

:func:`half_block_strips` turns an image into Textual strips; it is pure (no widget, no app) and
may run on a worker thread, so the UI thread only hands ready strips to :class:`HalfBlockImage`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

UPPER_HALF = "▀"
#: Styles by packed (top, bottom) colour; images use few distinct colours, so this stays small.
_STYLES: dict[int, Style] = {}
_MAX_STYLES = 8192


@dataclass(frozen=True)
class Mark:
    """A character drawn in cell (row, col) instead of its two pixels, in colour ``rgb`` on
    ``background`` (default: the mean colour of the two pixels it covers), e.g. a path's head."""

    row: int
    col: int
    char: str
    rgb: tuple[int, int, int]
    background: tuple[int, int, int] | None = None


def _style(key: int) -> Style:
    style = _STYLES.get(key)
    if style is None:
        if len(_STYLES) >= _MAX_STYLES:
            _STYLES.clear()
        top, bottom = key >> 24, key & 0xFFFFFF
        style = Style(
            color=Color.from_rgb(top >> 16, (top >> 8) & 255, top & 255),
            bgcolor=Color.from_rgb(bottom >> 16, (bottom >> 8) & 255, bottom & 255),
        )
        _STYLES[key] = style
    return style


def half_block_strips(rgb: np.ndarray, marks: Iterable[Mark] = ()) -> list[Strip]:
    """Strips for an image ``rgb`` of shape (2H, W, 3), uint8, row 0 at the top: H strips of W
    cells. Runs of equal cells become one segment. ``marks`` outside the image are ignored."""
    pixels = np.asarray(rgb, dtype=np.int64)
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.shape[0] % 2:
        raise ValueError(f"expected an image of shape (2H, W, 3), got {pixels.shape}")
    packed = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
    keys = (packed[0::2] << 24) | packed[1::2]  # (H, W): top and bottom colour of each cell
    rows, width = keys.shape
    by_row: dict[int, dict[int, Mark]] = {}
    for mark in marks:
        if 0 <= mark.row < rows and 0 <= mark.col < width:
            by_row.setdefault(mark.row, {})[mark.col] = mark
    strips = []
    for y in range(rows):
        row = keys[y]
        row_marks = by_row.get(y, {})
        cuts = set((np.flatnonzero(row[1:] != row[:-1]) + 1).tolist())
        for col in row_marks:
            cuts.update((col, col + 1))
        edges = [0, *sorted(c for c in cuts if 0 < c < width), width]
        segments = []
        for start, end in zip(edges, edges[1:], strict=False):
            mark_here = row_marks.get(start)
            if mark_here is None:
                segments.append(Segment(UPPER_HALF * (end - start), _style(int(row[start]))))
            else:
                cell = pixels[2 * y : 2 * y + 2, start]
                segments.append(Segment(mark_here.char, _mark_style(mark_here, cell)))
        strips.append(Strip(segments, width))
    return strips


def _mark_style(mark: Mark, cell: np.ndarray) -> Style:
    background = mark.background or tuple(int(v) for v in cell.mean(axis=0))
    return Style(color=Color.from_rgb(*mark.rgb), bgcolor=Color.from_rgb(*background), bold=True)


def fit_size(width: int, height: int, aspect: float) -> tuple[int, int]:
    """The largest image of ``aspect`` (width / height, both in pixels) that fits in
    ``width`` × ``height`` pixels, with an even height (whole cells)."""
    if width * 1.0 / max(1, height) > aspect:
        width = max(2, round(height * aspect))
    else:
        height = max(2, round(width / aspect))
    return width, max(2, height - height % 2)


class HalfBlockImage(Widget):
    """Shows strips made by :func:`half_block_strips`, centred; the cells around stay blank.

    Whoever computes the image reads :attr:`pixel_size` (width, height in pixels available);
    the widget posts :class:`HalfBlockImage.Resized` when it changes, so a paused view can
    redraw at the new size.
    """

    DEFAULT_CSS = """
    HalfBlockImage {
        width: 1fr;
        height: 1fr;
    }
    """

    class Resized(Message):
        """The widget's pixel size changed (``image`` is the widget)."""

        def __init__(self, image: HalfBlockImage) -> None:
            super().__init__()
            self.image = image

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._strips: list[Strip] = []
        self._posted_size: tuple[int, int] | None = None

    @property
    def pixel_size(self) -> tuple[int, int]:
        """(width, height) of the image this widget shows in full, in pixels (height = 2 × rows)."""
        return self.size.width, 2 * self.size.height

    def show(self, strips: list[Strip]) -> None:
        self._strips = strips
        self.refresh()

    def on_resize(self) -> None:
        if self.pixel_size != self._posted_size and self.size.width and self.size.height:
            self._posted_size = self.pixel_size
            self.post_message(self.Resized(self))

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self.rich_style
        row = y - max(0, (self.size.height - len(self._strips)) // 2)
        if not 0 <= row < len(self._strips):
            return Strip.blank(width, style)
        strip = self._strips[row]
        left = max(0, (width - strip.cell_length) // 2)
        if left:
            strip = Strip([Segment(" " * left, style), *strip], left + strip.cell_length)
        return strip.crop_extend(0, width, style)
