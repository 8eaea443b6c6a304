"""Flashcards built from the content: several templates per entry.

``build_cards(content) -> list[CardSpec]``. Each card has a stable key ``"<entry_id>::<template>"``
(the entry id is written in the content file, so editing an entry's text keeps the key and with it
the review history). ``front``/``back`` are Unicode text for the terminal (LaTeX rendered by
:func:`studyapp.core.mathtext.latex_to_unicode`); ``front_html``/``back_html`` are HTML for Anki
with the LaTeX kept as MathJax ``\\( … \\)``; ``cloze`` is Anki cloze text for cloze templates.

Templates:

- activations, losses: ``formula``, ``derivative``, ``proscons``, ``range`` (activations),
  ``cloze`` (the right-hand side of the formula hidden; only when the LaTeX has an ``=``)
- optimizers: ``update``, ``hyperparameters``, ``proscons``, ``cloze`` (each step's right-hand side)
- terms: ``definition``, ``term`` (reverse: definition → term), ``questions``
- concepts, backprop: ``concept``, ``keypoints``, ``formulas`` (if any), ``q1``, ``q2``… (one per
  question)
- user (imported notes): ``col_<column>`` for each column after the first
- errata: ``<erratum id>::erratum`` (“the notes say X; what is right?”), in the deck of the entry
  it concerns
- recommendations: ``<rec id>::recommend`` (scenario and task → activation, loss, optimizer)
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from studyapp.core.content import DECKS, ERRATUM_KINDS, Content, Entry, Erratum
from studyapp.core.mathtext import latex_to_unicode, prose_to_unicode
from studyapp.core.notation import REDUCED, quantity_symbol, reduction_phrase


@dataclass
class CardSpec:
    """One flashcard of a content entry. ``key`` = "<entry_id>::<template>" is stable across
    content edits (it keys the review history and the Anki GUID); ``front``/``back`` are unicode
    for the terminal, ``front_html``/``back_html`` use MathJax for Anki; ``cloze`` is the Anki cloze
    text when the template is a cloze."""

    key: str
    entry_id: str
    template: str
    topic: str
    deck: str
    front: str
    back: str
    front_html: str
    back_html: str
    tags: list[str] = field(default_factory=list)
    source: str = ""
    cloze: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def plain(
        cls,
        key: str,
        entry_id: str,
        template: str,
        topic: str,
        deck: str,
        front: str,
        back: str,
        tags=(),
        source: str = "",
    ) -> CardSpec:
        """A card without math markup: its HTML sides are its text sides."""
        return cls(
            key, entry_id, template, topic, deck, front, back, front, back, list(tags), source
        )


# ---------------------------------------------------------------------------------------------
# Small builders: each card side is a list of parts, rendered once as text and once as HTML.
# A part is ("text", str) | ("math", latex) | ("list", [str]) | ("mathlist", [(label, latex)]).
# ---------------------------------------------------------------------------------------------

Part = tuple[str, Any]


def _text(parts: list[Part]) -> str:
    # prose may hold a little LaTeX (e^{z}, \sigma): only its math spans are rendered
    lines: list[str] = []
    for kind, value in parts:
        if kind == "text":
            lines.append(prose_to_unicode(value))
        elif kind == "math":
            lines.append(latex_to_unicode(value))
        elif kind == "list":
            lines.extend(f"• {prose_to_unicode(item)}" for item in value)
        elif kind == "mathlist":
            lines.extend(
                f"• {label}{': ' if label else ''}{latex_to_unicode(tex)}" for label, tex in value
            )
    return "\n".join(line for line in lines if line is not None).strip()


def _mathjax(latex: str) -> str:
    # MathJax inline delimiters; HTML-escape so < and & inside formulas survive in Anki's HTML.
    return "\\(" + html.escape(latex, quote=False) + "\\)"


def _html(parts: list[Part]) -> str:
    out: list[str] = []
    for kind, value in parts:
        if kind == "text":
            text = html.escape(prose_to_unicode(value)).replace("\n", "<br>")
            out.append("<div>" + text + "</div>")
        elif kind == "math":
            out.append("<div>" + _mathjax(value) + "</div>")
        elif kind == "list":
            items = "".join(f"<li>{html.escape(prose_to_unicode(v))}</li>" for v in value)
            out.append("<ul>" + items + "</ul>")
        elif kind == "mathlist":
            out.append(
                "<ul>"
                + "".join(
                    f"<li>{html.escape(label) + ': ' if label else ''}{_mathjax(tex)}</li>"
                    for label, tex in value
                )
                + "</ul>"
            )
    return "".join(out)


def _card(
    entry_id: str,
    template: str,
    topic: str,
    deck: str,
    front: list[Part],
    back: list[Part],
    source: str,
    tags: list[str],
    cloze: str | None = None,
) -> CardSpec:
    return CardSpec(
        key=f"{entry_id}::{template}",
        entry_id=entry_id,
        template=template,
        topic=topic,
        deck=deck,
        front=_text(front),
        back=_text(back),
        front_html=_html(front),
        back_html=_html(back),
        tags=tags,
        source=source,
        cloze=cloze,
    )


def _tags(entry: Entry, template: str, *extra: str) -> list[str]:
    tags = ["deep-learning", entry.topic, template, *extra]
    if entry.get("extension"):
        tags.append("extension")
    return [re.sub(r"\s+", "_", t) for t in tags]


def _split_equation(latex: str) -> tuple[str, str] | None:
    """Split ``lhs = rhs`` at the first top-level ``=`` (outside braces); None if there is none."""
    depth = 0
    for i, c in enumerate(latex):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "=" and depth == 0 and latex[i - 1 : i] not in ("<", ">", "\\"):
            return latex[:i].strip(), latex[i + 1 :].strip()
    return None


def _cloze_escape(latex: str) -> str:
    # "}}" would close the cloze early: Anki's own advice is to put a space between the braces.
    return latex.replace("}}", "} }")


# ---------------------------------------------------------------------------------------------
# Templates per topic
# ---------------------------------------------------------------------------------------------


# Parameter names of the formulas as a learner reads them (SELU's λ is typed lam).
_PARAMETER_NAMES = {"alpha": "α", "beta": "β", "delta": "δ", "lam": "λ"}

# How a loss combines over the n outputs (the loss entries' `reduction`): it changes the gradient.
_REDUCTION_TEXT = {
    "sum": f"Reduction: {reduction_phrase('sum')}; ∂L/∂aᵢ is the per-output derivative.",
    "mean": f"Reduction: {reduction_phrase('mean')}; ∂L/∂aᵢ is the per-output derivative "
    "divided by n.",
}


def _function_cards(entry: Entry) -> list[CardSpec]:
    """activations and losses."""
    f = entry.fields
    what = "activation function" if entry.topic == "activations" else "loss"
    deck, topic, src = entry.deck, entry.topic, entry.source
    cards: list[CardSpec] = []
    # every loss card says how the loss combines over the outputs (on the back, and on the front
    # of the derivative card, whose answer depends on it)
    reduction: list[Part] = (
        [("text", _REDUCTION_TEXT[f["reduction"]])] if f.get("reduction") else []
    )

    back: list[Part] = [("math", f["latex"])]
    if f.get("formula"):
        back.append(("text", f"Typed: {f['formula']}"))
    elif f.get("formula_text"):
        back.append(("text", f["formula_text"]))
    if f.get("range"):
        back.append(("text", f"Range: {f['range']}"))
    if f.get("targets"):
        back.append(("text", f"Targets: {f['targets']}"))
    if f.get("parameters"):
        learned = set(f.get("learned") or [])
        back.append(
            (
                "text",
                "Parameters: "
                + ", ".join(
                    f"{_PARAMETER_NAMES.get(k, k)} = {v:.6g}"
                    + (" (learned; initial value)" if k in learned else "")
                    for k, v in f["parameters"].items()
                ),
            )
        )
    cards.append(
        _card(
            entry.id,
            "formula",
            topic,
            deck,
            [("text", f"{entry.name}: what is the formula of this {what}?")],
            back + reduction,
            src,
            _tags(entry, "formula"),
        )
    )

    if f.get("reduction"):
        question = (
            f"{entry.name}, {REDUCED[f['reduction']]} over the n outputs: what is its "
            "derivative ∂L/∂aᵢ with respect to one prediction aᵢ?"
        )
    else:
        question = f"{entry.name}: what is its derivative with respect to z?"
    dback: list[Part] = [("math", f["derivative_latex"])]
    if f.get("derivative"):
        per_output = " (per output)" if reduction else ""
        dback.append(("text", f"Typed{per_output}: {f['derivative']}"))
    if f.get("derivative_note"):
        dback.append(("text", f["derivative_note"]))
    cards.append(
        _card(
            entry.id,
            "derivative",
            topic,
            deck,
            [("text", question), ("math", f["latex"])],
            dback + reduction,
            src,
            _tags(entry, "derivative"),
        )
    )

    pback: list[Part] = [
        ("text", "Used for:"),
        ("list", f["use"]),
        ("text", "Pros:"),
        ("list", f["pros"]),
        ("text", "Cons:"),
        ("list", f["cons"]),
    ]
    if f.get("notes"):
        pback.append(("text", f"Note: {f['notes']}"))
    cards.append(
        _card(
            entry.id,
            "proscons",
            topic,
            deck,
            [("text", f"{entry.name}: where is it used, and what are its pros and cons?")],
            pback + reduction,
            src,
            _tags(entry, "proscons"),
        )
    )

    if f.get("range"):
        cards.append(
            _card(
                entry.id,
                "range",
                topic,
                deck,
                [("text", f"{entry.name}: what is the range of its output?")],
                [("text", f["range"]), ("math", f["latex"])],
                src,
                _tags(entry, "range"),
            )
        )

    split = _split_equation(f["latex"])
    if split and split[1]:
        lhs, rhs = split
        front = [
            ("text", f"{entry.name}: complete the formula"),
            ("text", f"{latex_to_unicode(lhs)} = …"),
        ]
        cloze = (
            f"{html.escape(entry.name)}: {_mathjax(lhs + ' =')} "
            f"{{{{c1::{_mathjax(_cloze_escape(rhs))}}}}}"
        )
        cards.append(
            _card(
                entry.id,
                "cloze",
                topic,
                deck,
                front,
                [("math", f["latex"]), *reduction],
                src,
                _tags(entry, "cloze"),
                cloze=cloze,
            )
        )
    return cards


_HYPERPARAMETER_NAMES = {
    "eta": "η (learning rate)",
    "gamma": "γ (momentum)",
    "rho": "ρ (decay rate)",
    "eps": "ε (numerical stability)",
    "beta1": "β₁ (first-moment decay)",
    "beta2": "β₂ (second-moment decay)",
    "wd": "λ (weight decay)",
}


def _hyperparameters_card(entry: Entry) -> CardSpec:
    """The optimizer's hyperparameters and, only where a standard default exists, its value and
    whose default it is (the entry's ``defaults`` and ``defaults_source``)."""
    f = entry.fields
    defaults = f.get("defaults") or {}
    back: list[Part] = [
        ("list", [_HYPERPARAMETER_NAMES.get(k, k) for k in f["hyperparameters"]]),
    ]
    short = {k: _HYPERPARAMETER_NAMES.get(k, k).split(" ")[0] for k in f["hyperparameters"]}
    if defaults:
        values = ", ".join(f"{short[k]} = {v:g}" for k, v in defaults.items())
        back.append(("text", f"Defaults: {values}; whose: {f['defaults_source']}."))
    missing = [short[k] for k in f["hyperparameters"] if k not in defaults]
    if missing:
        tuned = " The learning rate is tuned for each problem." if "eta" not in defaults else ""
        back.append(("text", f"No standard default for {', '.join(missing)}.{tuned}"))
    if f.get("state"):
        state = ", ".join(quantity_symbol(name) for name in f["state"])
        back.append(("text", "State kept between steps: " + state))
    return _card(
        entry.id,
        "hyperparameters",
        entry.topic,
        entry.deck,
        [
            (
                "text",
                f"{entry.name}: which hyperparameters does it have, and which have a standard default?",
            )
        ],
        back,
        entry.source,
        _tags(entry, "hyperparameters"),
    )


def _optimizer_cards(entry: Entry) -> list[CardSpec]:
    f = entry.fields
    deck, topic, src = entry.deck, entry.topic, entry.source
    steps = f["steps"]
    cards: list[CardSpec] = []
    back: list[Part] = [
        (
            "text",
            f"g = {f['gradient'].removeprefix('g = ')}"
            if f["gradient"].startswith("g =")
            else f["gradient"],
        )
    ]
    back.append(("mathlist", [("", s["latex"]) for s in steps]))
    notes = [s["note"] for s in steps if s.get("note")]
    if notes:
        back.append(("list", notes))
    cards.append(
        _card(
            entry.id,
            "update",
            topic,
            deck,
            [("text", f"{entry.name}: write the update equations, step by step.")],
            back,
            src,
            _tags(entry, "update"),
        )
    )

    cards.append(_hyperparameters_card(entry))

    pback: list[Part] = [
        ("text", "Used for:"),
        ("list", f["use"]),
        ("text", "Pros:"),
        ("list", f["pros"]),
        ("text", "Cons:"),
        ("list", f["cons"]),
    ]
    if f.get("notes"):
        pback.append(("text", f"Note: {f['notes']}"))
    cards.append(
        _card(
            entry.id,
            "proscons",
            topic,
            deck,
            [("text", f"{entry.name}: where is it used, and what are its pros and cons?")],
            pback,
            src,
            _tags(entry, "proscons"),
        )
    )

    cloze_lines, front_lines = [], []
    n = 0
    for s in steps:
        split = _split_equation(s["latex"])
        arrow = None if split else s["latex"].split("\\leftarrow", 1)
        if split:
            lhs, rhs, sep = split[0], split[1], "="
        elif arrow and len(arrow) == 2:
            lhs, rhs, sep = arrow[0].strip(), arrow[1].strip(), "\\leftarrow"
        else:
            continue
        n += 1
        cloze_lines.append(
            f"{_mathjax(lhs + ' ' + sep)} {{{{c{n}::{_mathjax(_cloze_escape(rhs))}}}}}"
        )
        front_lines.append(f"{latex_to_unicode(lhs + ' ' + sep)} …")
    if n:
        cards.append(
            _card(
                entry.id,
                "cloze",
                topic,
                deck,
                [("text", f"{entry.name}: complete the update"), ("list", front_lines)],
                [("mathlist", [("", s["latex"]) for s in steps])],
                src,
                _tags(entry, "cloze"),
                cloze=f"{html.escape(entry.name)}:<br>" + "<br>".join(cloze_lines),
            )
        )
    return cards


def _term_cards(entry: Entry) -> list[CardSpec]:
    f = entry.fields
    deck, topic, src = entry.deck, entry.topic, entry.source
    extra = [("text", f"Note: {f['notes']}")] if f.get("notes") else []
    cards = [
        _card(
            entry.id,
            "definition",
            topic,
            deck,
            [("text", f"Define: {entry.name}")],
            [
                ("text", f["definition"]),
                ("text", "Key concepts:"),
                ("list", f["key_concepts"]),
                *extra,
            ],
            src,
            _tags(entry, "definition"),
        ),
        _card(
            entry.id,
            "term",
            topic,
            deck,
            [("text", "Which term is this?"), ("text", f["definition"])],
            [("text", entry.name)],
            src,
            _tags(entry, "term"),
        ),
    ]
    answers = f.get("answers") or []
    qa = [f"{q} — {answers[i]}" if i < len(answers) else q for i, q in enumerate(f["questions"])]
    cards.append(
        _card(
            entry.id,
            "questions",
            topic,
            deck,
            [("text", f"{entry.name}: answer the common questions"), ("list", f["questions"])],
            [("list", qa), ("text", "Key concepts: " + ", ".join(f["key_concepts"]))],
            src,
            _tags(entry, "questions"),
        )
    )
    return cards


def _concept_cards(entry: Entry) -> list[CardSpec]:
    f = entry.fields
    deck, topic, src = entry.deck, entry.topic, entry.source
    title = f.get("title") or entry.name
    points = f["key_points"]
    cards = [
        _card(
            entry.id,
            "concept",
            topic,
            deck,
            [("text", f"Explain: {title}")],
            [("text", f["body"])],
            src,
            _tags(entry, "concept"),
        ),
        _card(
            entry.id,
            "keypoints",
            topic,
            deck,
            [
                (
                    "text",
                    f"{title}: name the {len(points)} key point{'s' if len(points) != 1 else ''}.",
                )
            ],
            [("list", points)],
            src,
            _tags(entry, "keypoints"),
        ),
    ]
    formulas = f.get("formulas") or []
    if formulas:
        cards.append(
            _card(
                entry.id,
                "formulas",
                topic,
                deck,
                [
                    ("text", f"{title}: write the key formulas"),
                    ("list", [item["label"] for item in formulas]),
                ],
                [("mathlist", [(item["label"], item["latex"]) for item in formulas])],
                src,
                _tags(entry, "formulas"),
            )
        )
    answers = f.get("answers") or []
    for i, question in enumerate(f.get("questions") or [], start=1):
        back = [("text", answers[i - 1])] if i - 1 < len(answers) else [("list", f["key_points"])]
        cards.append(
            _card(
                entry.id,
                f"q{i}",
                topic,
                deck,
                [("text", question)],
                back,
                src,
                _tags(entry, "question"),
            )
        )
    return cards


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "column"


_INLINE_MATH_RE = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)", re.S)


