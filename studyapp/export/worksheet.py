"""Printable worksheets: a seeded mix of backprop, optimizer and numeric exercises + answer key.

``studyapp worksheet --count N --seed S --format md|html --output PATH``. The same (N, S) always
gives the same sheet, byte for byte, so a teacher can hand out sheet 17 and grade with key 17.

Plan of a sheet (all randomness from ``numpy.random.default_rng([S, _STREAM])``):

* the kinds cycle backprop → optimizer → numeric and are shuffled, so any N ≥ 3 has all three;
* each exercise gets its own sub-seed and a setup drawn from small, hand-workable menus
  (:data:`BACKPROP_SETUPS`, :data:`OPTIMIZER_NAMES`, :data:`NUMERIC_KINDS`);
* backprop and optimizer exercises come from :mod:`engine.exercises` (typed, answers in
  float64); numeric ones are built here from :mod:`engine.activations` / :mod:`engine.losses`.

Markdown uses the lead's worked solutions (:mod:`studyapp.core.worked`); HTML sets the same steps
(with a few more intermediate values) as MathML, needs no network, and prints with the answer key
starting on a new page.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

from engine.exercise_types import BackpropExercise, OptimizerExercise
from engine.optimizers import NOTES_OPTIMIZERS
from studyapp.core.notation import (
    ACTIVATION_NOTATION,
    HYPER_SYMBOL,
    LOSS_NOTATION,
    quantity_symbol,
    rule_lines,
)
from studyapp.errors import UsageError
from studyapp.export import formulas as F
from studyapp.export import mathml as X
from studyapp.export.atomic import atomic_write_text, check_writable

FORMATS = ("md", "html")
MAX_COUNT = 200
_STREAM = 0x5EED  # separates the sheet's plan from the exercises' own streams

#: Backprop setups small enough to do by hand; softmax+cce needs 2 outputs.
BACKPROP_SETUPS: tuple[dict, ...] = (
    {
        "layers": (2, 2, 1),
        "activation": "sigmoid",
        "output_activation": "sigmoid",
        "loss": "half_sse",
    },
    {"layers": (2, 3, 1), "activation": "tanh", "output_activation": "sigmoid", "loss": "bce"},
    {"layers": (3, 2, 1), "activation": "relu", "output_activation": "linear", "loss": "mse"},
    {"layers": (2, 2, 2), "activation": "sigmoid", "output_activation": "softmax", "loss": "cce"},
    {
        "layers": (2, 2, 1),
        "activation": "leaky_relu",
        "output_activation": "sigmoid",
        "loss": "half_sse",
    },
)
#: Optimizers of the contract table (adamw is an engine extra, not in the notes).
OPTIMIZER_NAMES = NOTES_OPTIMIZERS  # the notes' seven (adamw only on request)
NUMERIC_KINDS = ("activation", "loss", "softmax")
NUMERIC_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish")
NUMERIC_LOSSES = ("half_sse", "mse", "mae", "huber", "bce", "cce", "hinge")
KIND_TITLES = {"backprop": "Backpropagation", "optimizer": "Optimizer step", "numeric": "Numeric"}


@dataclass(frozen=True)
class Item:
    """One exercise of a sheet: ``kind`` is backprop/optimizer/numeric; ``exercise`` is the
    engine's typed exercise, or for a numeric one the dict of :func:`generate_numeric`."""

    number: int
    kind: str
    exercise: BackpropExercise | OptimizerExercise | dict


# =========================================================================== building


