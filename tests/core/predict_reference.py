"""The answers of the quiz's predict questions, worked out again without the code that keys them.

Each run a question rests on (``q.data["runs"]``) is repeated through the CLI, ``studyapp
playground race|train … --format json`` (in-process: the same code path as a user's command,
without a new interpreter per run), and the measure is written out here from the contract: the
surfaces' f, the goal, accuracy ≥ threshold at the logged steps, the gradient norms at step 0.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from functools import cache

from studyapp.cli import main

#: The contract's surfaces, written out (not engine.playground.surfaces).
SURFACE_F = {
    "quadratic": lambda x, y: 0.5 * (x * x + 20 * y * y),
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    "saddle": lambda x, y: x * x - y * y,
    "beale": lambda x, y: (
        (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2
    ),
}
MINIMUM = {"quadratic": (0.0, 0.0), "rosenbrock": (1.0, 1.0), "beale": (3.0, 0.5)}


@cache
def run_json(argv: tuple[str, ...]) -> dict:
    """``studyapp ARGV --format json``, parsed (stdout has a byte buffer, as a terminal's has)."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    with contextlib.redirect_stdout(out):
        assert main([*argv, "--format", "json"]) == 0, argv
    out.flush()
    return json.loads(raw.getvalue())


def _race(q) -> dict:
    return run_json(tuple(q.data["runs"]["race"]))


def _reached(goal: dict, surface: str, x: float, y: float) -> bool:
    if goal["kind"] == "f_below":
        return SURFACE_F[surface](x, y) < goal["value"]
    mx, my = MINIMUM[surface]
    return abs(x - mx) < goal["value"] and abs(y - my) < goal["value"]


def first_steps(q) -> dict[str, int | None]:
    """For each subject of ``q``: the first step its run reaches the goal, or None."""
    predict = q.data["predict"]
    out = {}
    for subject in predict["subjects"]:
        if "goal" in predict:  # a race: the first point of the path that reaches the goal
            log = _race(q)
            path = log["paths"][subject]
            hits = [
                i
                for i, (x, y) in enumerate(path)
                if _reached(predict["goal"], log["surface"], x, y)
            ]
        else:  # training: the first logged step with accuracy >= threshold
            log = run_json(tuple(q.data["runs"][subject]))
            hits = [
                s
                for s, a in zip(log["steps"], log["accuracy"], strict=True)
                if a >= predict["accuracy"]
            ]
        out[subject] = hits[0] if hits else None
    return out


def _start_norms(q) -> list[float]:
    return run_json(tuple(q.data["runs"]["start"]))["grad_norms"][0]


def _choice(q, value) -> str:
    """The option of ``q`` that stands for ``value``."""
    matches = [c for c, v in q.data["predict"]["options"].items() if v == value]
    assert len(matches) == 1, (q.id, value)
    return matches[0]


def reference_answer(q) -> str | float:
    """The answer of predict question ``q`` as its runs give it: an option's text (mcq),
    "True"/"False", or a number. Fails if the run does not answer it clearly."""
    predict = q.data["predict"]
    what = predict["what"]
    if what == "first":
        steps = first_steps(q)
        ranked = sorted((s, n) for n, s in steps.items() if s is not None)
        assert ranked, (q.id, steps)
        winner_step, winner = ranked[0]
        for s, _ in ranked[1:]:  # a clear winner: 10 % ahead of the next at least
            assert s >= 1.1 * winner_step and s > winner_step, (q.id, steps)
        return _choice(q, winner)
    if what == "diverges":
        final = _race(q)["final"]
        gone = [s for s in predict["subjects"] if final[s]["diverged"]]
        assert len(gone) <= 1, (q.id, gone)
        return _choice(q, gone[0] if gone else None)
    if what == "smallest_layer":
        norms = _start_norms(q)
        return _choice(q, str(norms.index(min(norms)) + 1))
    if what == "gradient_ratio":
        norms = _start_norms(q)
        return _choice(q, str(round(math.log10(norms[0] / norms[-1]))))
    if what in ("reaches", "before"):
        steps = first_steps(q)
        mine = steps[predict["subject"]]
        if what == "reaches":
            return str(mine is not None)
        theirs = steps[predict["than"]]
        return str(mine is not None and (theirs is None or mine < theirs))
    if what == "diverged":
        return str(_race(q)["final"][predict["subject"]]["diverged"])
    if what == "smaller":
        norms = _start_norms(q)
        return str(norms[predict["layer"] - 1] < norms[predict["than"] - 1])
    path = _race(q)["paths"][predict["subject"]]
    axis = predict["axis"]
    if what == "first_move":
        return abs(path[1][axis] - path[0][axis])
    if what == "factor":
        return path[1][axis] / path[0][axis]
    raise AssertionError(f"unchecked predict question {q.id}: {what}")


def is_predict(q) -> bool:
    return "predict" in q.data


def check(q) -> None:
    """Assert that ``q``'s keyed answer is what its runs give."""
    expected = reference_answer(q)
    if isinstance(expected, float):
        assert math.isclose(float(q.answer), expected, rel_tol=1e-5, abs_tol=1e-9), (q.id, expected)
    else:
        assert q.answer == expected, (q.id, q.answer, expected, q.prompt)
