"""Playground trainer speed: time per training step against a PyTorch loop, in the same run.

The run (issue 18): a 2-16-16-1 network, tanh hidden layers, sigmoid output, bce, Adam (lr 0.01),
256 points of xor, full batch, float64, one thread. Ours is ``engine.playground.trainer.Trainer``;
the reference is the usual PyTorch loop (nn.Sequential, nn.BCELoss, torch.optim.Adam: zero_grad,
forward, backward, step) starting from the very same weights. Torch's Adam is timed in each of its
CPU implementations and the fastest counts. Each side's figure is the best of several rounds of
STEPS steps, the two sides interleaved so that machine load hits both alike.

Sanity check first: from the same weights both take 20 steps and must log the same losses (relative
difference < 1e-9), so the two loops really do the same work.

Target: torch ms/step ÷ ours ≥ 1.5. Torch is the optional extra `bench` (never in make test or CI):
install the CPU wheel (`pip install torch --index-url https://download.pytorch.org/whl/cpu`, or on
this project's machines `pip install torch==2.13.0`); without torch the bench says so and prints no
ratio. Run: .venv/bin/python bench/playground.py
"""

from __future__ import annotations

import os

# One thread everywhere, set before numpy (or torch) loads its BLAS.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from engine.playground.trainer import TrainConfig, Trainer  # noqa: E402

CONFIG = TrainConfig(
    dataset="xor",
    layers=(2, 16, 16, 1),
    activation="tanh",
    output_activation="sigmoid",
    loss="bce",
    optimizer="adam",
    lr=0.01,
    points=256,
    seed=1,
)
STEPS = 400
ROUNDS = 7
TARGET = 1.5
SANITY_STEPS = 20


def ours(trainer: Trainer):
    return lambda: trainer.step(STEPS)


def torch_loop(torch, trainer: Trainer, adam_kwargs: dict):
    """A PyTorch model, data and Adam with the trainer's current weights; returns step(n)."""
    nn = torch.nn
    layers: list = []
    for m, (W, b) in enumerate(zip(trainer.W, trainer.b, strict=True)):
        linear = nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, nn.Tanh() if m < len(trainer.W) - 1 else nn.Sigmoid()]
    model = nn.Sequential(*layers)
    x = torch.from_numpy(trainer.data.points.copy())
    y = torch.from_numpy(trainer.targets.copy())
    hp = trainer.hyperparameters
    opt = torch.optim.Adam(
        model.parameters(),
        lr=hp["lr"],
        betas=(hp["beta1"], hp["beta2"]),
        eps=hp["eps"],
        **adam_kwargs,
    )
    loss_fn = nn.BCELoss()

    def step(n: int, losses: list | None = None) -> None:
        for _ in range(n):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            if losses is not None:  # only in the sanity check: .item() is not part of a step
                losses.append(loss.item())

    return step


def sanity(torch) -> float:
    """Largest relative difference of the losses at s = 0..SANITY_STEPS−1, ours vs torch's."""
    trainer = Trainer(CONFIG)
    theirs: list[float] = []
    torch_loop(torch, trainer, {})(SANITY_STEPS, theirs)
    mine = []
    for _ in range(SANITY_STEPS):
        mine.append(trainer.evaluate().loss)
        trainer.step()
    return float(np.max(np.abs(np.subtract(mine, theirs)) / np.abs(theirs)))


def best_ms_per_step(runs: dict, rounds: int = ROUNDS) -> dict[str, float]:
    """runs: name -> fn taking STEPS steps; the best of ``rounds`` interleaved rounds, ms/step."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], (time.perf_counter() - t0) * 1000 / STEPS)
    return best


def main() -> int:
    try:
        import torch
    except ImportError:
        torch = None
    runs = {"ours": ours(Trainer(CONFIG))}
    if torch is not None:
        torch.set_num_threads(1)
        print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
        worst = sanity(torch)
        print(f"sanity: losses of {SANITY_STEPS} steps from the same weights agree to {worst:.1e}")
        if not worst < 1e-9:
            print("FAIL: the two loops do not compute the same thing")
            return 1
        for name, kwargs in (
            ("torch (Adam default)", {}),
            ("torch (Adam foreach)", {"foreach": True}),
            ("torch (Adam fused)", {"fused": True}),
        ):
            step = torch_loop(torch, Trainer(CONFIG), kwargs)
            runs[name] = lambda step=step: step(STEPS)
    for fn in runs.values():
        fn()  # warm-up
    ms = best_ms_per_step(runs)
    for name, value in ms.items():
        print(f"{name:24s} {value:8.4f} ms/step")
    if torch is None:
        print("torch is not installed (pip install -e .[bench]): no reference, no ratio")
        return 0
    reference = min(v for k, v in ms.items() if k != "ours")
    ratio = reference / ms["ours"]
    print(f"speed-up over the fastest torch loop: {ratio:.2f}x (target >= {TARGET}x)")
    print("PASS" if ratio >= TARGET else "FAIL")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
