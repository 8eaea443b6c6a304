"""`studyapp playground train|race`: small networks on 2-D toy data, and the optimizer race.

``train`` trains a network (engine.playground.trainer) and prints its log: loss, accuracy and
per-layer gradient norms at s = 0, K, 2K, …, N. ``race`` runs optimizers from one start on a test
surface (engine.playground.race) and prints their paths. JSON follows the contract; the text form
is a small table. Non-finite numbers never reach the JSON (null instead).
"""

from __future__ import annotations

import argparse
import math
import secrets
import sys
from collections.abc import Callable
from dataclasses import fields

from engine import activations as _act
from engine import losses as _loss
from engine import optimizers as _opt
from engine.playground import datasets as _data
from engine.playground import race as _race
from engine.playground import surfaces as _surf
from studyapp.commands.exercise import _float, _int, _layers

FORMATS = ("json", "text")
TEXT_ROWS = 10  # the text table shows about this many of the log's entries


def _pair(text: str) -> tuple[float, float]:
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected two numbers x,y like -1.5,2, got {text!r}"
        ) from None
    return x, y


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "playground",
        help="train small networks on 2-D data; race optimizers on test surfaces",
        description="Train small networks on 2-D toy data, or race optimizers on test surfaces.",
    )
    sub = p.add_subparsers(dest="mode", metavar="MODE", required=True, parser_class=type(p))
    tr = sub.add_parser("train", help="train a network on a 2-D data set and log its progress")
    tr.add_argument("--dataset", choices=_data.DATASETS, default="xor", help="default xor")
    tr.add_argument("--layers", type=_layers, default=[2, 8, 1], help="layer sizes (default 2,8,1)")
    tr.add_argument(
        "--activation", choices=_act.HIDDEN_ACTIVATIONS, default="tanh", help="default tanh"
    )
    tr.add_argument(
        "--output-activation",
        choices=_act.OUTPUT_ACTIVATIONS,
        default="sigmoid",
        help="default sigmoid",
    )
    tr.add_argument("--loss", choices=tuple(_loss.LOSSES), default="bce", help="default bce")
    tr.add_argument(
        "--optimizer", choices=tuple(_opt.OPTIMIZERS), default="adam", help="default adam"
    )
    tr.add_argument("--lr", type=_float, default=0.01, help="learning rate (default 0.01)")
    tr.add_argument("--steps", type=_int("--steps", 0), default=1000, help="default 1000")
    tr.add_argument(
        "--batch", type=_int("--batch", 1), default=None, help="mini-batch size (default: all)"
    )
    tr.add_argument("--points", type=_int("--points", 2), default=200, help="default 200")
    tr.add_argument(
        "--noise", type=_float, default=0.0, help="std of the jitter on the points (default 0)"
    )
    tr.add_argument(
        "--seed", type=_int("--seed", 0), default=None, help="default: a fresh one, printed"
    )
    tr.add_argument(
        "--log-every",
        type=_int("--log-every", 1),
        default=None,
        help="log every K steps (default max(1, steps // 100))",
    )
    tr.add_argument("--format", choices=FORMATS, default="text", help="default text")
    rc = sub.add_parser("race", help="optimizers from one start on a test surface")
    rc.add_argument(
        "--surface", choices=tuple(_surf.SURFACES), default="quadratic", help="default quadratic"
    )
    rc.add_argument(
        "--optimizers",
        type=_names,
        default=list(_race.DEFAULT_OPTIMIZERS),
        help=f"comma-separated (default {','.join(_race.DEFAULT_OPTIMIZERS)})",
    )
    rc.add_argument("--steps", type=_int("--steps", 0), default=200, help="default 200")
    rc.add_argument("--start", type=_pair, default=None, help="x,y (default: the surface's)")
    rc.add_argument(
        "--lr", type=_float, default=None, help="learning rate of every optimizer that has one"
    )
    rc.add_argument("--format", choices=FORMATS, default="text", help="default text")


