"""fsrs-rs-python (the Rust FSRS that Anki uses) behind three functions on plain data.

:func:`fit` and :func:`evaluate` take and return lists and tuples of numbers only, so they can
run in another process (fsrs-rs holds Python's global lock while it trains, which would freeze a
Textual screen for as long). The package is imported on first use: where it is missing,
:class:`OptimizerUnavailable` says so in one line instead of a traceback.

Parameter sets: fsrs-rs-python 0.9 computes FSRS-6's 21 parameters, the same model and the same
defaults as py-fsrs 6, which schedules the reviews. fsrs-rs works in 32-bit floats, so
:func:`to_fsrs6` rounds its numbers to 6 significant digits (0.8 comes back as 0.800000011920929,
which py-fsrs would reject as above its bound 0.8) and clamps them into py-fsrs's bounds; an older
FSRS-4.5/5 set of 17 or 19 numbers is converted to FSRS-6 by fsrs-rs's own
``check_and_fill_parameters``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from studyapp.errors import StudyappError

#: One training item as plain data: ((rating, delta_t days), ...), oldest review first.
PlainItem = tuple[tuple[int, int], ...]

PACKAGE = "fsrs-rs-python"


class OptimizerUnavailable(StudyappError):
    """fsrs-rs-python cannot be imported on this machine (exit 2)."""


def load() -> ModuleType:
    """The ``fsrs_rs_python`` module; OptimizerUnavailable (one line) if it is not installed."""
    try:
        import fsrs_rs_python
    except ImportError:
        raise OptimizerUnavailable(
            f"optimizing parameters needs the {PACKAGE} package, which cannot be imported here"
            f" (pip install {PACKAGE}); the scheduler keeps its current parameters"
        ) from None
    return fsrs_rs_python


def available() -> bool:
    try:
        load()
    except OptimizerUnavailable:
        return False
    return True


def version() -> str:
    """The installed fsrs-rs-python version ("" if unknown)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(PACKAGE)
    except PackageNotFoundError:
        return ""


def _items(module: ModuleType, items: Sequence[PlainItem]) -> list:
    review = module.FSRSReview
    return [module.FSRSItem([review(r, d) for r, d in item]) for item in items]


def fit(
    items: Sequence[PlainItem], card_ids: Sequence[int], relearning_steps: int, epochs: int
) -> list[float]:
    """fsrs-rs's parameters fitted to ``items`` (sorted by time; ``card_ids`` aligned with them).

    As Anki calls it: short-term memory on (same-day steps are modelled), the number of
    relearning steps given so fsrs-rs bounds their effect. Returns fsrs-rs's raw numbers (see
    :func:`to_fsrs6`). fsrs-rs returns its defaults below 8 items and fits only w0-w3 below 64.
    """
    module = load()
    model = module.FSRS(module.DEFAULT_PARAMETERS)
    return list(
        model.compute_parameters(
            _items(module, items),
            card_ids=list(card_ids),
            enable_short_term=True,
            num_relearning_steps=max(1, relearning_steps),
            training_config=module.TrainingConfig(num_epochs=epochs),
        )
    )


def evaluate(parameters: Sequence[float], items: Sequence[PlainItem]) -> tuple[float, float]:
    """(log loss, RMSE over bins) of ``parameters`` predicting the last review of each item,
    as Anki's "Evaluate" shows them. ``items`` must not be empty."""
    module = load()
    result = module.FSRS(list(parameters)).evaluate(_items(module, items))
    return float(result.log_loss), float(result.rmse_bins)


class ChildProcess:
    """A runner ``run(function, *args)`` that calls :func:`fit` or :func:`evaluate` in a child
    Python process (``python -m studyapp.study.fsrs_rs``, one JSON line per call each way), so
    the calling process keeps Python's lock while fsrs-rs trains, and a call can be abandoned at
    once by :meth:`close`, which ends the child. (multiprocessing cannot be used: it passes
    ``sys.stderr``'s file descriptor to its helper process, and under Textual there is none.)
    """

    def __init__(self) -> None:
        import subprocess
        import sys

        self._child = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def __call__(self, function: Callable[..., Any], *args: Any) -> Any:
        import json

        assert self._child.stdin is not None and self._child.stdout is not None
        try:
            self._child.stdin.write(json.dumps({"call": function.__name__, "args": args}) + "\n")
            self._child.stdin.flush()
            line = self._child.stdout.readline()
        except (BrokenPipeError, ValueError):  # closed meanwhile
            line = ""
        if not line:
            raise StudyappError("the fsrs-rs process ended before answering")
        reply = json.loads(line)
        if "error" in reply:
            raise StudyappError(reply["error"])
        return reply["result"]

    def close(self) -> None:
        """End the child (at once, even in the middle of a call)."""
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()
        for stream in (self._child.stdin, self._child.stdout, self._child.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ChildProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve_calls() -> None:
    """The child's side of :class:`ChildProcess`: answer each JSON call line with a JSON line."""
    import json
    import sys

    functions: dict[str, Callable[..., object]] = {"fit": fit, "evaluate": evaluate}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = {"result": functions[request["call"]](*request["args"])}
        except Exception as exc:  # sent back as one line; the caller raises it
            reply = {"error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


def to_fsrs6(raw: Sequence[float], bounds: Sequence[tuple[float, float]]) -> tuple[float, ...]:
    """fsrs-rs numbers as the 21 parameters py-fsrs 6 accepts: converted from 17/19 numbers by
    fsrs-rs's ``check_and_fill_parameters`` if needed, rounded to 6 significant digits, clamped
    into ``bounds`` (py-fsrs's (low, high) per parameter)."""
    values = list(raw)
    if len(values) != len(bounds):
        values = list(load().check_and_fill_parameters(values))
    return tuple(
        min(max(float(f"{w:.6g}"), low), high)
        for w, (low, high) in zip(values, bounds, strict=True)
    )


__all__ = [
    "ChildProcess",
    "OptimizerUnavailable",
    "PlainItem",
    "available",
    "evaluate",
    "fit",
    "load",
    "serve_calls",
    "to_fsrs6",
    "version",
]


if __name__ == "__main__":
    serve_calls()
