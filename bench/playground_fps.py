"""Frames per second of the playground's views while they run, counted by the views themselves.

Each view runs headless (Textual's Pilot, which renders every frame as a terminal would but
writes it nowhere) at 80×24 and at 120×40, and the view's own redraw counter is read over a
fixed wall time. The reference, measured in the same run, is the same view drawing without
training (0 steps a frame: evaluation, picture and plots as usual), so the ratio shows what the
training itself costs; the live loop caps a view at 25 frames a second.

Views: train (xor, 2-8-1 tanh, Adam: the default), train with the deep preset (six sigmoid
layers), race (the seven optimizers on the ravine).

Target (issue 18): at least 10 redraws of heatmap and plots per second while training, at both
sizes. Usage: python bench/playground_fps.py [--seconds S]   (exit 1 if a target is missed)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from textual.app import App

from studyapp.ui.screens.playground import PlaygroundScreen
from studyapp.ui.screens.playground_runs import DEFAULT_SPEED

TARGET_FPS = 10.0
SIZES = ((80, 24), (120, 40))
VIEWS = (
    ("train", {}),
    ("train: sigmoid-deep", {"preset": "sigmoid-deep"}),
    ("race", {"view": "race"}),
)


async def measure(size, screen_args: dict, speed: int, seconds: float) -> float:
    """Redraws per second counted by the view over ``seconds`` of running (after a warm-up)."""
    app = App()
    async with app.run_test(size=size) as pilot:
        screen = PlaygroundScreen(**screen_args)
        await app.push_screen(screen)
        view = screen.view
        while view.frame is None:
            await pilot.pause(0.05)
        view.loop.send(lambda run: run.set_speed(speed))
        await pilot.press("space")
        await pilot.pause(0.5)
        drawn, start = view.counter.total, time.perf_counter()
        await pilot.pause(seconds)
        return (view.counter.total - drawn) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="wall time per measurement")
    args = parser.parse_args()
    print(f"{'size':>7}  {'view':<20}  {'training':>9}  {'drawing only':>12}  {'ratio':>5}")
    missed = []
    for size in SIZES:
        for name, screen_args in VIEWS:
            running = asyncio.run(measure(size, screen_args, DEFAULT_SPEED, args.seconds))
            drawing = asyncio.run(measure(size, screen_args, 0, args.seconds))
            label = f"{size[0]}×{size[1]}"
            print(
                f"{label:>7}  {name:<20}  {running:>5.1f} fps  {drawing:>8.1f} fps  "
                f"{running / drawing:>5.2f}"
            )
            if running < TARGET_FPS:
                missed.append(f"{label} {name}")
    if missed:
        print(f"below {TARGET_FPS:g} fps: {', '.join(missed)}")
        return 1
    print(f"every view ≥ {TARGET_FPS:g} fps while running ({DEFAULT_SPEED} steps a frame)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