def _dump(payload: dict) -> None:
    import orjson

    # One line (a race holds thousands of points). The engine gives None for non-finite numbers;
    # orjson would write NaN/Infinity as null anyway, so the JSON never holds them.
    sys.stdout.buffer.write(orjson.dumps(payload) + b"\n")


def _num(value: float | None) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.4g}"


def render_train(log: dict) -> str:
    """The train log as a header, a table of about TEXT_ROWS entries and a final line."""
    lr = "" if log["lr"] is None else f", lr {log['lr']:g}"
    batch = "full batch" if log["batch"] == log["points"] else f"batch {log['batch']}"
    lines = [
        f"Playground: {log['dataset']}, {log['points']} points (noise {log['noise']:g}), "
        f"layers {'-'.join(map(str, log['layers']))}, {log['activation']} → "
        f"{log['output_activation']}, loss {log['loss_function']}, {log['optimizer']}{lr}, "
        f"{batch}, seed {log['seed']}",
        "",
    ]
    norms = [f"|∂L/∂W{m}|" for m in range(1, len(log["layers"]))]
    lines.append(
        f"{'step':>7}  {'loss':>10}  {'accuracy':>8}  " + "  ".join(f"{n:>9}" for n in norms)
    )
    count = len(log["steps"])
    every = max(1, math.ceil((count - 1) / TEXT_ROWS))
    for i in range(count):
        if i % every and i != count - 1:
            continue
        row = f"{log['steps'][i]:>7}  {_num(log['loss'][i]):>10}  {log['accuracy'][i]:>8.1%}  "
        lines.append(row + "  ".join(f"{_num(g):>9}" for g in log["grad_norms"][i]))
    final = log["final"]
    state = " (diverged: the weights are no longer finite)" if final["diverged"] else ""
    lines += [
        "",
        f"Final after {log['steps'][-1]} steps: loss {_num(final['loss'])}, "
        f"accuracy {final['accuracy']:.1%}{state}",
    ]
    return "\n".join(lines)


def render_race(race: dict) -> str:
    """The race as a header and one line per optimizer: steps kept, final point and f."""
    surface = _surf.get(race["surface"])
    x0, y0 = race["start"]
    hps = {
        name: ", ".join(f"{k} {v:g}" for k, v in hp.items())
        for name, hp in race["hyperparameters"].items()
    }
    width = max(len("hyperparameters"), *map(len, hps.values()))
    lines = [
        f"Race on {surface.name} ({surface.formula}) from ({x0:g}, {y0:g}), {race['steps']} steps",
        "",
        f"{'optimizer':<10}  {'hyperparameters':<{width}}  {'steps':>5}  {'final x':>10}  "
        f"{'final y':>10}  {'final f':>10}",
    ]
    for name, end in race["final"].items():
        steps = len(race["paths"][name]) - 1
        note = "  diverged" if end["diverged"] else ""
        lines.append(
            f"{name:<10}  {hps[name]:<{width}}  {steps:>5}  {_num(end['x']):>10}  {_num(end['y']):>10}  "
            f"{_num(end['f']):>10}{note}"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from engine.exercises import OptionError
    from engine.playground import trainer as _trainer
    from studyapp.errors import UsageError

    render: Callable[[dict], str]
    try:
        if args.mode == "train":
            # every TrainConfig field is an option of the same name
            options = {f.name: getattr(args, f.name) for f in fields(_trainer.TrainConfig)}
            options["layers"] = tuple(args.layers)
            if args.seed is None:
                options["seed"] = secrets.randbits(31)
            config = _trainer.TrainConfig(**options)
            payload = _trainer.train(config, args.steps, args.log_every).to_dict()
            render = render_train
        else:
            payload = _race.run_race(args.surface, args.optimizers, args.steps, args.start, args.lr)
            render = render_race
    except OptionError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        _dump(payload)
    else:
        sys.stdout.write(render(payload) + "\n")
    return 0
