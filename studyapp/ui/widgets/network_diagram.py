"""A small feed-forward network drawn with box-drawing characters, and the given values as matrices.

Units are boxes with their values (x; for layers 1..L the bias b in the top border, then z and a,
which show the user's answers as they are given, ``?`` before); every edge is a line from its source unit to its own input row of the
target unit, labelled with its weight W^m[j][k]. Lines never merge: each source unit has its own
vertical lane, a crossing is drawn ``┼`` and a connection ``├ ┤ ┌ └ ┐ ┘``.

Only small nets are drawn (≤ 4 units per layer, ≤ 5 layers); the matrices are shown for any size.
A drawing wider than the space it has is laid out compact (no padding in the boxes, lanes one
cell apart); one still too wide is not drawn (a 3-1-2-1 net fits 80 columns compact). The pure
functions (``diagram_text``, ``givens_text``) are what the widgets display.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual.widgets import Static

from engine.exercise_types import BackpropExercise, Exercise, OptimizerExercise
from studyapp.core.exercise import StepStatus, fmt_number
from studyapp.core.mathtext import to_subscript
from studyapp.core.notation import quantity_symbol, sup
from studyapp.core.worked import matrix_lines

MAX_UNITS = 4
MAX_LAYERS = 5


# Direction bits of a line cell -> box-drawing character.
UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
_LINE = {
    0: " ",
    UP: "│",
    DOWN: "│",
    UP | DOWN: "│",
    LEFT: "─",
    RIGHT: "─",
    LEFT | RIGHT: "─",
    DOWN | RIGHT: "┌",
    DOWN | LEFT: "┐",
    UP | RIGHT: "└",
    UP | LEFT: "┘",
    UP | DOWN | RIGHT: "├",
    UP | DOWN | LEFT: "┤",
    DOWN | LEFT | RIGHT: "┬",
    UP | LEFT | RIGHT: "┴",
    UP | DOWN | LEFT | RIGHT: "┼",
}

# Colours of edges, weight labels and targets; the light palette keeps them readable on white.
PALETTES = {
    "dark": {"edge": "cyan", "weight": "bold yellow", "target": "magenta"},
    "light": {"edge": "blue", "weight": "bold dark_orange3", "target": "magenta"},
}

STATUS_STYLE: dict[str | None, str] = {
    StepStatus.CORRECT: "bold green",
    StepStatus.CORRECT_GIVEN_EARLIER: "green",
    StepStatus.INCORRECT: "bold red",
    StepStatus.REVEALED: "yellow",
    None: "dim",
}


def sub(n: int) -> str:
    return to_subscript(str(n)) or str(n)


def num(value: float, digits: int = 3) -> str:
    """Short number for a box or an edge label: ``0.627``, ``-0.05``, ``12.3``."""
    return fmt_number(value, digits)


@dataclass(frozen=True)
class Spacing:
    """Blank cells of a layout: ``pad`` each side of a box's text, ``lane`` from one source's
    vertical lane to the next, ``label`` around a weight label (in all)."""

    pad: int
    lane: int
    label: int


NORMAL = Spacing(pad=1, lane=2, label=2)
COMPACT = Spacing(pad=0, lane=1, label=0)


class _Canvas:
    """A character grid with line-direction bits, text cells and styles."""

    def __init__(self, width: int, height: int):
        self.w, self.h = width, height
        self.lines = [[0] * width for _ in range(height)]
        self.text: list[list[str | None]] = [[None] * width for _ in range(height)]
        self.style: list[list[str | None]] = [[None] * width for _ in range(height)]

    def line_h(self, y: int, x0: int, x1: int, style: str | None = None) -> None:
        """Horizontal segment between x0 and x1 inclusive; its ends connect only inward."""
        lo, hi = min(x0, x1), max(x0, x1)
        for x in range(lo, hi + 1):
            if x > lo:
                self.lines[y][x] |= LEFT
            if x < hi:
                self.lines[y][x] |= RIGHT
            if style and self.style[y][x] is None:
                self.style[y][x] = style

    def line_v(self, x: int, y0: int, y1: int, style: str | None = None) -> None:
        lo, hi = min(y0, y1), max(y0, y1)
        for y in range(lo, hi + 1):
            if y > lo:
                self.lines[y][x] |= UP
            if y < hi:
                self.lines[y][x] |= DOWN
            if style and self.style[y][x] is None:
                self.style[y][x] = style

    def put(self, y: int, x: int, s: str, style: str | None = None) -> None:
        for i, ch in enumerate(s):
            if 0 <= x + i < self.w:
                self.text[y][x + i] = ch
                self.style[y][x + i] = style

    def box(self, y: int, x: int, w: int, h: int, style: str | None = None) -> None:
        self.put(y, x, "┌" + "─" * (w - 2) + "┐", style)
        for r in range(1, h - 1):
            self.put(y + r, x, "│", style)
            self.put(y + r, x + w - 1, "│", style)
            self.put(y + r, x + 1, " " * (w - 2))
        self.put(y + h - 1, x, "└" + "─" * (w - 2) + "┘", style)

    def render(self) -> Text:
        out = Text()
        for y in range(self.h):
            row_chars = []
            for x in range(self.w):
                t = self.text[y][x]
                row_chars.append(t if t is not None else _LINE.get(self.lines[y][x], "┼"))
            line = "".join(row_chars).rstrip()
            start = len(out)
            out.append(line)
            for x in range(len(line)):
                style = self.style[y][x]
                if style:
                    out.stylize(style, start + x, start + x + 1)
            if y < self.h - 1:
                out.append("\n")
        return out


@dataclass
class _Unit:
    rows: list[tuple[str, str | None]]  # (text, style) per content row
    title: str = ""  # written into the top border (the bias), saves a row per unit
    width: int = 0
    height: int = 0
    x: int = 0
    y: int = 0
    in_ports: list[int] | None = None  # absolute rows where the edges from each source arrive

    @property
    def out_row(self) -> int:
        return self.y + self.height // 2


#: step key (``z1``, ``a2`` …) -> (the user's value, its status or one status per unit)
Known = Mapping[str, tuple[np.ndarray, str | Sequence[str]]]


def can_draw(layers: list[int]) -> bool:
    return len(layers) <= MAX_LAYERS and max(layers) <= MAX_UNITS


def diagram_text(
    ex: BackpropExercise,
    known: Known | None = None,
    palette: str = "dark",
    width: int | None = None,
) -> Text | None:
    """The network of a backprop exercise as styled text, or None when it is too big to draw:
    more than :data:`MAX_UNITS` units or :data:`MAX_LAYERS` layers, or wider than ``width``
    cells even laid out :data:`COMPACT` (None: any width, normal spacing).

    ``known`` maps a step key (``z1``, ``a2`` …) to (value shape (N^m,), status) for the values the
    user has given so far — one ``StepStatus`` (correct, correct_given_earlier, incorrect, revealed)
    or one per unit; they appear in the unit boxes in the status colour, ``?`` otherwise.
    """
    layers = [len(ex.x)] + [len(b) for b in ex.biases]
    if not can_draw(layers):
        return None
    for spacing in (NORMAL, COMPACT):
        drawn = _draw(ex, known or {}, palette, layers, spacing)
        if width is None or max(len(line) for line in drawn.plain.splitlines()) <= width:
            return drawn
    return None


def _draw(
    ex: BackpropExercise, known: Known, palette: str, layers: list[int], spacing: Spacing
) -> Text:
    colours = PALETTES.get(palette, PALETTES["dark"])
    columns = _unit_columns(ex, known, spacing)
    labels = [[[num(w) for w in row] for row in W] for W in ex.weights]
    label_w = [max(len(s) for row in lab for s in row) + spacing.label for lab in labels]
    right = _place_x(columns, layers, label_w, spacing)
    width = right + max(len(_target_label(j, t, spacing)) for j, t in enumerate(ex.target))
    canvas = _Canvas(width, _place_y(columns, layers))
    for c in range(len(columns) - 1):
        _draw_edges(canvas, columns[c], columns[c + 1], labels[c], label_w[c], colours, spacing)
    _draw_units(canvas, columns, ex.target, colours, spacing)
    # layer titles along the top row are left to the caller (givens_text names the layers)
    return canvas.render()


def _unit_rows(known: Known, m: int, j: int) -> list[tuple[str, str | None]]:
    """The z and a rows of unit j of layer m: the user's value in its status colour, or ``?``."""
    rows: list[tuple[str, str | None]] = []
    for name in ("z", "a"):
        entry = known.get(f"{name}{m}")
        if entry is None:
            rows.append((f"{name} ?", "dim"))
            continue
        value, status = entry
        if not isinstance(status, str):  # one status per unit
            status = list(status)[j]
        text = f"{name} {num(np.asarray(value).reshape(-1)[j])}"
        rows.append((text, STATUS_STYLE.get(status, "")))
    return rows