def _inline_text(text: str) -> str:
    """Markdown text with ``$…$`` math rendered as Unicode."""
    return _INLINE_MATH_RE.sub(
        lambda m: latex_to_unicode(next(g for g in m.groups() if g is not None)), text
    )


def _inline_html(text: str) -> str:
    """Markdown text as HTML with ``$…$`` math turned into MathJax ``\\( … \\)``."""
    out, pos = [], 0
    for m in _INLINE_MATH_RE.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        out.append(_mathjax(next(g for g in m.groups() if g is not None)))
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def _user_cards(entry: Entry) -> list[CardSpec]:
    columns: dict[str, str] = entry.fields["columns"]
    items = list(columns.items())
    cards = []
    used: set[str] = set()
    for header, value in items[1:]:
        if not value.strip():
            continue
        template = "col_" + _slug(header)
        while template in used:
            template += "_"
        used.add(template)
        card = _card(
            entry.id,
            template,
            "user",
            DECKS["user"],
            [("text", f"{_inline_text(entry.name)} — {_inline_text(header)}?")],
            [("text", _inline_text(value))],
            entry.source,
            _tags(entry, "note"),
        )
        card.front_html = f"<div>{_inline_html(entry.name)} — {_inline_html(header)}?</div>"
        card.back_html = f"<div>{_inline_html(value)}</div>"
        cards.append(card)
    return cards