def build_items(count: int, seed: int) -> list[Item]:
    """The exercises of sheet ``seed`` with ``count`` items (deterministic)."""
    import numpy as np

    from engine import exercises

    if not 1 <= count <= MAX_COUNT:
        raise UsageError(f"--count must be from 1 to {MAX_COUNT}, got {count}")
    # SeedSequence takes any non-negative integers; the sign goes in its own word so that
    # sheet −5 and sheet 5 differ.
    rng = np.random.default_rng([_STREAM, int(seed < 0), abs(int(seed))])
    kinds = [("backprop", "optimizer", "numeric")[i % 3] for i in range(count)]
    order = rng.permutation(count)
    kinds = [kinds[i] for i in order]
    items: list[Item] = []
    for number, kind in enumerate(kinds, start=1):
        sub_seed = int(rng.integers(0, 2**31 - 1))
        if kind == "backprop":
            setup = BACKPROP_SETUPS[int(rng.integers(len(BACKPROP_SETUPS)))]
            ex: BackpropExercise | OptimizerExercise | dict = exercises.backprop_exercises(
                sub_seed, count=1, **setup, decimals=2, learning_rate=0.1
            )[0]
        elif kind == "optimizer":
            name = OPTIMIZER_NAMES[int(rng.integers(len(OPTIMIZER_NAMES)))]
            ex = exercises.optimizer_exercises(
                sub_seed, count=1, optimizer=name, size=3, decimals=2
            )[0]
        else:
            numeric = NUMERIC_KINDS[int(rng.integers(len(NUMERIC_KINDS)))]
            ex = generate_numeric(sub_seed, numeric)
        items.append(Item(number, kind, ex))
    return items


def generate_numeric(seed: int, kind: str) -> dict:
    """A numeric exercise: evaluate an activation and its derivative, a loss and its gradient,
    or a softmax, at 3 given values (2 decimals). Answers are float64 from the engine."""
    import numpy as np

    from engine import activations, losses

    rng = np.random.default_rng([seed, 7])
    if kind == "activation":
        name = NUMERIC_ACTIVATIONS[int(rng.integers(len(NUMERIC_ACTIVATIONS)))]
        z = np.round(rng.uniform(-2, 2, size=3), 2)
        act = activations.ACTIVATIONS[name]
        return {
            "type": "activation",
            "seed": seed,
            "activation": name,
            "z": z.tolist(),
            "answers": {
                "a": act.value(z[None])[0].tolist(),
                "derivative": act.elementwise_derivative(z[None])[0].tolist(),
            },
        }
    if kind == "softmax":
        z = np.round(rng.uniform(-2, 2, size=3), 2)
        return {
            "type": "softmax",
            "seed": seed,
            "z": z.tolist(),
            "answers": {"a": activations.ACTIVATIONS["softmax"].value(z[None])[0].tolist()},
        }
    if kind != "loss":
        raise ValueError(f"unknown numeric exercise kind {kind!r}")
    name = NUMERIC_LOSSES[int(rng.integers(len(NUMERIC_LOSSES)))]
    u = rng.random(6)
    if name == "bce":
        a = np.round(0.05 + 0.9 * u[:3], 2)
        y = (u[3:] < 0.5).astype(float)
    elif name == "cce":
        p = np.round(np.exp(3 * u[:3]) / np.exp(3 * u[:3]).sum(), 2)
        p[-1] = round(1.0 - p[:-1].sum(), 2)  # probabilities that add up to exactly 1
        a = p
        y = np.eye(3)[int(u[3] * 3) % 3]
    elif name == "hinge":
        a = np.round(3 * u[:3] - 1.5, 2)
        y = np.where(u[3:] < 0.5, -1.0, 1.0)
    else:
        spread = 2.0 if name == "huber" else 1.0  # huber: both branches appear
        a = np.round(spread * (2 * u[:3] - 1), 2)
        y = np.round(2 * u[3:] - 1, 2)
    loss = losses.LOSSES[name]
    return {
        "type": "loss",
        "seed": seed,
        "loss": name,
        "a": a.tolist(),
        "y": y.tolist(),
        "answers": {
            "loss": float(loss.value(a[None], y[None])[0]),
            "grad": loss.grad(a[None], y[None])[0].tolist(),
        },
    }


# =========================================================================== Markdown


def _split_worked(problem: str, full: str) -> str:
    """The solution part of a worked render that repeats the problem first."""
    return full[len(problem) :].lstrip("\n") if full.startswith(problem) else full


