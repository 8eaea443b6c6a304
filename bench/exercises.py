"""Exercises per second: CLI end to end, the batch API, a per-exercise NumPy loop, torch autograd.

All figures are measured in this run, on this machine, for 2-3-1 sigmoid / half_sse exercises; the
targets are ratios to references measured alongside (the issue's torch loop figure, ~14 k/s here).
Run: .venv/bin/python bench/exercises.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from engine import exercises as ex  # noqa: E402
from engine import network as net  # noqa: E402

LAYERS = [2, 3, 1]


def best_of(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def cli_rate(count=20000) -> float:
    cmd = [
        sys.executable,
        "-m",
        "studyapp",
        "exercise",
        "backprop",
        "--layers",
        "2,3,1",
        "--seed",
        "1",
        "--count",
        str(count),
        "--format",
        "jsonl",
    ]

    def run():
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)

    run()  # warm the file cache; a process start is noisy, so take the best of 5
    return count / best_of(run, repeat=5)


def batch_rate(count=1_000_000) -> float:
    def run():
        batch = ex.draw_backprop(1, count, LAYERS)
        ex.solve_batch(batch)

    return count / best_of(run)


def numpy_loop_rate(count=5000) -> float:
    """One exercise at a time with plain NumPy (no batching): the textbook way."""
    rng = np.random.default_rng(0)

    def sig(z):
        return 1 / (1 + np.exp(-z))

    def run():
        for _ in range(count):
            x = np.round(rng.uniform(-1, 1, 2), 2)
            y = np.round(rng.uniform(0, 1, 1), 2)
            W1, b1 = rng.uniform(-1, 1, (3, 2)), rng.uniform(-1, 1, 3)
            W2, b2 = rng.uniform(-1, 1, (1, 3)), rng.uniform(-1, 1, 1)
            z1 = W1 @ x + b1
            a1 = sig(z1)
            z2 = W2 @ a1 + b2
            a2 = sig(z2)
            d2 = (a2 - y) * a2 * (1 - a2)
            d1 = (W2.T @ d2) * a1 * (1 - a1)
            _ = (np.outer(d2, a1), np.outer(d1, x), W1 - 0.1 * np.outer(d1, x))

    return count / best_of(run)


def torch_rate(count=3000) -> float | None:
    try:
        import torch
    except ImportError:
        return None

    def run():
        for _ in range(count):
            x = torch.rand(2) * 2 - 1
            y = torch.rand(1)
            W1 = (torch.rand(3, 2) * 2 - 1).requires_grad_()
            b1 = (torch.rand(3) * 2 - 1).requires_grad_()
            W2 = (torch.rand(1, 3) * 2 - 1).requires_grad_()
            b2 = (torch.rand(1) * 2 - 1).requires_grad_()
            a2 = torch.sigmoid(W2 @ torch.sigmoid(W1 @ x + b1) + b2)
            loss = 0.5 * ((a2 - y) ** 2).sum()
            loss.backward()

    return count / best_of(run)


def main() -> int:
    # sanity: the batch API is the same engine the CLI prints
    small = ex.draw_backprop(1, 3, LAYERS)
    res = ex.solve_batch(small)
    assert np.allclose(
        res.loss, net.backprop(small.weights, small.biases, small.x, small.target).loss
    )
    cli = cli_rate()
    batch = batch_rate()
    loop = numpy_loop_rate()
    torch_r = torch_rate()
    reference = torch_r if torch_r is not None else 14_000.0
    ref_name = "torch autograd loop (measured)" if torch_r else "torch loop figure of the issue"
    print(f"{'CLI end to end (--count 20000 --format jsonl)':48s} {cli:>12,.0f} /s")
    print(f"{'batch API (draw + solve, 1M exercises)':48s} {batch:>12,.0f} /s")
    print(f"{'per-exercise NumPy loop':48s} {loop:>12,.0f} /s")
    if torch_r is not None:
        print(f"{'per-exercise torch autograd loop':48s} {torch_r:>12,.0f} /s")
    print(f"CLI / {ref_name}: {cli / reference:.1f}x (target >= 3x, >= 50k/s)")
    print(f"batch API / NumPy loop: {batch / loop:.0f}x (target >= 1M/s)")
    ok = cli >= 3 * reference and cli >= 50_000 and batch >= 1_000_000
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