def _unit_columns(ex: BackpropExercise, known: Known, spacing: Spacing) -> list[list[_Unit]]:
    """One column of boxes per layer: the inputs x, then for m = 1..L the units with their bias
    in the top border and their z and a rows; sized to their contents and ``spacing.pad``."""
    columns = [[_Unit([(f"x{sub(k + 1)} {num(v)}", "bold")]) for k, v in enumerate(ex.x)]]
    for m, biases in enumerate(ex.biases, start=1):
        columns.append(
            [_Unit(_unit_rows(known, m, j), title=f"b {num(b)}") for j, b in enumerate(biases)]
        )
    for c, col in enumerate(columns):
        n_in = len(columns[c - 1]) if c else 0
        text = max(max(max(len(t) for t, _ in u.rows), len(u.title)) for u in col)
        for u in col:
            u.width = text + 2 * spacing.pad + 2
            u.height = max(len(u.rows), n_in) + 2
    return columns


def _place_x(
    columns: list[list[_Unit]], layers: list[int], label_w: list[int], spacing: Spacing
) -> int:
    """x of every column: its boxes, then lanes (``spacing.lane`` cells per source), the label,
    the arrow. Returns the first cell right of the last column."""
    x = 0
    for c, col in enumerate(columns):
        for u in col:
            u.x = x
        x += col[0].width
        if c < len(columns) - 1:
            x += 1 + spacing.lane * layers[c] + label_w[c] + 2
    return x


