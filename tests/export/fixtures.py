"""A small fixed list of ``studyapp.core.cards.CardSpec`` for export tests: cards cover basic cards, a definition/term pair (one two-card note in an
.apkg), a short definition with no pair (mirrored reverse card), a cloze card, HTML that
needs escaping, a formula with ``<`` inside MathJax, tabs/newlines/quotes, and several topics.
"""

from __future__ import annotations

from dataclasses import replace

from studyapp.core.cards import CardSpec


def fixture_cards() -> list[CardSpec]:
    return [
        CardSpec(
            key="act.sigmoid::formula",
            entry_id="act.sigmoid",
            template="formula",
            topic="activations",
            deck="Deep Learning::Activations",
            front="Sigmoid σ(z)",
            back="σ(z) = 1/(1 + e^(−z))",
            front_html="Sigmoid \\(\\sigma(z)\\)",
            back_html="\\(\\sigma(z) = \\frac{1}{1 + e^{-z}}\\)",
            tags=["activations", "sigmoid"],
            source="content/activations.toml:3",
        ),
        CardSpec(
            key="act.sigmoid::derivative",
            entry_id="act.sigmoid",
            template="derivative",
            topic="activations",
            deck="Deep Learning::Activations",
            front="Derivative of the sigmoid σ'(z)?",
            back="σ(z)·(1 − σ(z))",
            front_html="Derivative of the sigmoid \\(\\sigma'(z)\\)?",
            back_html="\\(\\sigma(z)\\,(1 - \\sigma(z))\\)",
            tags=["activations"],
            source="content/activations.toml:3",
        ),
        CardSpec(
            key="act.relu::cloze",
            entry_id="act.relu",
            template="cloze",
            topic="activations",
            deck="Deep Learning::Activations",
            front="ReLU(z) = […]",
            back="ReLU(z) = max(0, z)",
            front_html="ReLU(z) = [...]",
            back_html="ReLU(z) = \\(\\max(0, z)\\)",
            tags=["activations", "relu"],
            source="content/activations.toml:20",
            cloze="ReLU(z) = {{c1::\\(\\max(0, z)\\)}}",
        ),
        CardSpec(
            key="loss.hinge::formula",
            entry_id="loss.hinge",
            template="formula",
            topic="losses",
            deck="Deep Learning::Losses",
            front="Hinge loss",
            back="max(0, 1 − y·a)   (zero when y·a > 1)",
            front_html="Hinge loss",
            back_html="\\(\\max(0, 1 - y a)\\) (zero when \\(y a &gt; 1\\))",
            tags=["losses"],
            source="content/losses.toml:40",
        ),
        CardSpec(
            key="term.epoch::definition",
            entry_id="term.epoch",
            template="definition",
            topic="terms",
            deck="Deep Learning::Terms",
            front="Epoch",
            back="One full pass over the training set",
            front_html="Epoch",
            back_html="One full pass over the training set",
            tags=["terms", "training loop"],
            source="content/terms.toml:7",
        ),
        CardSpec(
            key="term.epoch::term",
            entry_id="term.epoch",
            template="term",
            topic="terms",
            deck="Deep Learning::Terms",
            front="Which term is this?\nOne full pass over the training set",
            back="Epoch",
            front_html="<div>Which term is this?</div><div>One full pass over the training set</div>",
            back_html="<div>Epoch</div>",
            tags=["terms", "term"],
            source="content/terms.toml:7",
        ),
        CardSpec(
            key="term.bias::definition",
            entry_id="term.bias",
            template="definition",
            topic="terms",
            deck="Deep Learning::Terms",
            front="Bias",
            back="The constant term b added to W·a",
            front_html="Bias",
            back_html="The constant term \\(b\\) added to \\(W a\\)",
            tags=["terms"],
            source="content/terms.toml:20",
        ),
        CardSpec(
            key="concept.tricky::explain",
            entry_id="concept.tricky",
            template="explain",
            topic="concepts",
            deck="Deep Learning::Concepts",
            front='Why "vanishing"\tgradients?',
            back="Products of many\nsmall factors < 1",
            front_html="Why &quot;vanishing&quot;\tgradients?",
            back_html="<ul><li>Products of many</li><li>small factors \\(&lt; 1\\)</li></ul>",
            tags=["concepts"],
            source="content/concepts.toml:12",
        ),
    ]


def edited(cards, key: str, **changes):
    """The same list with one card's wording changed (keys stay: they are written in content)."""
    return [replace(c, **changes) if c.key == key else c for c in cards]
