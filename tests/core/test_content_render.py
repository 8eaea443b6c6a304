"""latex_to_unicode and build_cards."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from studyapp.core.cards import CardSpec, build_cards
from studyapp.core.content import load_content
from studyapp.core.mathtext import (
    latex_to_unicode,
    prose_to_unicode,
    to_subscript,
    to_superscript,
)


@pytest.mark.parametrize(
    "latex, expected",
    [
        (r"\sigma(z) = \frac{1}{1 + e^{-z}}", "σ(z) = 1/(1 + e⁻ᶻ)"),
        (r"\tanh^\prime(z) = 1 - \tanh^2(z)", "tanh′(z) = 1 − tanh²(z)"),
        (
            r"\frac{\partial C}{\partial w} = \frac{\partial C}{\partial z}\frac{\partial z}{\partial w}",
            "∂C/∂w = (∂C/∂z)(∂z/∂w)",
        ),
        (r"\nabla f(x)", "∇f(x)"),
        (r"x_{i+1} = x_i - \alpha \nabla f(x_i)", "xᵢ₊₁ = xᵢ − α∇f(xᵢ)"),
        (r"\sqrt{x^2 + 1}", "√(x² + 1)"),
        (r"\sqrt{v}", "√v"),
        (r"\frac{1}{2}(a - y)^2", "½(a − y)²"),
        (r"\hat{m}_t = \frac{m_t}{1 - \beta_1^t}", "m̂ₜ = mₜ/(1 − β₁ᵗ)"),
        (r"W^m \in \mathbb{R}^{N}", "Wᵐ ∈ ℝᴺ"),
        (r"\delta^m = (W^{m+1})^\top \delta^{m+1}", "δᵐ = (Wᵐ⁺¹)ᵀδᵐ⁺¹"),
        (r"e^{z_i}", "e^(zᵢ)"),
        (r"\theta \leftarrow \theta - \eta \nabla J", "θ ← θ − η∇J"),
        (
            r"f(z) = \begin{cases} \alpha z & z < 0 \\ z & z \ge 0 \end{cases}",
            "f(z) = { αz if z < 0; z if z ≥ 0 }",
        ),
        (r"\begin{pmatrix} 0.2 & 0.4 \\ 0.3 & 0.7 \end{pmatrix}", "[[0.2, 0.4], [0.3, 0.7]]"),
        (r"\text{not differentiable}", "not differentiable"),
        (r"$$h = \sum_i w_i x_i$$", "h = Σᵢwᵢxᵢ"),
        (r"-y \log(a)", "−y log(a)"),
        ("x_{i+1} = x_i − α∇f(x_i)", "xᵢ₊₁ = xᵢ − α∇f(xᵢ)"),  # a typed U+2212 minus, as in errata
    ],
)
def test_latex_to_unicode(latex, expected):
    assert latex_to_unicode(latex) == expected


def test_latex_to_unicode_never_raises_and_degrades_to_names():
    for nasty in [
        "\\",
        "{",
        "}}}",
        "\\frac{",
        "^",
        "_",
        "\\begin{cases",
        "\\unknowncmd{x}",
        "a & b \\\\ c",
    ]:
        assert isinstance(latex_to_unicode(nasty), str)
    assert latex_to_unicode(r"\foo(x)") == "foo(x)"
    assert latex_to_unicode("") == ""


def test_scripts_fall_back_when_a_character_has_no_form():
    assert to_superscript("2") == "²" and to_superscript("-z") == "⁻ᶻ"
    assert to_superscript("q") is None  # no superscript q in Unicode
    assert to_subscript("ij") == "ᵢⱼ" and to_subscript("z") is None
    assert latex_to_unicode("x_{z}") == "x_z"


def test_mathtext_does_not_import_sympy():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, studyapp.core.mathtext, studyapp.core.cards, "
            "studyapp.core.content as c; c.load_content(include_user=False); "
            "print('sympy' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_every_latex_field_of_the_content_renders_without_leftover_commands():
    content = load_content(include_user=False)
    latexes = []
    for e in content.entries:
        latexes += [e.fields.get("latex"), e.fields.get("derivative_latex")]
        latexes += [s["latex"] for s in e.fields.get("steps") or []]
        latexes += [f["latex"] for f in e.fields.get("formulas") or []]
    latexes = [x for x in latexes if x]
    assert len(latexes) > 80
    for latex in latexes:
        text = latex_to_unicode(latex)
        assert "\\" not in text and "{" not in text.replace("{ ", "").replace("{−", "").replace(
            "{0", ""
        ), (latex, text)


# ---------------------------------------------------------------------------------------------
# Cards
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cards() -> list[CardSpec]:
    return build_cards(load_content(include_user=False))


def test_keys_are_unique_and_stable(cards):
    keys = [c.key for c in cards]
    assert len(keys) == len(set(keys))
    assert all(c.key == f"{c.entry_id}::{c.template}" for c in cards)
    assert [c.key for c in build_cards(load_content(include_user=False))] == keys


def test_several_templates_per_entry(cards):
    templates = {}
    for c in cards:
        templates.setdefault(c.entry_id, set()).add(c.template)
    assert templates["act.sigmoid"] == {"formula", "derivative", "proscons", "range", "cloze"}
    assert templates["loss.mse"] == {"formula", "derivative", "proscons", "cloze"}
    assert templates["rec.binary_large"] == {"recommend"}
    assert templates["opt.adam"] == {"update", "hyperparameters", "proscons", "cloze"}
    assert templates["term.dropout"] == {"definition", "term", "questions"}
    assert {"concept", "keypoints", "formulas", "q1"} <= templates["concept.ewa"]
    assert templates["err.sigmoid_sign"] == {"erratum"}
    content = load_content(include_user=False)
    assert all(len(templates[e.id]) >= 2 for e in content.entries)


def test_card_sides(cards):
    by_key = {c.key: c for c in cards}
    sig = by_key["act.sigmoid::formula"]
    assert sig.deck == "Deep Learning::Activations" and sig.topic == "activations"
    assert "σ(z) = 1/(1 + e⁻ᶻ)" in sig.back
    assert r"\(\sigma(z) = \frac{1}{1 + e^{-z}}\)" in sig.back_html
    assert re.fullmatch(r"content/activations\.toml:\d+", sig.source)
    assert "deep-learning" in sig.tags and "activations" in sig.tags
    assert all(" " not in t for c in cards for t in c.tags)
    cloze = by_key["act.sigmoid::cloze"]
    assert cloze.cloze.startswith("Sigmoid: \\(\\sigma(z) =\\) {{c1::\\(")
    assert "1/(1 + e⁻ᶻ)" not in cloze.front and "σ(z) = …" in cloze.front
    adam = by_key["opt.adam::cloze"].cloze
    assert all(f"{{{{c{n}::" in adam for n in range(1, 6))
    rec = by_key["rec.regression_many_features::recommend"]
    assert "Regression with more independent features" in rec.front
    assert "Loss: Mean Squared Error (MSE)" in rec.back and "ReLU at the output only" in rec.back
    err = by_key["err.gradient_descent_sign::erratum"]
    assert "xᵢ₊₁ = xᵢ + α∇f(xᵢ)" in err.front and "−" in err.back
    assert "Gradient descent written with a plus sign (error" in err.back
    assert err.deck == "Deep Learning::Concepts"


def test_every_card_has_both_sides(cards):
    for c in cards:
        assert c.front.strip() and c.back.strip(), c.key
        assert c.front_html.strip() and c.back_html.strip(), c.key
        assert "<script" not in c.back_html
    assert {c.deck for c in cards} == {
        "Deep Learning::Activations",
        "Deep Learning::Losses",
        "Deep Learning::Optimizers",
        "Deep Learning::Terms",
        "Deep Learning::Backprop",
        "Deep Learning::Concepts",
    }


@pytest.mark.parametrize(
    "latex, expected",
    [
        (r"\sigma(z) = \frac{1}{1 + e^{-z}}", "sigma(z) = 1/(1 + e^(-z))"),
        (r"\tanh^\prime(z) = 1 - \tanh^2(z)", "tanh'(z) = 1 - tanh^2(z)"),
        (r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t", "m_t = beta_1*m_(t-1) + (1 - beta_1)g_t"),
        (
            r"\theta_{t+1} = \theta_t - \frac{\eta \, \hat{m}_t}{\sqrt{\hat{v}_t} + \epsilon}",
            "theta_(t+1) = theta_t - eta*m_hat_t/(sqrt(v_hat_t) + eps)",
        ),
        (
            r"\frac{\partial C}{\partial W^m} = \frac{\partial C}{\partial z^m} \left(a^{m-1}\right)^\top",
            "dC/dW^m = (dC/dz^m)(a^(m-1))^T",
        ),
    ],
)
def test_latex_to_plain(latex, expected):
    from studyapp.core.mathtext import latex_to_plain

    assert latex_to_plain(latex) == expected


def test_three_views_of_every_formula_from_one_source():
    from studyapp.core.mathtext import render

    content = load_content(include_user=False)
    for e in content.topic("activations") + content.topic("losses"):
        latex = e.fields["latex"]
        views = {fmt: render(latex, fmt) for fmt in ("unicode", "latex", "plain")}
        assert views["latex"] == f"\\({latex}\\)"
        assert views["plain"].isascii() and views["plain"].strip(), (e.id, views["plain"])
        assert "\\" not in views["unicode"] and views["unicode"].strip()
    with pytest.raises(ValueError):
        render("x", "pdf")


# ---------------------------------------------------------------------------------------------
# Prose with a little LaTeX: only the math is rendered, the words stay apart
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "1/(1 + e^{z}) is σ(−z), a decreasing function whose derivative is −σ(1 − σ)",
            "1/(1 + eᶻ) is σ(−z), a decreasing function whose derivative is −σ(1 − σ)",
        ),
        ("W^m has N^m rows and N^{m−1} columns", "Wᵐ has Nᵐ rows and Nᵐ⁻¹ columns"),
        (r"The sum \frac{\partial C}{\partial w} holds", "The sum ∂C/∂w holds"),
        (r"see \text{not differentiable} here", "see not differentiable here"),
        (r"cross-entropy's log a, with \sigma(z)", "cross-entropy's log a, with σ(z)"),
        (r"x_{i+1} = x_i + \alpha \nabla f(x_i)", "xᵢ₊₁ = xᵢ + α∇f(xᵢ)"),  # a formula: whole
        (
            r"f(z) = \begin{cases} z & z > 0 \\ 0 & z \le 0 \end{cases} for ReLU",
            "f(z) = { z if z > 0; 0 if z ≤ 0 } for ReLU",
        ),
        ("plain δ^L and w_ij, leaky_relu", "plain δᴸ and wᵢⱼ, leaky_relu"),
        ("$x^2$ is a square", "x² is a square"),
        ("", ""),
    ],
)
def test_prose_renders_only_its_math(text, expected):
    assert prose_to_unicode(text) == expected


# Words of prose in a text: not command names, not inside a braced script, not a \begin{…} name.
_SCRIPTS = re.compile(
    r"\\(?:begin|end)\{[^{}]*\}|\\[A-Za-z]+|[\^_]\{[^{}]*\}|[\^_][A-Za-z0-9](?![A-Za-z])"
)
_WORD = re.compile(r"[A-Za-z]{3,}")


def _prose_words(text: str) -> list[str]:
    return _WORD.findall(_SCRIPTS.sub(" ", text))


def _all_texts(content) -> list[str]:
    out: list[str] = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for e in content.entries:
        walk(e.fields)
    for err in content.errata:
        walk([err.title, err.location, err.says, err.correct, err.why])
    walk(content.recommendations)
    for card in build_cards(content):
        walk([card.front, card.back])
    return out


def test_every_text_of_the_content_keeps_its_words_apart():
    # "adecreasingfunctionwhosederivativeis…": LaTeX rendering of prose used to drop every space
    from studyapp.ui.widgets.math_text import readable

    texts = _all_texts(load_content(include_user=False))
    with_latex = [t for t in texts if re.search(r"\\[A-Za-z]+|[\^_]\{", t)]
    assert len(with_latex) > 100  # the property is exercised on real LaTeX-bearing text
    for text in texts:
        shown = prose_to_unicode(text)
        assert readable(text) == shown  # the TUI shows exactly this
        for word in set(_prose_words(text)):
            count = len(re.findall(rf"(?<![A-Za-z]){word}(?![A-Za-z])", text))
            assert len(re.findall(rf"(?<![A-Za-z]){word}(?![A-Za-z])", shown)) >= min(count, 1), (
                f"{word!r} lost in {shown!r} (from {text!r})"
            )
        assert not re.search(r"[a-z]{25,}", shown), shown  # no words glued together


# ---------------------------------------------------------------------------------------------
# What the cards say about losses, optimizer defaults and recommendations
# ---------------------------------------------------------------------------------------------


def test_every_loss_card_states_its_reduction(cards):
    for card in cards:
        if card.topic == "losses" and not card.key.startswith("err."):
            assert "Reduction: " in card.back, card.key
    by_key = {c.key: c for c in cards}
    assert "averaged over the n outputs" in by_key["loss.mse::derivative"].front
    assert "summed over the n outputs" in by_key["loss.bce::derivative"].front
    assert "divided by n" in by_key["loss.huber::formula"].back


def test_hyperparameter_cards_name_whose_defaults(cards):
    by_key = {c.key: c for c in cards}
    adam = by_key["opt.adam::hyperparameters"]
    assert "Defaults: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-08; whose: Kingma & Ba" in adam.back
    assert "usual defaults" not in adam.front
    sgd = by_key["opt.sgd::hyperparameters"].back
    assert "No standard default for η. The learning rate is tuned" in sgd and "Defaults" not in sgd
    adagrad = by_key["opt.adagrad::hyperparameters"].back
    assert (
        "Defaults: η = 0.01; whose: PyTorch" in adagrad and "No standard default for ε." in adagrad
    )


def test_recommendation_cards_say_which_layer(cards):
    by_key = {c.key: c for c in cards}
    deep = by_key["rec.deep_small::recommend"]
    assert "hidden-layer activation" in deep.front and "Hidden-layer activation: ReLU" in deep.back
    binary = by_key["rec.binary_small::recommend"]
    assert "output-layer activation" in binary.front
    assert "Correction (Optimizer choice by feature count or data size)" in binary.back


def test_existing_card_keys_stay(cards):
    # keys (and the Anki GUIDs made from them) of every card learners already have: an edited
    # card keeps its key, new cards get new ones
    from pathlib import Path

    before = (Path(__file__).parent / "data" / "card_keys.txt").read_text().split()
    keys = {c.key for c in cards}
    assert len(before) == 303
    assert [k for k in before if k not in keys] == []
    assert len(keys) > len(before)