def _place_column(column: list[_Unit], n_in: int, top: int) -> None:
    """Stack a column's boxes from row ``top``, each with its input rows (one per source)."""
    y = top
    for u in column:
        u.y = y
        if n_in:
            inner = u.height - 2
            u.in_ports = [y + 1 + inner // 2] if n_in == 1 else [y + 1 + k for k in range(n_in)]
        y += u.height + 1


def _place_y(columns: list[list[_Unit]], layers: list[int]) -> int:
    """Centre each column, then nudge it so that no source row meets a target input row in the
    lane area (a shared row would look like a connection). Returns the height of the drawing."""
    heights = [sum(u.height for u in col) + len(col) - 1 for col in columns]
    tallest = max(heights)
    _place_column(columns[0], 0, (tallest - heights[0]) // 2 + 3)
    for c in range(1, len(columns)):
        base = (tallest - heights[c]) // 2 + 3
        best: tuple[float, int] = (float("inf"), 0)
        for shift in (0, 1, -1, 2, -2, 3, -3):
            _place_column(columns[c], layers[c - 1], base + shift)
            bad = _conflicts(columns[c - 1], columns[c])
            best = min(best, (bad, shift), key=lambda pair: pair[0])
            if bad == 0:
                break
        _place_column(columns[c], layers[c - 1], base + best[1])
    top = min(u.y for col in columns for u in col)
    bottom = max(u.y + u.height for col in columns for u in col)
    for col in columns:
        for u in col:
            u.y -= top
            if u.in_ports:
                u.in_ports = [p - top for p in u.in_ports]
    return bottom - top


def _draw_edges(
    canvas: _Canvas,
    src: list[_Unit],
    dst: list[_Unit],
    labels: list[list[str]],
    label_w: int,
    colours: dict[str, str],
    spacing: Spacing,
) -> None:
    """Every edge from the source column to the target column: out of its source along the
    source's own lane, into its own input row of the target, labelled with its weight."""
    edge = colours["edge"]
    x_r = src[0].x + src[0].width  # first cell right of the source boxes
    lane = [x_r + 1 + spacing.lane * k for k in range(len(src))]
    x_t = dst[0].x
    for k, s in enumerate(src):
        ports = [d.in_ports[k] for d in dst if d.in_ports]
        rows = [s.out_row, *ports]
        canvas.line_h(s.out_row, x_r, lane[k], edge)
        canvas.line_v(lane[k], min(rows), max(rows), edge)
        for j, y in enumerate(ports):
            canvas.line_h(y, lane[k], x_t - 1, edge)
            label = labels[j][k]
            at = lane[-1] + spacing.lane + (label_w - len(label)) // 2
            canvas.put(y, at, label, colours["weight"])
            canvas.put(y, x_t - 1, "▶", edge)


def _draw_units(
    canvas: _Canvas,
    columns: list[list[_Unit]],
    target,
    colours: dict[str, str],
    spacing: Spacing,
) -> None:
    """The boxes with their titles and rows, the outputs' exits and the targets beside them."""
    last = len(columns) - 1
    gap = " " * spacing.pad
    for c, col in enumerate(columns):
        for u in col:
            canvas.box(u.y, u.x, u.width, u.height, "bold" if c in (0, last) else None)
            if u.title:
                canvas.put(u.y, u.x + 1, f"{gap}{u.title}{gap}")
            for r, (t, style) in enumerate(u.rows):
                canvas.put(u.y + 1 + r, u.x + 1 + spacing.pad, t, style)
            if c < last:
                canvas.put(u.out_row, u.x + u.width - 1, "├")
    for j, u in enumerate(columns[-1]):
        canvas.put(
            u.out_row, u.x + u.width, _target_label(j, target[j], spacing), colours["target"]
        )


def _target_label(j: int, value: float, spacing: Spacing) -> str:
    """The target beside output unit j: ``╶ y₁ 0.95`` (compact ``╶y₁ 0.95``)."""
    return f"╶{' ' * spacing.pad}y{sub(j + 1)} {num(value)}"


def _conflicts(src: list[_Unit], dst: list[_Unit]) -> int:
    """How many rows carry both a source's exit line and a target input line that could touch."""
    n = len(src)
    bad = 0
    for k2, s in enumerate(src):
        for d in dst:
            for k, y in enumerate(d.in_ports or []):
                # the target line for source k starts at lane k; the exit line of source k2 ends at
                # lane k2: they share cells on one row when k < k2 (k == k2 is the same source).
                if y == s.out_row and k < k2 < n:
                    bad += 1
    return bad


def matrix_block(name: str, value, digits: int = 4) -> list[str]:
    """``name = ⎡…⎤`` as text lines; vectors are drawn as columns (the notes' convention)."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return [f"{name} = {num(float(arr), digits)}"]
    rows = arr[:, None] if arr.ndim == 1 else arr
    block = matrix_lines(rows.tolist(), lambda v: num(v, digits))
    head = f"{name} = "
    return [head + block[0], *(" " * len(head) + line for line in block[1:])]


def side_by_side(blocks: list[list[str]], gap: int = 3, width: int = 76) -> list[str]:
    """Blocks of lines placed left to right, wrapping to a new band when ``width`` is reached."""
    bands: list[list[list[str]]] = [[]]
    used = 0
    for block in blocks:
        w = max(len(s) for s in block)
        if bands[-1] and used + gap + w > width:
            bands.append([])
            used = 0
        bands[-1].append(block)
        used += (gap if used else 0) + w
    lines: list[str] = []
    for band in bands:
        h = max(len(b) for b in band)
        for r in range(h):
            parts = []
            for b in band:
                w = max(len(s) for s in b)
                parts.append((b[r] if r < len(b) else "").ljust(w))
            lines.append((" " * gap).join(parts).rstrip())
    return lines


def givens_text(ex: Exercise, width: int = 76) -> str:
    """The given values of an exercise (backprop: x, y, W^m, b^m; optimizer: θ, g, state) as matrices."""
    if isinstance(ex, OptimizerExercise):
        blocks = [matrix_block("θ", ex.params), matrix_block("g", ex.grad)]
        for key, val in ex.state.items():
            blocks.append(matrix_block(quantity_symbol(key), val))
        hyper = ", ".join(f"{k} = {num(v, 4)}" for k, v in ex.hyperparameters.items())
        return "\n".join(side_by_side(blocks, width=width) + [f"t = {ex.t}   {hyper}"])
    blocks = [matrix_block("x", ex.x), matrix_block("y", ex.target)]
    for m, (W, b) in enumerate(zip(ex.weights, ex.biases, strict=True), start=1):
        blocks.append(matrix_block(f"W{sup(m)}", W))
        blocks.append(matrix_block(f"b{sup(m)}", b))
    return "\n".join(side_by_side(blocks, width=width))


class NetworkDiagram(Static):
    """Shows :func:`diagram_text` for an exercise, laid out for the width of its container;
    ``show(ex, known)`` draws it, ``redraw()`` again (after a resize)."""

    DEFAULT_CSS = """
    NetworkDiagram {
        width: auto;
        height: auto;
    }
    """

    _shown: tuple[Exercise, Known | None] | None = None

    def show(self, ex: Exercise, known: Known | None = None) -> None:
        self._shown = (ex, known)
        self.redraw()

    def available_width(self) -> int:
        """Cells the drawing may take: its container's width once laid out, else the screen's
        (less the screen's padding and a scrollbar)."""
        container = self.parent
        width = getattr(getattr(container, "scrollable_content_region", None), "width", 0)
        return width or max(self.app.size.width - 4, 20)

    def redraw(self) -> None:
        if self._shown is None:
            return
        ex, known = self._shown
        if isinstance(ex, OptimizerExercise):
            self.update("")
            self.display = False
            return
        dark = getattr(getattr(self.app, "current_theme", None), "dark", True)
        width = self.available_width()
        text = diagram_text(ex, known, palette="dark" if dark else "light", width=width)
        self.display = True
        if text is not None:
            self.update(text)
        elif not can_draw([len(ex.x)] + [len(b) for b in ex.biases]):
            self.update(
                Text("(the network is too large to draw: the matrices below give it)", style="dim")
            )
        else:
            self.update(
                Text(
                    f"(the network needs more than {width} columns to draw: the matrices below "
                    "give it, and a wider terminal shows the drawing)",
                    style="dim",
                )
            )
