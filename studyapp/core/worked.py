"""Worked solutions of engine exercises as readable text (terminal) or Markdown (with LaTeX).

Input is a typed exercise of :mod:`engine.exercise_types` (whose dict form is the JSON contract);
nothing is recomputed here, so what a student reads is exactly what the JSON says.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.exercise_types import BackpropExercise, Exercise, OptimizerExercise
from studyapp.core.notation import (
    ACTIVATION_NOTATION,
    HYPER_SYMBOL,
    LOSS_NOTATION,
    quantity_symbol,
    rule_lines,
    sup,
)


def _symbol(activation: str) -> str:
    return ACTIVATION_NOTATION[activation].symbol


def num(v: float, digits: int = 4) -> str:
    """A number with ``digits`` significant digits and a real minus sign: −0.05030."""
    if v == 0:
        return "0"
    s = f"{v:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        s = f"{mant}·10{sup(int(exp))}"
    return s.replace("-", "−")


def given(v: float) -> str:
    """A given (already rounded) value, shown exactly."""
    return (f"{v:g}" if v != int(v) or abs(v) < 1e15 else repr(v)).replace("-", "−")


def vec(values: Sequence[float], fmt=num) -> str:
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def matrix_lines(rows: Sequence[Sequence[float]], fmt=num) -> list[str]:
    """A matrix drawn with tall brackets, one text line per row, columns aligned."""
    cells = [[fmt(v) for v in row] for row in rows]
    widths = [max(len(r[j]) for r in cells) for j in range(len(cells[0]))]
    body = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    if len(body) == 1:
        return [f"[{body[0]}]"]
    out = []
    for i, line in enumerate(body):
        left, right = ("⎡", "⎤") if i == 0 else ("⎣", "⎦") if i == len(body) - 1 else ("⎢", "⎥")
        out.append(f"{left}{line}{right}")
    return out


def _assign(lines: list[str], label: str, rows, fmt=num, indent: str = "  ") -> None:
    block = matrix_lines(rows, fmt)
    head = f"{indent}{label} = "
    lines.append(head + block[0])
    lines.extend(" " * len(head) + b for b in block[1:])


# --- LaTeX helpers for Markdown ---------------------------------------------------------------


def tex_num(v: float, digits: int = 4) -> str:
    if v == 0:
        return "0"
    s = f"{v:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return s


def tex_vec(values, fmt=tex_num) -> str:
    return r"\begin{pmatrix}" + r" \\ ".join(fmt(v) for v in values) + r"\end{pmatrix}"


def tex_mat(rows, fmt=tex_num) -> str:
    return (
        r"\begin{bmatrix}"
        + r" \\ ".join(" & ".join(fmt(v) for v in r) for r in rows)
        + r"\end{bmatrix}"
    )


def _tex_given(v: float) -> str:
    return f"{v:g}"


# --- backprop -------------------------------------------------------------------------------


def _title(ex: BackpropExercise) -> str:
    layers = "-".join(str(n) for n in ex.layers)
    origin = f"preset {ex.preset}" if ex.preset else f"seed {ex.seed}, #{ex.index}"
    return (
        f"Backprop exercise ({origin}): layers {layers}, hidden {ex.activation}, "
        f"output {ex.output_activation}, loss {ex.loss}, η = {given(ex.learning_rate)}"
    )


def render_backprop_problem(ex: BackpropExercise, fmt: str = "text") -> str:
    """The question: given values and what to compute."""
    if fmt == "md":
        return _md_problem(ex)
    L = ex.depth
    lines = [_title(ex), "", "Given"]
    lines.append(f"  x = {vec(ex.x, given)}    target y = {vec(ex.target, given)}")
    for m in range(1, L + 1):
        _assign(lines, f"W{sup(m)}", ex.weights[m - 1], given)
        lines.append(f"  b{sup(m)} = {vec(ex.biases[m - 1], given)}")
    lines.append("")
    lines.append(
        f"Compute z{sup(1)}…z{sup(L)}, a{sup(1)}…a{sup(L)}, the loss, every δ{sup('m')} = "
        f"∂L/∂z{sup('m')}, ∂L/∂W{sup('m')}, ∂L/∂b{sup('m')}, and the parameters after one "
        "gradient-descent step."
    )
    return "\n".join(lines)


def render_backprop(ex: BackpropExercise, fmt: str = "text") -> str:
    """The full worked solution (problem, forward pass, loss, backward pass, update)."""
    if fmt == "md":
        return _md_problem(ex) + "\n\n" + _md_solution(ex)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r} (allowed: text, md)")
    ans = ex.answers
    L = ex.depth
    act = ex.activation_of
    lines = [render_backprop_problem(ex), "", "Forward pass"]
    for m in range(1, L + 1):
        prev = "x" if m == 1 else f"a{sup(m - 1)}"
        lines.append(f"  z{sup(m)} = W{sup(m)}{prev} + b{sup(m)} = {vec(ans.z[m - 1])}")
        lines.append(f"  a{sup(m)} = {_symbol(act(m))}(z{sup(m)}) = {vec(ans.a[m - 1])}")
    loss_text = LOSS_NOTATION[ex.loss]
    lines += ["", "Loss", f"  {loss_text.definition} = {num(ans.loss)}", "", "Backward pass"]
    lines.append(f"  δ{sup(L)} = ∂L/∂z{sup(L)} = {_output_delta_rule(ex)}")
    lines.append(f"     = {vec(ans.delta[L - 1])}")
    for m in range(L, 0, -1):
        if m < L:
            lines.append(
                f"  δ{sup(m)} = {_symbol(act(m))}′(z{sup(m)}) ⊙ (W{sup(m + 1)})ᵀ"
                f"δ{sup(m + 1)} = {vec(ans.delta[m - 1])}"
            )
        prev = "x" if m == 1 else f"a{sup(m - 1)}"
        _assign(lines, f"∂L/∂W{sup(m)} = δ{sup(m)}({prev})ᵀ", ans.grad_weights[m - 1])
        lines.append(f"  ∂L/∂b{sup(m)} = δ{sup(m)} = {vec(ans.grad_biases[m - 1])}")
    eta = given(ex.learning_rate)
    lines += ["", f"Update (W ← W − η ∂L/∂W, b ← b − η ∂L/∂b, η = {eta})"]
    for m in range(1, L + 1):
        _assign(lines, f"W{sup(m)}", ans.updated_weights[m - 1])
        lines.append(f"  b{sup(m)} = {vec(ans.updated_biases[m - 1])}")
    return "\n".join(lines)


def _output_delta_rule(ex: BackpropExercise) -> str:
    """How δᴸ = ∂L/∂zᴸ is computed for this output activation and loss."""
    L, out_act = ex.depth, ex.output_activation
    gradient = LOSS_NOTATION[ex.loss].gradient
    if (out_act, ex.loss) == ("sigmoid", "bce"):
        return f"a{sup(L)} − y  (σ′ = a(1 − a) cancels the denominator of ∂L/∂a)"
    if (out_act, ex.loss) == ("softmax", "cce"):
        return f"a{sup(L)} − y  (the softmax Jacobian times −y/a gives a·Σy − y)"
    if out_act == "softmax":
        return f"Jᵀ ∂L/∂a, J = ∂a{sup(L)}/∂z{sup(L)} = diag(a) − a aᵀ;  {gradient}"
    return (
        f"∂L/∂a ⊙ {_symbol(out_act)}′(z{sup(L)});  {gradient}, "
        f"{ACTIVATION_NOTATION[out_act].derivative}"
    )


def _md_problem(ex: BackpropExercise) -> str:
    L = ex.depth
    parts = [
        f"### {_title(ex)}",
        "",
        "Given:",
        "",
        rf"$x = {tex_vec(ex.x, _tex_given)}$, target $y = {tex_vec(ex.target, _tex_given)}$",
    ]
    for m in range(1, L + 1):
        parts.append("")
        parts.append(
            rf"$W^{{{m}}} = {tex_mat(ex.weights[m - 1], _tex_given)}$, "
            rf"$b^{{{m}}} = {tex_vec(ex.biases[m - 1], _tex_given)}$"
        )
    parts += [
        "",
        r"Compute every $z^m$, $a^m$, the loss, $\delta^m = \partial L/\partial z^m$, "
        r"$\partial L/\partial W^m$, $\partial L/\partial b^m$ and the updated parameters.",
    ]
    return "\n".join(parts)


def _md_solution(ex: BackpropExercise) -> str:
    ans = ex.answers
    L = ex.depth
    act = ex.activation_of
    out = ["**Forward pass**", ""]
    for m in range(1, L + 1):
        prev = "x" if m == 1 else f"a^{{{m - 1}}}"
        out.append(
            rf"- $z^{{{m}}} = W^{{{m}}}{prev} + b^{{{m}}} = {tex_vec(ans.z[m - 1])}$, "
            rf"$a^{{{m}}} = {ACTIVATION_NOTATION[act(m)].latex}(z^{{{m}}}) = {tex_vec(ans.a[m - 1])}$"
        )
    out += [
        "",
        rf"**Loss**: ${LOSS_NOTATION[ex.loss].latex} = {tex_num(ans.loss)}$",
        "",
        "**Backward pass**",
        "",
    ]
    for m in range(L, 0, -1):
        if m == L:
            rule = rf"\partial L/\partial z^{{{L}}}"
        else:
            rule = rf"{ACTIVATION_NOTATION[act(m)].latex}'(z^{{{m}}}) \odot (W^{{{m + 1}}})^T \delta^{{{m + 1}}}"
        prev = "x" if m == 1 else f"a^{{{m - 1}}}"
        out.append(
            rf"- $\delta^{{{m}}} = {rule} = {tex_vec(ans.delta[m - 1])}$; "
            rf"$\partial L/\partial W^{{{m}}} = \delta^{{{m}}}({prev})^T = "
            rf"{tex_mat(ans.grad_weights[m - 1])}$; "
            rf"$\partial L/\partial b^{{{m}}} = {tex_vec(ans.grad_biases[m - 1])}$"
        )
    out += ["", rf"**Update** ($\eta = {ex.learning_rate:g}$)", ""]
    for m in range(1, L + 1):
        out.append(
            rf"- $W^{{{m}}} \leftarrow {tex_mat(ans.updated_weights[m - 1])}$, "
            rf"$b^{{{m}}} \leftarrow {tex_vec(ans.updated_biases[m - 1])}$"
        )
    return "\n".join(out)


# --- optimizers -----------------------------------------------------------------------------


def _optimizer_lines(ex: OptimizerExercise) -> tuple[str, list[str], list[str], list[str]]:
    """(title, given lines, rule lines, answer lines) of an optimizer exercise."""
    hyper = ", ".join(f"{HYPER_SYMBOL.get(k, k)} = {v:g}" for k, v in ex.hyperparameters.items())
    title = f"{ex.optimizer} step t = {ex.t} (seed {ex.seed}, #{ex.index}); {hyper}"
    given_lines = [f"θ = {vec(ex.params, given)}", f"g = {vec(ex.grad, given)}"]
    given_lines += [
        f"{quantity_symbol(k)} (after step {ex.t - 1}) = {vec(v, given)}"
        for k, v in ex.state.items()
    ]
    ans = ex.answers
    answer = [
        f"{quantity_symbol(k)} = {vec(v)}"
        for k, v in (*ans.state.items(), *ans.intermediates.items())
    ]
    answer.append(f"θ (new) = {vec(ans.params)}")
    return title, given_lines, rule_lines(ex.optimizer), answer


def render_optimizer_problem(ex: OptimizerExercise, fmt: str = "text") -> str:
    """The question of one optimizer exercise: given values and the update rules."""
    title, given_lines, rules, _ = _optimizer_lines(ex)
    ask = "Compute the new state, the intermediates and the new θ."
    if fmt == "md":
        return "\n".join(
            [
                f"### {title}",
                "",
                *(f"- {g}" for g in given_lines),
                "",
                "Rules:",
                "",
                *(f"- {r}" for r in rules),
                "",
                ask,
            ]
        )
    return "\n".join(
        [
            title,
            "",
            *(f"  {g}" for g in given_lines),
            "",
            "Rules:",
            *(f"  {r}" for r in rules),
            "",
            ask,
        ]
    )


def render_optimizer(ex: OptimizerExercise, fmt: str = "text") -> str:
    """Problem and worked answer of one optimizer exercise."""
    *_, answer = _optimizer_lines(ex)
    if fmt == "md":
        return "\n".join(
            [render_optimizer_problem(ex, fmt), "", "**Answer**", "", *(f"- {a}" for a in answer)]
        )
    return "\n".join([render_optimizer_problem(ex, fmt), "", "Answer", *(f"  {a}" for a in answer)])


def render(ex: Exercise, fmt: str = "text") -> str:
    """The worked solution of a backprop or optimizer exercise, as text or Markdown."""
    if isinstance(ex, OptimizerExercise):
        return render_optimizer(ex, fmt)
    return render_backprop(ex, fmt)