def _md_numeric_problem(ex: dict) -> str:
    if ex["type"] == "activation":
        sym = ACTIVATION_NOTATION[ex["activation"]].symbol
        return (
            f"Evaluate the activation **{ex['activation']}** {sym}(z) and its derivative "
            f"{sym}′(z) at z = {_md_tuple(ex['z'], X.fmt_given)}."
        )
    if ex["type"] == "softmax":
        return f"Compute softmax(z) for z = {_md_tuple(ex['z'], X.fmt_given)}."
    definition = LOSS_NOTATION[ex["loss"]].definition
    return (
        f"Loss **{ex['loss']}**: {definition}. For a = {_md_tuple(ex['a'], X.fmt_given)} and "
        f"y = {_md_tuple(ex['y'], X.fmt_given)}, compute L and the gradient ∂L/∂a."
    )


def _md_numeric_answer(ex: dict) -> str:
    ans = ex["answers"]
    if ex["type"] == "activation":
        notation = ACTIVATION_NOTATION[ex["activation"]]
        sym = notation.symbol
        return "\n".join(
            [
                f"- {sym}(z) = {_md_tuple(ans['a'])}",
                f"- {notation.derivative}, so {sym}′(z) = {_md_tuple(ans['derivative'])}",
            ]
        )
    if ex["type"] == "softmax":
        return (
            f"- softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ) = {_md_tuple(ans['a'])} (the entries add up to 1)"
        )
    loss = LOSS_NOTATION[ex["loss"]]
    return "\n".join(
        [
            f"- {loss.definition} = {X.num_text(ans['loss'])}",
            f"- {loss.gradient} = {_md_tuple(ans['grad'])}",
        ]
    )


def _md_optimizer_problem(ex: OptimizerExercise) -> str:
    hyper = ", ".join(
        f"{HYPER_SYMBOL.get(k, k)} = {X.num_text(v, 6)}" for k, v in ex.hyperparameters.items()
    )
    lines = [
        f"**{ex.optimizer}**, step t = {ex.t}; {hyper}.",
        "",
        f"- θ = {_md_tuple(ex.params, X.fmt_given)}",
        f"- g = {_md_tuple(ex.grad, X.fmt_given)}",
    ]
    for k, v in ex.state.items():
        lines.append(
            f"- {quantity_symbol(k)} (after step {ex.t - 1}) = {_md_tuple(v, X.fmt_given)}"
        )
    lines += ["", "Update rules (element-wise):", ""]
    lines += [f"- {_md_escape(rule)}" for rule in rule_lines(ex.optimizer)]
    lines += ["", "Compute the new state, the intermediate values and the new θ."]
    return "\n".join(lines)


def _md_optimizer_answer(ex: OptimizerExercise) -> str:
    ans = ex.answers
    lines = [
        f"- {quantity_symbol(k)} = {_md_tuple(v)}"
        for k, v in (*ans.state.items(), *ans.intermediates.items())
    ]
    lines.append(f"- θ (new) = {_md_tuple(ans.params)}")
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    """Escape what Markdown would read as emphasis in a plain-text formula."""
    return text.replace("*", "\\*").replace("_", "\\_")


def _md_tuple(values, cell=X.num_text) -> str:
    return "(" + ", ".join(cell(v) for v in values) + ")"


def render_markdown(items: list[Item], seed: int) -> str:
    """The sheet as Markdown: exercises, a page break, then the answer key."""
    from studyapp.core import worked

    out = [
        f"# Deep learning worksheet — sheet {seed}",
        "",
        f"{len(items)} exercises. Give numbers to 4 significant digits. "
        "Name: ______________________  Date: ____________",
        "",
    ]
    solutions: list[str] = []
    for item in items:
        ex = item.exercise
        out.append(f"## Exercise {item.number} — {KIND_TITLES[item.kind]}")
        out.append("")
        if isinstance(ex, BackpropExercise):
            problem = worked.render_backprop_problem(ex, "md")
            solution = _split_worked(problem, worked.render_backprop(ex, "md"))
        elif isinstance(ex, OptimizerExercise):
            # Our own Markdown: worked.render_optimizer's "md" output relies on indented blocks
            # that CommonMark folds into one paragraph after "Rules:" (reported to the lead).
            problem, solution = _md_optimizer_problem(ex), _md_optimizer_answer(ex)
        else:
            problem, solution = _md_numeric_problem(ex), _md_numeric_answer(ex)
        out += [problem, ""]
        solutions.append(solution)
    out += [
        '<div style="page-break-before: always"></div>',
        "",
        "---",
        "",
        f"# Answer key — sheet {seed}",
        "",
    ]
    for item, solution in zip(items, solutions, strict=True):
        out += [f"## Answer {item.number} — {KIND_TITLES[item.kind]}", "", solution, ""]
    return "\n".join(out).rstrip() + "\n"