# The question on an erratum card's front depends on what kind of correction it is: the notes
# are not "wrong" where they are right in their own notation or pick one valid convention.
_ERRATUM_QUESTIONS = {
    "ambiguous notation": "How must this be read to be right, and how is it easily misread?",
    "convention": "Is this the only valid choice?",
}


def _erratum_card(err: Erratum, content: Content) -> CardSpec | None:
    target = next((content.by_id[i] for i in err.entries if i in content.by_id), None)
    topic = target.topic if target else "concepts"
    kind = getattr(err, "kind", "error")
    return _card(
        err.id,
        "erratum",
        topic,
        DECKS[topic],
        [
            ("text", f"The notes say ({err.location}):"),
            ("text", err.says),
            ("text", _ERRATUM_QUESTIONS.get(kind, "What is correct?")),
        ],
        [
            ("text", err.correct),
            ("text", f"Why: {err.why}"),
            ("text", f"Erratum: {err.title} ({kind}: {ERRATUM_KINDS.get(kind, kind)})"),
        ],
        err.source,
        ["deep-learning", topic, "erratum"],
    )


def _recommendation_card(rec: dict, content: Content) -> CardSpec:
    """The notes' recommendation table: scenario and task -> activation (of the output or of the
    hidden layers, as the row says), loss, optimizer; with the corrections of the row."""
    layer = rec.get("activation_layer", "output")
    back: list[Part] = [
        (
            "list",
            [
                f"{layer.capitalize()}-layer activation: {rec['activation']}",
                f"Loss: {rec['loss']}",
                f"Optimizer: {rec['optimizer']}",
            ],
        )
    ]
    if rec.get("notes"):
        back.append(("text", f"Note: {rec['notes']}"))
    for err in content.errata_for(rec["id"]):
        back.append(("text", f"Correction ({err.title}): {err.correct}"))
    return _card(
        rec["id"],
        "recommend",
        "concepts",
        DECKS["concepts"],
        [
            (
                "text",
                f"{rec['task']} with {rec['scenario'].lower()}: which {layer}-layer activation, "
                "loss and optimizer do the notes recommend?",
            )
        ],
        back,
        rec.get("source", ""),
        ["deep-learning", "concepts", "recommendation"],
    )


_BUILDERS = {
    "activations": _function_cards,
    "losses": _function_cards,
    "optimizers": _optimizer_cards,
    "terms": _term_cards,
    "concepts": _concept_cards,
    "backprop": _concept_cards,
    "user": _user_cards,
}


def build_cards(content: Content | None = None) -> list[CardSpec]:
    """Every card of ``content`` (default: ``load_content()``), in content order; keys are unique."""
    if content is None:
        from studyapp.core.content import load_content

        content = load_content()
    cards: list[CardSpec] = []
    for entry in content.entries:
        cards.extend(_BUILDERS[entry.topic](entry))
    for err in content.errata:
        card = _erratum_card(err, content)
        if card is not None:
            cards.append(card)
    cards.extend(_recommendation_card(rec, content) for rec in content.recommendations)
    seen: set[str] = set()
    unique = []
    for card in cards:
        if card.key not in seen:  # ids are unique after validation; this only guards user files
            seen.add(card.key)
            unique.append(card)
    return unique
