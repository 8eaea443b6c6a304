"""The notes' own mistakes (``errata.toml``) as true/false traps: the correction is true, and
what the notes say is false only where the erratum's ``kind`` says so (``Erratum.is_error``: an
error or an overclaim). Each erratum belongs to the topic its id or location names."""

from __future__ import annotations

import random
from functools import partial

from studyapp.core.content import Content, Erratum
from studyapp.core.questions.builders.common import Candidate, norm_text
from studyapp.core.questions.model import ExpectedKind, Question, QuestionKind, make_id

ERRATA_TOPICS = (
    (
        "activations",
        ("activation", "sigmoid", "tanh", "relu", "softmax", "swish", "softplus", "elu"),
    ),
    ("losses", ("loss", "entropy", "huber", "hinge", "mse", "mae")),
    ("optimizers", ("optimizer", "adam", "rmsprop", "adagrad", "adadelta", "momentum", "sgd")),
    ("backprop", ("backprop", "delta", "chain rule", "worked example", "gradient for")),
    ("terms", ("term",)),
)


def erratum_topic(err: Erratum) -> str:
    """The first topic whose words occur in the erratum's id or location (else concepts)."""
    text = f"{err.id} {err.location}".lower()
    for topic, words in ERRATA_TOPICS:
        if any(w in text for w in words):
            return topic
    return "concepts"


def candidates(content: Content, topic: str) -> list[Candidate]:
    """The errata of ``topic`` that state a real change (what the notes say ≠ the correction)."""
    out: list[Candidate] = []
    for err in content.errata:
        if not str(err.says).strip() or not str(err.correct).strip():
            continue
        if norm_text(err.says) == norm_text(err.correct) or erratum_topic(err) != topic:
            continue
        out.append(
            Candidate(topic, QuestionKind.TRUE_FALSE, err.id, "erratum", partial(_tf, topic, err))
        )
    return out


def _explanation(err: Erratum, truth: bool) -> str:
    why = str(err.why).strip()
    if truth:
        text = f"True. “{err.correct}”."
    else:
        text = f"False: the notes say “{err.says}” but correct is “{err.correct}”."
    return text + (f" {why}" if why else "")


def _tf(topic: str, err: Erratum, rng: random.Random, truth: bool | None) -> Question | None:
    if not truth and not err.is_error:
        # only an error or an overclaim makes what the notes say false: an ambiguous notation, a
        # convention (ReLU′(0) = 1), an imprecise wording or an omission is not "False"
        return None
    shown = err.correct if truth else err.says
    return Question(
        id=make_id(err.id, QuestionKind.TRUE_FALSE, "erratum"),
        kind=QuestionKind.TRUE_FALSE,
        topic=topic,
        prompt=f"True or false? ({err.location}) {shown}",
        answer="True" if truth else "False",
        explanation=_explanation(err, bool(truth)),
        source=f"{err.id} ({err.source or 'errata.toml'})",
        expected_kind=ExpectedKind.BOOLEAN,
        expected=bool(truth),
        template="erratum",
        entry_id=err.id,
        data={"shown": shown},
    )
