"""The network diagram and the matrices of the exercise screen (pure text functions)."""

from __future__ import annotations

import numpy as np
import pytest

from engine import exercises
from studyapp.ui.widgets.network_diagram import (
    _conflicts,
    can_draw,
    diagram_text,
    givens_text,
    matrix_block,
)


def test_preset_diagram_shows_units_biases_weights_and_target():
    text = diagram_text(exercises.preset_exercise("seed-2-2-1")).plain
    for piece in ("x₁ 0.5", "x₂ 0.8", "b 0.1", "b 0.2", "b 0.3", "y₁ 1", "z ?", "a ?"):
        assert piece in text, piece
    rows = text.splitlines()
    # every edge ends in an arrow on its own row, labelled with its weight
    arrows = [r for r in rows for _ in range(r.count("▶"))]
    assert len(arrows) == 2 * 2 + 2 * 1
    for w in ("0.2", "0.4", "0.3", "0.7", "0.5", "0.6"):
        assert any(f"{w}──▶" in r or f"{w}─▶" in r or f"{w}───▶" in r for r in rows), w


def test_known_values_fill_the_boxes():
    ex = exercises.preset_exercise("seed-2-2-1")
    text = diagram_text(
        ex,
        {
            "z1": (np.array([0.52, 0.91]), "correct"),
            "a1": (np.array([0.6, 0.713]), ["incorrect", "correct"]),
        },
    )
    plain = text.plain
    assert "z 0.52" in plain and "z 0.91" in plain and "a 0.6" in plain and "a 0.713" in plain
    styles = {str(span.style) for span in text.spans}
    assert "bold red" in styles and "bold green" in styles


@pytest.mark.parametrize(
    "layers",
    [(1, 1, 1), (2, 3, 1), (3, 3, 2), (4, 4, 4), (2, 4, 3, 2), (4, 2, 4, 1), (3, 1, 3, 1, 2)],
)
def test_every_edge_is_drawn_once_without_merged_lines(layers):
    ex = exercises.backprop_exercises(5, layers=layers)[0]
    text = diagram_text(ex).plain
    edges = sum(a * b for a, b in zip(layers, layers[1:], strict=False))
    assert text.count("▶") == edges
    assert text.count("╶ y") == layers[-1]


def test_big_nets_are_not_drawn_but_their_matrices_are():
    ex = exercises.backprop_exercises(5, layers=(2, 5, 1))[0]
    assert not can_draw([2, 5, 1])
    assert diagram_text(ex) is None
    assert "W¹ = ⎡" in givens_text(ex)


def test_matrix_block_and_givens():
    assert matrix_block("W¹", [[0.2, 0.4], [0.3, 0.7]]) == ["W¹ = ⎡0.2  0.4⎤", "     ⎣0.3  0.7⎦"]
    assert matrix_block("b", [0.3]) == ["b = [0.3]"]
    assert matrix_block("L", 0.5) == ["L = 0.5"]
    opt = exercises.optimizer_exercises(2, optimizer="adam")[0]
    text = givens_text(opt)
    assert "θ = " in text and "g = " in text and "m = " in text and f"t = {opt.t}" in text


def test_no_conflicting_rows_in_the_layouts_used():
    from studyapp.ui.widgets.network_diagram import _Unit

    src = [
        _Unit([("x", None)], width=5, height=3, y=0),
        _Unit([("x", None)], width=5, height=3, y=4),
    ]
    dst = [_Unit([("z", None)], width=5, height=4, y=0, in_ports=[5, 1])]
    # target row 5 (from source 0) meets source 1's exit row 5: that would merge two lines
    assert _conflicts(src, dst) == 1


def _width(text) -> int:
    return max(len(line) for line in text.plain.splitlines())


@pytest.mark.parametrize(
    "layers", [(3, 1, 2, 1), (2, 3, 1), (4, 2, 4, 1), (3, 1, 3, 1, 2), (4, 4, 4)]
)
def test_a_narrow_space_gets_the_compact_drawing_with_every_edge(layers):
    ex = exercises.backprop_exercises(1, layers=layers)[0]
    normal = diagram_text(ex)
    narrow = _width(normal) - 1
    compact = diagram_text(ex, width=narrow)
    if compact is None:  # too wide even compact: nothing is drawn cut off
        return
    assert _width(compact) <= narrow < _width(normal)
    edges = sum(a * b for a, b in zip(layers, layers[1:], strict=False))
    assert compact.plain.count("▶") == edges and compact.plain.count("╶y") == layers[-1]
    assert diagram_text(ex, width=_width(normal)).plain == normal.plain  # room: normal spacing


def test_the_3_1_2_1_net_fits_80_columns():
    """It was cut off on the right at 80×24 (95 columns drawn)."""
    ex = exercises.backprop_exercises(1, layers=(3, 1, 2, 1))[0]
    assert _width(diagram_text(ex)) > 80 - 6
    assert _width(diagram_text(ex, width=80 - 6)) <= 80 - 6
    assert diagram_text(ex, width=40) is None


async def test_the_exercise_screen_draws_within_its_width_at_80_columns(make_app):
    from studyapp.ui.screens.exercise import ExerciseScreen
    from studyapp.ui.widgets.network_diagram import NetworkDiagram

    from .conftest import wait_until

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ex = exercises.backprop_exercises(1, layers=(3, 1, 2, 1))[0]
        await app.push_screen(ExerciseScreen(exercise=ex))
        diagram = app.screen.query_one(NetworkDiagram)
        await wait_until(pilot, lambda: diagram.size.width > 0)
        await pilot.pause()
        drawn = max(len(line) for line in str(diagram.render()).splitlines())
        assert "▶" in str(diagram.render())
        assert drawn <= diagram.parent.scrollable_content_region.width <= 80
