"""Exercise step types: the unit of "accuracy per step type" (``Storage.step_accuracy()``).

Kept apart from the workspace (which needs NumPy) so that stats and the dashboard can name the
learner's weak steps cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping

STEP_TYPES: dict[str, str] = {
    "z": "pre-activation z",
    "a": "activation a",
    "loss": "loss",
    "delta_output": "δ of the output layer",
    "delta_hidden": "δ of a hidden layer",
    "grad_W": "∂L/∂W",
    "grad_b": "∂L/∂b",
    "update": "updated parameters",
    "opt_state": "optimizer state",
    "opt_intermediate": "optimizer intermediate",
    "opt_params": "optimizer update",
}

MIN_ATTEMPTS = 3  # fewer answers than this say nothing about a step

#: The cards that teach each step, as browse searches (their results are joined): custom study
#: of a weak step reviews these.
STEP_CARDS: dict[str, tuple[str, ...]] = {
    "z": ("entry:bp.notation", "entry:bp.algorithm", "entry:bp.worked_example"),
    "a": ("topic:activations",),
    "loss": ("topic:losses",),
    "delta_output": ("entry:bp.output_delta", "entry:bp.sigmoid_ce_example"),
    "delta_hidden": ("entry:bp.hidden_delta", "entry:bp.chain_rule"),
    "grad_W": ("entry:bp.weight_gradient",),
    "grad_b": ("entry:bp.bias_gradient",),
    "update": ("entry:opt.batch_gd", "entry:opt.sgd", "entry:bp.algorithm"),
    "opt_state": ("topic:optimizers",),
    "opt_intermediate": ("topic:optimizers",),
    "opt_params": ("topic:optimizers",),
}
#: Steps not in STEP_CARDS study the backprop deck.
DEFAULT_STEP_CARDS: tuple[str, ...] = ("topic:backprop",)


def _pair(value) -> tuple[int, int]:
    """(correct, total) from Storage's tuple or compute_stats' {"correct", "total"} dict."""
    if isinstance(value, Mapping):
        return int(value.get("correct", 0)), int(value.get("total", 0))
    correct, total = value
    return int(correct), int(total)


def ranked(accuracy: Mapping) -> list[tuple[str, int, int]]:
    """(name, correct, total) of every step (or topic) in ``accuracy``, weakest first: the
    largest share wrong, then the most answers; names without answers last (ties keep the
    order of ``accuracy``)."""

    def key(item: tuple[str, int, int]) -> tuple[float, int]:
        _name, correct, total = item
        return ((correct / total) if total else 2.0, -total)

    return sorted(((name, *_pair(value)) for name, value in (accuracy or {}).items()), key=key)


def weakest_step(accuracy: Mapping, min_attempts: int = MIN_ATTEMPTS) -> str | None:
    """A sentence naming the step the learner gets wrong most often, e.g. "You get δ of a hidden
    layer wrong 40 % of the time (6 of 15)", or None without enough attempts or mistakes."""
    worst = None
    for step, value in (accuracy or {}).items():
        correct, total = _pair(value)
        if total < min_attempts or correct >= total:
            continue
        wrong = (total - correct) / total
        if worst is None or wrong > worst[0]:
            worst = (wrong, step, total - correct, total)
    if worst is None:
        return None
    wrong, step, missed, total = worst
    return (
        f"You get {STEP_TYPES.get(step, step)} wrong {wrong:.0%} of the time ({missed} of {total})"
    )
