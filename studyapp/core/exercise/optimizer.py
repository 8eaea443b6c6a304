"""The steps of an optimizer exercise: the new state, the intermediates, then the new θ.

Each step is one of the engine's named stages (``engine.optimizers.STAGES``: m, v, m̂, v̂, θ …), in
the engine's order; a value recomputed from the learner's own earlier answers runs that stage over
the given values and the learner's results of the earlier stages. Every value is a vector with
the parameters' length.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.exercise_types import OptimizerExercise
from engine.optimizers import OPTIMIZERS, STAGES
from studyapp.core import worked
from studyapp.core.exercise.model import Given, Step
from studyapp.core.exercise.numbers import fmt_number, fmt_value
from studyapp.core.notation import QUANTITY_LABEL, quantity_symbol, rule_hint


class OptimizerRules:
    """The workspace's rules for an :class:`~engine.exercise_types.OptimizerExercise`."""

    topic = "optimizers"

    def __init__(self, exercise: OptimizerExercise):
        self.exercise = exercise
        self.steps = _steps(exercise)
        self.question_id = (
            f"exercise:optimizer:{exercise.optimizer}:{exercise.seed}:{exercise.index}"
        )

    def recompute(self, step: Step, given: Given) -> np.ndarray | None:
        """The engine's stage ``step.key`` over the given values and ``given`` earlier stages."""
        ex = self.exercise
        env: dict[str, Any] = {**OPTIMIZERS[ex.optimizer].defaults, **ex.hyperparameters}
        env.update({k: np.asarray(v, dtype=float) for k, v in ex.state.items()})
        env.update(
            params=np.asarray(ex.params, dtype=float), grad=np.asarray(ex.grad, dtype=float), t=ex.t
        )
        for key, fn in STAGES.get(ex.optimizer, []):
            if key == step.key:
                return np.asarray(fn(env), dtype=float)
            env[key] = given(key)  # "params" is always the last stage: the old θ stays until then
        return None

    def slips(self, step: Step, given: Given) -> list[tuple[str, np.ndarray]]:
        """No slips are named for optimizer steps (yet)."""
        return []

    def hint(self, step: Step, level: int, given: Given) -> str:
        """Level 1: the stage's update rule. Level 2: with the given numbers and the learner's
        values of the earlier stages."""
        ex = self.exercise
        name = ex.optimizer
        text = rule_hint(name, step.key) or f"{step.label}: see the {name} update rule"
        text += f"   (t = {ex.t})"
        if level < 2:
            return text
        hyper = ", ".join(f"{k} = {fmt_number(v)}" for k, v in ex.hyperparameters.items())
        state = ", ".join(f"{quantity_symbol(k)} = {fmt_value(v)}" for k, v in ex.state.items())
        earlier = ", ".join(
            f"{s.label} = {fmt_value(given(s.key))}" for s in self.steps[: self.steps.index(step)]
        )
        return (
            text
            + f"\nwith the numbers: θ = {fmt_value(ex.params)}, g = {fmt_value(ex.grad)}, {hyper}"
            + (f", before: {state}" if state else "")
            + (f"\nyour values so far: {earlier}" if earlier else "")
        )

    def before(self, step: Step) -> np.ndarray | None:
        """θ as given, for the last step (the new θ)."""
        return np.asarray(self.exercise.params, dtype=float) if step.key == "params" else None

    def worked_solution(self) -> str:
        return worked.render_optimizer(self.exercise, "text")


def _steps(ex: OptimizerExercise) -> list[Step]:
    """The state and intermediates in the engine's order of stages, then the new θ."""
    state, inter = ex.answers.state, ex.answers.intermediates
    preferred = [k for k, _ in STAGES.get(ex.optimizer, []) if k != "params"]
    order = [k for k in preferred if k in state or k in inter]
    order += [k for k in [*state, *inter] if k not in order]  # anything the engine adds
    steps = []
    for key in order:
        kind, group, numbers = (
            ("opt_state", "state", state[key])
            if key in state
            else ("opt_intermediate", "intermediates", inter[key])
        )
        label, title = QUANTITY_LABEL.get(key, key), f"{ex.optimizer}: {key} after step t"
        value = np.asarray(numbers, dtype=float)
        steps.append(Step(key, kind, label, title, value, None, (group, key)))
    title = f"{ex.optimizer}: parameters after step t"
    new = np.asarray(ex.answers.params, dtype=float)
    steps.append(Step("params", "opt_params", "θ new", title, new, None, ("params",)))
    return steps
