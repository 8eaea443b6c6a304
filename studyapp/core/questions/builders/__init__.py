"""Questions built from content tables: mcq, typed, true_false, cloze and matching.

One module per content table (``activations``, ``losses``, ``optimizers``, ``terms``,
``concepts`` for the prose topics ``concepts`` and ``backprop``, ``recommendations``,
``errata``, ``imported`` for the user's tables); ``shapes`` builds the questions themselves,
``common`` holds ``Candidate`` and the text helpers. ``predict`` adds the "predict" questions
on the playground's runs to the optimizers and activations topics.

Every table gives ``Candidate`` objects: a stable key (entry id, kind, template) plus
``build(rng, truth)`` that builds the question with a given random generator (and, for
true/false, the truth value the quiz wants, so that a quiz can balance true and false
statements). A build returns ``None`` when the content cannot support that question (too few
siblings, an unparsable formula).

Wrong options (distractors, false statements) are always checked: formulas with the checker's
equivalence (never equal to the answer), texts by normalized comparison.
"""

from __future__ import annotations

from collections.abc import Callable

from studyapp.core.content import Content
from studyapp.core.questions.builders import (
    activations,
    concepts,
    errata,
    imported,
    losses,
    optimizers,
    predict,
    recommendations,
    terms,
)
from studyapp.core.questions.builders.common import (
    BLANK,
    Candidate,
    norm_text,
    source_of,
    symbols_in,
)

__all__ = ["BLANK", "Candidate", "candidates_for", "norm_text", "source_of", "symbols_in"]

#: topic -> the builders of its table (a topic not listed is an imported table)
TABLES: dict[str, Callable[[Content, str], list[Candidate]]] = {
    "activations": activations.candidates,
    "losses": losses.candidates,
    "optimizers": optimizers.candidates,
    "terms": terms.candidates,
    "concepts": concepts.candidates,
    "backprop": concepts.candidates,
}


def candidates_for(content: Content, topic: str) -> list[Candidate]:
    """All content-based candidates of one topic: its table's, the recommendations (asked
    in concepts), the errata that concern it and the predict questions on the playground."""
    out = TABLES.get(topic, imported.candidates)(content, topic)
    if topic == "concepts":
        out += recommendations.candidates(content, topic)
    return out + errata.candidates(content, topic) + predict.candidates(content, topic)