# =========================================================================== HTML

CSS = """\
:root { color-scheme: light; }
body { font-family: "DejaVu Serif", Georgia, "Times New Roman", serif; font-size: 11.5pt;
       line-height: 1.45; color: #111; background: #fff; max-width: 48em; margin: 2em auto; padding: 0 1.5em; }
h1 { font-size: 1.6em; margin: 0 0 0.2em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.4em; border-bottom: 1px solid #bbb; padding-bottom: 0.15em; }
h3 { font-size: 1em; margin: 1em 0 0.3em; }
.meta { color: #444; margin: 0 0 1em; }
.fill { display: inline-block; min-width: 12em; border-bottom: 1px solid #333; }
.given, .steps { margin: 0.4em 0; }
.given math, .inline-list math { margin-right: 1.2em; }
.eq { margin: 0.45em 0 0.45em 1.2em; }
/* a derivation reads down a left edge: keep display style, drop the centring */
.eq math[display="block"] { display: inline math; math-style: normal; }
.rules { margin: 0.3em 0; }
.task { margin: 0.6em 0; }
.work { height: 7em; border: 1px dashed #bbb; border-radius: 4px; margin: 0.6em 0 1em; }
.work.tall { height: 14em; }
.note { color: #444; font-size: 0.95em; }
.key h1 { margin-top: 0; }
.key section { margin-bottom: 1.2em; }
math { font-family: "STIX Two Math", "Latin Modern Math", "DejaVu Math TeX Gyre", math; }
mtable mtd { padding: 0.1em 0.45em; }
footer { margin-top: 2em; font-size: 0.85em; color: #666; }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
  .exercise { break-inside: avoid; page-break-inside: avoid; }
  .key { break-before: page; page-break-before: always; }
  .key section { break-inside: avoid; page-break-inside: avoid; }
  footer { display: none; }
}
"""


def _m(*items, block: bool = False) -> str:
    """Inline math, or (``block``) a display-style line of its own, left-aligned by CSS."""
    if block:
        return '<div class="eq">' + X.math(*items, display="block") + "</div>"
    return X.math(*items)


def _transposed_w(m: int) -> str:
    """``(W^m)^T`` with parentheses, so the layer index and the transpose do not stack."""
    return X.sup(X.paren(X.sup("W", m)), "T")


def _html_backprop_problem(ex: BackpropExercise) -> str:
    L = ex.depth
    layers = "–".join(str(n) for n in ex.layers)
    parts = [
        f'<p class="meta">Network {layers}; hidden activation <b>{ex.activation}</b>, '
        f"output activation <b>{ex.output_activation}</b>, loss <b>{ex.loss}</b>, "
        f"learning rate {_m('η', '=', X.given(ex.learning_rate))}.</p>",
        '<div class="given">',
        _m("x", "=", X.column(ex.x, X.given)),
        _m("y", "=", X.column(ex.target, X.given)),
        "</div>",
    ]
    for m in range(1, L + 1):
        parts.append(
            '<div class="given">'
            + _m(X.sup("W", m), "=", X.matrix(ex.weights[m - 1], X.given))
            + _m(X.sup("b", m), "=", X.column(ex.biases[m - 1], X.given))
            + "</div>"
        )
    parts.append(
        '<p class="task">Compute the forward pass '
        + _m(X.sup("z", "m"), ",", X.sup("a", "m"))
        + ", the loss "
        + _m("L")
        + ", every "
        + _m(X.sup("δ", "m"), "=", F.partial("L", X.sup("z", "m")))
        + ", the gradients "
        + _m(F.partial("L", X.sup("W", "m")), ",", F.partial("L", X.sup("b", "m")))
        + " and the parameters after one gradient-descent step.</p>"
    )
    return "\n".join(parts)


