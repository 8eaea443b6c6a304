"""The playground's parts without the screen: pictures (half blocks, heatmap, contours, paths),
log bars and ticks, the live loop and its frame counter, the runs' histories and speeds."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from studyapp.ui.live import FrameCounter, LiveLoop
from studyapp.ui.screens.playground_runs import SPEEDS, History, RaceRun, TrainRun, next_speed
from studyapp.ui.widgets.contour import OPTIMIZER_RGB, contour_image, draw_paths, path_pixels
from studyapp.ui.widgets.half_block import Mark, fit_size, half_block_strips
from studyapp.ui.widgets.heatmap import POINT_RGB, SURE_RGB, decision_image
from studyapp.ui.widgets.log_bars import bar_fraction, bar_text
from studyapp.ui.widgets.series_plot import log_ticks, step_ticks


def _cells(strip):
    """(character, foreground rgb, background rgb) of every cell of a strip."""
    out = []
    for segment in strip:
        fg, bg = segment.style.color.triplet, segment.style.bgcolor.triplet
        out += [(ch, tuple(fg), tuple(bg)) for ch in segment.text]
    return out


def test_half_blocks_put_two_pixel_rows_in_a_cell_and_merge_runs():
    image = np.zeros((4, 3, 3), dtype=np.uint8)
    image[0] = (255, 0, 0)  # row 0: red on top of cell row 0
    image[1, :2] = (0, 0, 255)  # row 1: blue under the first two cells, black under the last
    image[2:] = (0, 255, 0)
    strips = half_block_strips(image)
    assert len(strips) == 2 and all(s.cell_length == 3 for s in strips)
    assert _cells(strips[0]) == [
        ("▀", (255, 0, 0), (0, 0, 255)),
        ("▀", (255, 0, 0), (0, 0, 255)),
        ("▀", (255, 0, 0), (0, 0, 0)),
    ]
    assert len(list(strips[0])) == 2  # the two equal cells are one segment
    assert len(list(strips[1])) == 1


def test_marks_replace_their_cell_and_ignore_the_outside():
    image = np.full((2, 4, 3), 100, dtype=np.uint8)
    marks = [Mark(0, 2, "●", (1, 2, 3)), Mark(5, 0, "x", (9, 9, 9)), Mark(0, -1, "x", (9, 9, 9))]
    cells = _cells(half_block_strips(image, marks)[0])
    assert [c[0] for c in cells] == ["▀", "▀", "●", "▀"]
    assert cells[2][1:] == ((1, 2, 3), (100, 100, 100))


def test_half_blocks_reject_an_odd_number_of_rows():
    with pytest.raises(ValueError, match="2H, W, 3"):
        half_block_strips(np.zeros((3, 2, 3), dtype=np.uint8))


@pytest.mark.parametrize(
    ("space", "aspect", "fitted"),
    [((40, 30), 1.0, (30, 30)), ((40, 30), 2.0, (40, 20)), ((10, 40), 1.0, (10, 10))],
)
def test_fit_size_keeps_the_aspect_with_whole_cells(space, aspect, fitted):
    assert fit_size(*space, aspect=aspect) == fitted


def test_decision_image_colours_sides_by_class_and_draws_points():
    ys = np.linspace(-1, 1, 4)
    xs = np.linspace(-1, 1, 6)
    score = np.where(xs[None, :] > 0, 0.99, 0.01) * np.ones((len(ys), 1))  # class 1 on the right
    points = np.array([[-1.0, 1.0], [1.0, -1.0], [9.0, 9.0]])  # top left, bottom right, outside
    image = decision_image(score, 0.5, points, np.array([1, 0, 1]), (-1, 1, -1, 1))
    assert image.shape == (4, 6, 3)
    assert tuple(image[0, 0]) == tuple(POINT_RGB[1])  # the class-1 point, top left (y max)
    assert tuple(image[3, 5]) == tuple(POINT_RGB[0])
    # confident background: nearly the sure colour of each side
    assert np.abs(image[1, 0] - SURE_RGB[0]).max() < 12
    assert np.abs(image[1, 5] - SURE_RGB[1]).max() < 12


def test_decision_image_marks_a_diverged_network_grey():
    score = np.full((2, 2), np.nan)
    image = decision_image(score, 0.5, np.empty((0, 2)), np.empty(0, int), (0, 1, 0, 1))
    assert len({tuple(p) for p in image.reshape(-1, 3)}) == 1


def test_contours_are_darker_where_f_is_lower():
    xs = np.linspace(-1, 1, 9)
    f = xs[None, :] ** 2 + xs[:, None] ** 2
    image = contour_image(f).astype(int).sum(axis=2)
    assert image[4, 4] < image[4, 0] and image[4, 4] < image[0, 4]
    assert len(np.unique(image)) > 3  # bands, not two colours


def test_path_pixels_follow_a_line_and_are_clipped_to_the_picture():
    extent = (0.0, 9.0, 0.0, 9.0)  # 10 × 10 pixels, one per unit
    rows, cols = path_pixels([(0, 0), (9, 0)], extent, 10, 10)
    assert set(cols) == set(range(10)) and set(rows) == {9}  # bottom row, every column
    # a path leaving for far away is drawn up to the edge, never outside
    rows, cols = path_pixels([(4, 4), (4, 1e6)], extent, 10, 10)
    assert set(rows) == set(range(6)) and set(cols) == {4}
    rows, cols = path_pixels([(-50, -50), (-40, 100)], extent, 10, 10)
    assert len(rows) == 0


def test_draw_paths_uses_each_optimizers_colour():
    image = np.zeros((10, 10, 3), dtype=np.uint8)
    out = draw_paths(image, {"sgd": [(0, 5), (9, 5)]}, (0, 9, 0, 9))
    assert tuple(out[4, 3]) == OPTIMIZER_RGB["sgd"]
    assert not image.any()  # the background is not changed


def test_log_bars_place_decades_evenly():
    assert bar_fraction(1e-8) == 0 and bar_fraction(10.0) == 1
    assert bar_fraction(1e-5) > bar_fraction(1e-6)
    assert bar_fraction(0.0) == bar_fraction(float("nan")) == 0
    assert bar_text(0.5, 4) == "██  " and bar_text(1 / 16, 4) == "▎   "


def test_ticks():
    ticks, labels = log_ticks(-3.2, 0.1)
    assert labels == ["1e-3", "1e-2", "1e-1", "1"]
    _, labels = log_ticks(-1.0, -0.2)
    assert labels == ["1e-1", "2e-1", "3e-1", "5e-1"]
    assert step_ticks(470) == [0, 200, 400]
    assert step_ticks(400) == [0, 100, 200, 300, 400]
    assert step_ticks(3) == [0, 1, 2, 3]


def test_history_keeps_its_shape_within_its_cap():
    history = History(cap=8)
    for step in range(100):
        history.append(step, float(step))
    assert len(history.steps) < 16
    assert history.steps[0] == 0 and history.steps[-1] == 99
    assert history.steps == sorted(history.steps)
    history.append(99, -1.0)  # the same step again replaces its value
    assert history.values[-1] == -1.0


def test_speeds():
    assert next_speed(5, 1) == 10 and next_speed(5, -1) == 2
    assert next_speed(SPEEDS[-1], 1) == SPEEDS[-1] and next_speed(1, -1) == 1


def test_frame_counter_counts_the_last_second():
    now = [0.0]
    counter = FrameCounter(clock=lambda: now[0])
    for i in range(30):
        now[0] = i * 0.05  # 20 a second for 1.5 s
        counter.tick()
    assert counter.total == 30
    assert counter.per_second() == 20
    now[0] += 5
    assert counter.per_second() == 0 and counter.total == 30


class Countdown:
    """A simulation that counts up to ``limit`` and can be told to fail."""

    def __init__(self, limit: int = 5) -> None:
        self.t, self.limit, self.fail, self.threads = 0, limit, False, set()

    def advance(self) -> bool:
        self.threads.add(threading.get_ident())
        if self.fail:
            raise RuntimeError("boom\nsecond line")
        self.t += 1
        return self.t < self.limit

    def frame(self) -> int:
        return self.t


def _until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_live_loop_runs_commands_and_steps_on_its_thread_and_pauses_on_errors():
    sim = Countdown()
    frames, errors = [], []

    def draw(frame, running):  # what the view does with a frame
        frames.append((frame, running))
        loop.frame_drawn()

    loop: LiveLoop[Countdown, int] = LiveLoop(sim, draw, errors.append, 500)
    stop = threading.Event()
    worker = threading.Thread(target=loop.run, args=(stop.is_set,))
    worker.start()
    try:
        _until(lambda: frames)
        assert frames[0] == (0, False)  # a first frame, paused
        loop.set_running(True)
        _until(lambda: frames[-1] == (5, False))  # ran to the end, then stopped itself
        assert [f for f, _ in frames if f] == [1, 2, 3, 4, 5]
        assert sim.threads == {worker.ident}
        loop.send(lambda s: setattr(s, "fail", True))
        loop.set_running(True)
        _until(lambda: errors)
        assert errors == ["boom (+1 more)"]
        _until(lambda: frames[-1][1] is False)
    finally:
        stop.set()
        worker.join(5)
    assert not worker.is_alive()


def test_train_run_reset_gives_the_same_start_and_frames_keep_the_aspect():
    from engine.playground.trainer import TrainConfig

    run = TrainRun(TrainConfig(dataset="moons", seed=3))
    run.resize(60, 60)
    first = run.frame()
    run.step(7)
    assert run.frame().evaluation.step == 7
    run.reset()
    again = run.frame()
    assert again.evaluation == first.evaluation
    # moons fill a box wider than tall: the picture keeps that shape within 60 × 60 pixels
    assert len(first.strips) * 2 < 50 and first.strips[0].cell_length == 60


def test_race_run_stops_at_its_horizon():
    from studyapp.core.playground import RaceSetup

    run = RaceRun(RaceSetup("quadratic", ("sgd", "adam")), speed=50, horizon=120)
    while run.advance():
        pass
    frame = run.frame()
    assert frame.t == 120 and frame.finished
    assert [r.name for r in frame.runners] == ["sgd", "adam"]
    assert all(r.steps == 120 for r in frame.runners)
