"""The steps of a backprop exercise: forward pass, loss, backward pass, one gradient-descent step.

Shapes follow the notes: ``W^m`` is (N^m, N^(m−1)); ``z^m``, ``a^m``, ``b^m``, ``δ^m`` are (N^m,);
the loss is a scalar. A value recomputed from the learner's own earlier answers comes from the
engine's per-step functions (``engine.network.layer_forward``, ``output_delta``, ``hidden_delta``,
``weight_gradient``, the activations' and losses' ``value``), never from a second implementation
of the maths; the engine works on a leading batch axis, so one exercise is a batch of one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from engine import network
from engine.activations import ACTIVATIONS
from engine.exercise_types import BackpropExercise
from engine.losses import LOSSES
from studyapp.core import worked
from studyapp.core.exercise.model import Given, Step
from studyapp.core.exercise.numbers import fmt_number, fmt_value
from studyapp.core.notation import ACTIVATION_NOTATION, LOSS_NOTATION, sup


def _batch(value) -> np.ndarray:
    """One value as a batch of one (the engine's leading axis)."""
    return np.asarray(value, dtype=float)[None, ...]


def _layer(step: Step) -> int:
    """m of a per-layer step (every step but the loss has one)."""
    if step.layer is None:
        raise ValueError(f"step {step.key} belongs to no layer")
    return step.layer


def _param(step: Step) -> str:
    """Which parameter an update step updates: "W" or "b"."""
    return "W" if step.key.startswith("new_W") else "b"


def _formula(activation: str) -> str:
    notation = ACTIVATION_NOTATION.get(activation)
    return notation.formula if notation else activation


def _derivative(activation: str) -> str:
    notation = ACTIVATION_NOTATION.get(activation)
    return notation.derivative if notation else ""


def _activation_derivative(name: str, z: np.ndarray) -> np.ndarray:
    """f′(z) of one layer, from the engine (element-wise activations only: softmax has a Jacobian)."""
    return np.asarray(ACTIVATIONS[name].elementwise_derivative(_batch(z)))[0]


class BackpropRules:
    """The workspace's rules for a :class:`~engine.exercise_types.BackpropExercise`."""

    topic = "backprop"

    def __init__(self, exercise: BackpropExercise):
        self.exercise = exercise
        self.steps = _steps(exercise)
        ex = exercise
        origin = ex.preset or f"{ex.seed}:{ex.index}"
        shape = "-".join(str(n) for n in ex.layers)
        self.question_id = (
            f"exercise:backprop:{shape}:{ex.activation}:{ex.output_activation}:{ex.loss}:{origin}"
        )

    # -- the given values ------------------------------------------------------------------
    def _weights(self, m: int) -> np.ndarray:
        return np.asarray(self.exercise.weights[m - 1], dtype=float)

    def _biases(self, m: int) -> np.ndarray:
        return np.asarray(self.exercise.biases[m - 1], dtype=float)

    def _given_param(self, which: str, m: int) -> np.ndarray:
        return self._weights(m) if which == "W" else self._biases(m)

    def _prev_activation(self, m: int, given: Given) -> np.ndarray:
        """a^(m−1) as ``given`` has it (x for m = 1)."""
        return np.asarray(self.exercise.x, dtype=float) if m == 1 else given(f"a{m - 1}")

    def _target(self) -> np.ndarray:
        return np.asarray(self.exercise.target, dtype=float)

    # -- error carried forward -------------------------------------------------------------
    def recompute(self, step: Step, given: Given) -> np.ndarray | None:
        """The engine's per-step function applied to ``given`` inputs (batch of one)."""
        rule = self._RECOMPUTE.get(step.kind)
        return None if rule is None else np.asarray(rule(self, step, given))

    def _z(self, step: Step, given: Given):
        m = _layer(step)
        z, _ = network.layer_forward(
            _batch(self._weights(m)),
            _batch(self._biases(m)),
            _batch(self._prev_activation(m, given)),
            self.exercise.activation_of(m),
        )
        return z[0]

    def _a(self, step: Step, given: Given):
        m = _layer(step)
        return ACTIVATIONS[self.exercise.activation_of(m)].value(_batch(given(f"z{m}")))[0]

    def _loss(self, step: Step, given: Given):
        output = _batch(given(f"a{self.exercise.depth}"))
        return LOSSES[self.exercise.loss].value(output, _batch(self._target()))[0]

    def _delta_output(self, step: Step, given: Given):
        m = _layer(step)
        ex = self.exercise
        z, a, y = _batch(given(f"z{m}")), _batch(given(f"a{m}")), _batch(self._target())
        return network.output_delta(z, a, y, ex.output_activation, ex.loss)[0]

    def _delta_hidden(self, step: Step, given: Given):
        m = _layer(step)
        return network.hidden_delta(
            _batch(self._weights(m + 1)),
            _batch(given(f"delta{m + 1}")),
            _batch(given(f"z{m}")),
            self.exercise.activation_of(m),
        )[0]

    def _gradient(self, step: Step, given: Given):
        m = _layer(step)
        grad_w, grad_b = network.weight_gradient(
            _batch(given(f"delta{m}")), _batch(self._prev_activation(m, given))
        )
        return (grad_w if step.kind == "grad_W" else grad_b)[0]

    def _update(self, step: Step, given: Given):
        which, m = _param(step), _layer(step)
        # The contract's rule, updated = value − η·gradient, applied to the given gradient.
        return self._given_param(which, m) - self.exercise.learning_rate * given(f"grad_{which}{m}")

    _RECOMPUTE: dict[str, Callable[[BackpropRules, Step, Given], np.ndarray]] = {
        "z": _z,
        "a": _a,
        "loss": _loss,
        "delta_output": _delta_output,
        "delta_hidden": _delta_hidden,
        "grad_W": _gradient,
        "grad_b": _gradient,
        "update": _update,
    }

    # -- slips -----------------------------------------------------------------------------
    def slips(self, step: Step, given: Given) -> list[tuple[str, np.ndarray]]:
        """(what went wrong, the value it gives): the engine's computation with one ingredient
        left out or changed (e.g. the activation derivative: the same function with ``linear``)."""
        rule = self._SLIPS.get(step.kind)
        return [] if rule is None else rule(self, step, given)

    def _slip_z(self, step: Step, given: Given) -> list[tuple[str, np.ndarray]]:
        m = _layer(step)
        z, _ = network.layer_forward(
            _batch(self._weights(m)),
            _batch(np.zeros(step.expected.shape)),
            _batch(self._prev_activation(m, given)),
            "linear",
        )
        return [(f"the bias b{sup(m)} is missing: z = W·a + b", z[0])]

    def _slip_a(self, step: Step, given: Given) -> list[tuple[str, np.ndarray]]:
        m = _layer(step)
        return [(f"this is z{sup(m)}: the activation function is not applied", given(f"z{m}"))]

    def _slip_delta_output(self, step: Step, given: Given) -> list[tuple[str, np.ndarray]]:
        ex, m = self.exercise, _layer(step)
        if ex.output_activation in ("linear", "softmax"):  # no f′ factor to forget
            return []
        z, a, y = _batch(given(f"z{m}")), _batch(given(f"a{m}")), _batch(self._target())
        d = network.output_delta(z, a, y, "linear", ex.loss)
        return [(f"the factor f′(z{sup(m)}) is missing: δ = ∂L/∂a ∘ f′(z)", d[0])]

    def _slip_delta_hidden(self, step: Step, given: Given) -> list[tuple[str, np.ndarray]]:
        m = _layer(step)
        if self.exercise.activation == "linear":
            return []
        d = network.hidden_delta(
            _batch(self._weights(m + 1)),
            _batch(given(f"delta{m + 1}")),
            _batch(given(f"z{m}")),
            "linear",
        )
        return [(f"the factor f′(z{sup(m)}) is missing: δ = (Wᵀδ) ∘ f′(z)", d[0])]

    def _slip_update(self, step: Step, given: Given) -> list[tuple[str, np.ndarray]]:
        which, m = _param(step), _layer(step)
        param, grad = self._given_param(which, m), given(f"grad_{which}{m}")
        eta = self.exercise.learning_rate
        return [
            ("the gradient was added: a descent step subtracts η·gradient", param + eta * grad),
            (f"the learning rate η = {fmt_number(eta)} is missing", param - grad),
        ]

    _SLIPS: dict[str, Callable[[BackpropRules, Step, Given], list[tuple[str, np.ndarray]]]] = {
        "z": _slip_z,
        "a": _slip_a,
        "delta_output": _slip_delta_output,
        "delta_hidden": _slip_delta_hidden,
        "update": _slip_update,
    }

    # -- hints -----------------------------------------------------------------------------
    def hint(self, step: Step, level: int, given: Given) -> str:
        """Level 1: the formula. Level 2: the same with the numbers to use (``given`` values)."""
        formula, numbers = self._HINTS[step.kind](self, step, given)
        return formula if level < 2 else f"{formula}\nwith your numbers: {numbers}"

    def _prev_name(self, m: int) -> str:
        return "x" if m == 1 else f"a{sup(m - 1)}"

    def _hint_z(self, step: Step, given: Given) -> tuple[str, str]:
        m, v = _layer(step), fmt_value
        return (
            f"z{sup(m)} = W{sup(m)}·{self._prev_name(m)} + b{sup(m)}",
            f"z{sup(m)} = {v(self._weights(m))}·{v(self._prev_activation(m, given))}"
            f" + {v(self._biases(m))}",
        )

    def _hint_a(self, step: Step, given: Given) -> tuple[str, str]:
        m = _layer(step)
        act = self.exercise.activation_of(m)
        return (
            f"a{sup(m)} = {act}(z{sup(m)}), element-wise;  {act}: {_formula(act)}",
            f"a{sup(m)} = {act}({fmt_value(given(f'z{m}'))})",
        )

    def _hint_loss(self, step: Step, given: Given) -> tuple[str, str]:
        ex = self.exercise
        notation = LOSS_NOTATION.get(ex.loss)
        definition = notation.definition if notation else ex.loss
        return (
            f"{definition}   (a = a{sup(ex.depth)}, y = target)",
            f"a = {fmt_value(given(f'a{ex.depth}'))},  y = {fmt_value(ex.target)}",
        )

    def _hint_delta_output(self, step: Step, given: Given) -> tuple[str, str]:
        ex, m = self.exercise, _layer(step)
        act = ex.activation_of(m)
        notation = LOSS_NOTATION.get(ex.loss)
        dl = notation.gradient if notation else ""
        if act == "softmax" and ex.loss == "cce":
            formula = (
                f"δ{sup(m)} = a{sup(m)} − y   (softmax with cross-entropy: the Jacobian and "
                "∂L/∂a cancel)"
            )
        elif act == "softmax":
            formula = f"δ{sup(m)} = J(z{sup(m)})ᵀ·∂L/∂a{sup(m)}, J the softmax Jacobian;  {dl}"
        else:
            formula = f"δ{sup(m)} = ∂L/∂a{sup(m)} ∘ f′(z{sup(m)});  {dl};  {_derivative(act)}"
        a, y = given(f"a{m}"), self._target()
        grad = np.asarray(LOSSES[ex.loss].grad(a[None, :], y[None, :]))[0]
        numbers = [f"a{sup(m)} = {fmt_value(a)}, y = {fmt_value(y)}, ∂L/∂a = {fmt_value(grad)}"]
        if act != "softmax":
            numbers.append(self._derivative_numbers(m, act, given))
        return formula, "\n".join(numbers)

    def _derivative_numbers(self, m: int, act: str, given: Given) -> str:
        z = given(f"z{m}")
        return (
            f"f′(z{sup(m)}) at z{sup(m)} = {fmt_value(z)}: "
            f"{fmt_value(_activation_derivative(act, z))}"
        )

    def _hint_delta_hidden(self, step: Step, given: Given) -> tuple[str, str]:
        m, v = _layer(step), fmt_value
        act = self.exercise.activation_of(m)
        w_next, d_next = self._weights(m + 1), given(f"delta{m + 1}")
        return (
            f"δ{sup(m)} = (W{sup(m + 1)}ᵀ·δ{sup(m + 1)}) ∘ f′(z{sup(m)});  {_derivative(act)}",
            f"W{sup(m + 1)}ᵀ·δ{sup(m + 1)} = {v(w_next.T)}·{v(d_next)} = {v(w_next.T @ d_next)}\n"
            + self._derivative_numbers(m, act, given),
        )

    def _hint_grad_w(self, step: Step, given: Given) -> tuple[str, str]:
        m = _layer(step)
        prev = self._prev_name(m)
        return (
            f"∂L/∂W{sup(m)} = δ{sup(m)}·({prev})ᵀ  (outer product: row j = δ{sup(m)}_j·{prev}ᵀ)",
            f"δ{sup(m)} = {fmt_value(given(f'delta{m}'))} (a column), "
            f"{prev} = {fmt_value(self._prev_activation(m, given))} (a row): "
            f"entry (j, k) = δ{sup(m)}_j·{prev}_k",
        )

    def _hint_grad_b(self, step: Step, given: Given) -> tuple[str, str]:
        m = _layer(step)
        return f"∂L/∂b{sup(m)} = δ{sup(m)}", f"∂L/∂b{sup(m)} = {fmt_value(given(f'delta{m}'))}"

    def _hint_update(self, step: Step, given: Given) -> tuple[str, str]:
        which, m = _param(step), _layer(step)
        eta = fmt_number(self.exercise.learning_rate)
        return (
            f"{which}{sup(m)} ← {which}{sup(m)} − η·∂L/∂{which}{sup(m)},  η = {eta}",
            f"{which}{sup(m)} new = {fmt_value(self._given_param(which, m))} − {eta}·"
            f"{fmt_value(given(f'grad_{which}{m}'))}",
        )

    _HINTS: dict[str, Callable[[BackpropRules, Step, Given], tuple[str, str]]] = {
        "z": _hint_z,
        "a": _hint_a,
        "loss": _hint_loss,
        "delta_output": _hint_delta_output,
        "delta_hidden": _hint_delta_hidden,
        "grad_W": _hint_grad_w,
        "grad_b": _hint_grad_b,
        "update": _hint_update,
    }

    def before(self, step: Step) -> np.ndarray | None:
        """W^m or b^m as given, for the step that updates it."""
        return self._given_param(_param(step), _layer(step)) if step.kind == "update" else None

    def worked_solution(self) -> str:
        return worked.render_backprop(self.exercise, "text")


def _steps(ex: BackpropExercise) -> list[Step]:
    """Every step in the order of the notes: z¹, a¹ … a^L, L, then δ^m, ∂L/∂W^m, ∂L/∂b^m for
    m = L … 1, then the updated W^m, b^m for m = 1 … L."""
    ans, big_l = ex.answers, ex.depth
    steps: list[Step] = []

    def add(key: str, kind: str, label: str, title: str, value, m: int | None, *path) -> None:
        steps.append(Step(key, kind, label, title, np.asarray(value, dtype=float), m, path))

    for m in range(1, big_l + 1):
        s, role, i = sup(m), f"{'output' if m == big_l else 'hidden'}, {ex.activation_of(m)}", m - 1
        add(f"z{m}", "z", f"z{s}", f"pre-activation of layer {m} ({role})", ans.z[i], m, "z", i)
        add(f"a{m}", "a", f"a{s}", f"activation of layer {m} ({role})", ans.a[i], m, "a", i)
    add("loss", "loss", "L", f"loss ({ex.loss})", ans.loss, None, "loss")
    for m in range(big_l, 0, -1):
        s, i, delta = sup(m), m - 1, "delta_output" if m == big_l else "delta_hidden"
        add(f"delta{m}", delta, f"δ{s}", f"∂L/∂z{s} of layer {m}", ans.delta[i], m, "delta", i)
        w, b = ans.grad_weights[i], ans.grad_biases[i]
        add(f"grad_W{m}", "grad_W", f"∂L/∂W{s}", f"gradient of W{s}", w, m, "grad_weights", i)
        add(f"grad_b{m}", "grad_b", f"∂L/∂b{s}", f"gradient of b{s}", b, m, "grad_biases", i)
    for m in range(1, big_l + 1):
        s, i = sup(m), m - 1
        w, b = ans.updated_weights[i], ans.updated_biases[i]
        add(f"new_W{m}", "update", f"W{s} new", f"W{s} after one step", w, m, "updated_weights", i)
        add(f"new_b{m}", "update", f"b{s} new", f"b{s} after one step", b, m, "updated_biases", i)
    return steps