def _html_backprop_solution(ex: BackpropExercise) -> str:
    import numpy as np

    from engine import activations, losses

    ans = ex.answers
    L = ex.depth
    act = ex.activation_of
    prev = lambda m: X.mi("x") if m == 1 else X.sup("a", m - 1)  # noqa: E731
    out = ['<h3>Forward pass</h3><div class="steps">']
    for m in range(1, L + 1):
        out.append(
            _m(
                X.sup("z", m),
                "=",
                X.sup("W", m),
                prev(m),
                "+",
                X.sup("b", m),
                "=",
                X.column(ans.z[m - 1]),
                block=True,
            )
        )
        out.append(
            _m(
                X.sup("a", m),
                "=",
                F.act_of(act(m), X.sup("z", m)),
                "=",
                X.column(ans.a[m - 1]),
                block=True,
            )
        )
    out.append('</div><h3>Loss</h3><div class="steps">')
    out.append(_m("L", "=", F.LOSS[ex.loss], "=", X.num(ans.loss), block=True))
    out.append('</div><h3>Backward pass</h3><div class="steps">')

    a_L = np.asarray(ans.a[L - 1], dtype=float)[None]
    z_L = np.asarray(ans.z[L - 1], dtype=float)[None]
    y = np.asarray(ex.target, dtype=float)[None]
    out_act, loss = ex.output_activation, ex.loss
    dL = F.partial("L", X.sup("z", L))
    if (out_act, loss) in (("sigmoid", "bce"), ("softmax", "cce")):
        why = (
            "σ′ = a(1 − a) cancels the denominator of ∂L/∂a"
            if out_act == "sigmoid"
            else "the softmax Jacobian times −y/a simplifies to a − y for a one-hot y"
        )
        out.append(
            _m(
                X.sup("δ", L),
                "=",
                dL,
                "=",
                X.sup("a", L),
                X.MINUS,
                "y",
                "=",
                X.column(ans.delta[L - 1]),
                block=True,
            )
        )
        out.append(f'<p class="note">Shortcut: {html.escape(why)}.</p>')
    else:
        grad_a = losses.LOSSES[loss].grad(a_L, y)[0]
        out.append(_m(F.DL_DA, "=", F.LOSS_GRAD[loss], "=", X.column(grad_a), block=True))
        if out_act == "softmax":
            out.append(
                _m(
                    X.sup("δ", L),
                    "=",
                    X.sup("J", "T"),
                    F.partial("L", X.sup("a", L)),
                    ",",
                    X.space(),
                    "J",
                    "=",
                    X.fn("diag", "a"),
                    X.MINUS,
                    "a",
                    X.sup("a", "T"),
                    "=",
                    X.column(ans.delta[L - 1]),
                    block=True,
                )
            )
        else:
            deriv = activations.ACTIVATIONS[out_act].elementwise_derivative(z_L)[0]
            out.append(_m(F.act_prime_of(out_act, "z"), "=", F.DERIVATIVE[out_act], block=True))
            out.append(_m(F.act_prime_of(out_act, X.sup("z", L)), "=", X.column(deriv), block=True))
            out.append(
                _m(
                    X.sup("δ", L),
                    "=",
                    F.partial("L", X.sup("a", L)),
                    "⊙",
                    F.act_prime_of(out_act, X.sup("z", L)),
                    "=",
                    X.column(ans.delta[L - 1]),
                    block=True,
                )
            )
    for m in range(L, 0, -1):
        if m < L:
            z_m = np.asarray(ans.z[m - 1], dtype=float)[None]
            deriv = activations.ACTIVATIONS[act(m)].elementwise_derivative(z_m)[0]
            back = np.asarray(ex.weights[m], dtype=float).T @ np.asarray(ans.delta[m], dtype=float)
            out.append(
                _m(
                    _transposed_w(m + 1),
                    X.sup("δ", m + 1),
                    "=",
                    X.column(back),
                    ",",
                    X.space(),
                    F.act_prime_of(act(m), X.sup("z", m)),
                    "=",
                    X.column(deriv),
                    block=True,
                )
            )
            out.append(
                _m(
                    X.sup("δ", m),
                    "=",
                    F.act_prime_of(act(m), X.sup("z", m)),
                    "⊙",
                    _transposed_w(m + 1),
                    X.sup("δ", m + 1),
                    "=",
                    X.column(ans.delta[m - 1]),
                    block=True,
                )
            )
        a_prev = X.mi("x") if m == 1 else X.sup("a", m - 1)
        out.append(
            _m(
                F.partial("L", X.sup("W", m)),
                "=",
                X.sup("δ", m),
                X.sup(X.paren(a_prev), "T"),
                "=",
                X.matrix(ans.grad_weights[m - 1]),
                block=True,
            )
        )
        out.append(
            _m(
                F.partial("L", X.sup("b", m)),
                "=",
                X.sup("δ", m),
                "=",
                X.column(ans.grad_biases[m - 1]),
                block=True,
            )
        )
    out.append('</div><h3>Update</h3><div class="steps">')
    eta = X.given(ex.learning_rate)
    for m in range(1, L + 1):
        for name, new in (
            ("W", X.matrix(ans.updated_weights[m - 1])),
            ("b", X.column(ans.updated_biases[m - 1])),
        ):
            param = X.sup(name, m)
            out.append(
                _m(param, F.ARROW, param, X.MINUS, eta, F.partial("L", param), "=", new, block=True)
            )
    out.append("</div>")
    return "\n".join(out)


def _html_optimizer_problem(ex: OptimizerExercise) -> str:
    hyper = []
    for k, v in ex.hyperparameters.items():
        hyper.append(_m(F.HYPER.get(k, X.mi(k)), "=", X.num(v, 6)))
    state = "".join(
        _m(F.QUANTITY.get(k, X.mi(k)), "=", X.tuple_(v, X.given)) for k, v in ex.state.items()
    )
    rules = "".join(_m(r, block=True) for r in F.OPTIMIZER_RULES[ex.optimizer])
    note = F.OPTIMIZER_NOTES.get(ex.optimizer)
    parts = [
        f'<p class="meta"><b>{ex.optimizer}</b>, step {_m("t", "=", X.mn(ex.t))}; '
        + ", ".join(hyper)
        + ".</p>",
        '<div class="given">'
        + _m("θ", "=", X.tuple_(ex.params, X.given))
        + _m("g", "=", X.tuple_(ex.grad, X.given))
        + "</div>",
    ]
    if state:
        parts.append(
            f'<div class="given">{state} <span class="note">(after step {ex.t - 1})</span></div>'
        )
    parts.append(f'<div class="rules">{rules}</div>')
    if note:
        parts.append(f'<p class="note">{html.escape(note)}</p>')
    parts.append(
        '<p class="task">All operations are element-wise. Compute the new state, the '
        "intermediate values and the new θ.</p>"
    )
    return "\n".join(parts)


def _html_optimizer_solution(ex: OptimizerExercise) -> str:
    ans = ex.answers
    out = ['<div class="steps">']
    for k, v in ans.state.items():
        out.append(_m(F.QUANTITY.get(k, X.mi(k)), "=", X.tuple_(v), block=True))
    for k, v in ans.intermediates.items():
        out.append(_m(F.QUANTITY.get(k, X.mi(k)), "=", X.tuple_(v), block=True))
    out.append(_m("θ", F.ARROW, X.tuple_(ans.params), block=True))
    out.append("</div>")
    return "\n".join(out)


def _html_numeric_problem(ex: dict) -> str:
    if ex["type"] == "activation":
        name = ex["activation"]
        return (
            f'<p class="task">Evaluate the activation <b>{name}</b> '
            + _m(F.act_of(name, "z"), "=", F.ACTIVATION[name])
            + " and its derivative "
            + _m(F.act_prime_of(name, "z"))
            + " at "
            + _m("z", "=", X.tuple_(ex["z"], X.given))
            + ".</p>"
        )
    if ex["type"] == "softmax":
        return (
            '<p class="task">Compute '
            + _m(X.sub(X.fn("softmax", "z"), "i"), "=", F.ACTIVATION["softmax"])
            + " for "
            + _m("z", "=", X.tuple_(ex["z"], X.given))
            + ".</p>"
        )
    return (
        f'<p class="task">Loss <b>{ex["loss"]}</b>: '
        + _m("L", "=", F.LOSS[ex["loss"]])
        + ". For "
        + _m("a", "=", X.tuple_(ex["a"], X.given))
        + " and "
        + _m("y", "=", X.tuple_(ex["y"], X.given))
        + ", compute "
        + _m("L")
        + " and the gradient "
        + _m(F.partial("L", "a"))
        + ".</p>"
    )


def _html_numeric_solution(ex: dict) -> str:
    ans = ex["answers"]
    if ex["type"] == "activation":
        name = ex["activation"]
        lines = [
            _m(F.act_of(name, "z"), "=", X.tuple_(ans["a"]), block=True),
            _m(F.act_prime_of(name, "z"), "=", F.DERIVATIVE[name], block=True),
            _m(F.act_prime_of(name, "z"), "=", X.tuple_(ans["derivative"]), block=True),
        ]
    elif ex["type"] == "softmax":
        lines = [
            _m(X.fn("softmax", "z"), "=", X.tuple_(ans["a"]), block=True),
            '<p class="note">Check: the entries add up to 1.</p>',
        ]
    else:
        lines = [
            _m("L", "=", F.LOSS[ex["loss"]], "=", X.num(ans["loss"]), block=True),
            _m(F.DL_DA, "=", F.LOSS_GRAD[ex["loss"]], block=True),
            _m(F.partial("L", "a"), "=", X.tuple_(ans["grad"]), block=True),
        ]
    return '<div class="steps">' + "\n".join(lines) + "</div>"


def render_html(items: list[Item], seed: int) -> str:
    """The sheet as one self-contained HTML page (inline CSS, MathML, no scripts or links)."""
    from studyapp import __version__

    body = [
        "<header>",
        f"<h1>Deep learning worksheet · sheet {seed}</h1>",
        f'<p class="meta">{len(items)} exercises. Give numbers to 4 significant digits.</p>',
        '<p class="meta">Name: <span class="fill"></span> Date: <span class="fill" '
        'style="min-width:7em"></span></p>',
        "</header>",
        '<main class="exercises">',
    ]
    key = ['<section class="key">', f"<h1>Answer key · sheet {seed}</h1>"]
    for item in items:
        ex = item.exercise
        if isinstance(ex, BackpropExercise):
            problem, solution, tall = _html_backprop_problem(ex), _html_backprop_solution(ex), True
        elif isinstance(ex, OptimizerExercise):
            problem, solution, tall = (
                _html_optimizer_problem(ex),
                _html_optimizer_solution(ex),
                False,
            )
        else:
            problem, solution, tall = _html_numeric_problem(ex), _html_numeric_solution(ex), False
        title = f"Exercise {item.number} · {KIND_TITLES[item.kind]}"
        body.append(f'<article class="exercise" id="ex-{item.number}"><h2>{title}</h2>')
        body.append(problem)
        body.append(f'<div class="work{" tall" if tall else ""}"></div></article>')
        key.append(
            f'<section id="answer-{item.number}"><h2>Answer {item.number} · '
            f"{KIND_TITLES[item.kind]}</h2>\n{solution}</section>"
        )
    body.append("</main>")
    key.append("</section>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="studyapp {html.escape(__version__)}">',
            f"<title>Deep learning worksheet {seed}</title>",
            f"<style>\n{CSS}</style>",
            "</head>",
            "<body>",
            *body,
            *key,
            f"<footer>studyapp worksheet --count {len(items)} --seed {seed}</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


# =========================================================================== entry point


def render_worksheet(count: int, seed: int, fmt: str) -> str:
    """The sheet's text (Markdown or HTML) without writing it."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown worksheet format {fmt!r} (choose from {', '.join(FORMATS)})")
    items = build_items(count, seed)
    return render_markdown(items, seed) if fmt == "md" else render_html(items, seed)


def write_worksheet(count: int, seed: int, fmt: str, path: str | os.PathLike) -> Path:
    """Render sheet ``seed`` with ``count`` exercises as ``fmt`` and write it atomically to
    ``path`` (an existing file is kept as ``<path>.bak``). Returns the path written."""
    check_writable(path)
    text = render_worksheet(count, seed, fmt)
    return atomic_write_text(path, text)
