"""Advantages and drawbacks (the ``pros`` and ``cons`` lists of activations, losses and
optimizers): a true/false on one item, and "which of these is a drawback?"."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import partial

from studyapp.core.content import Entry
from studyapp.core.questions.builders.common import Candidate, as_list, norm_text
from studyapp.core.questions.builders.shapes import mcq, true_false
from studyapp.core.questions.model import Question, QuestionKind


@dataclass(frozen=True)
class ProsCons:
    """One entry's listed advantages and drawbacks."""

    entry: Entry
    topic: str
    pros: list[str]
    cons: list[str]

    def both(self) -> set[str]:
        """Items (normalized) listed as an advantage and as a drawback: never asked."""
        return {norm_text(p) for p in self.pros} & {norm_text(c) for c in self.cons}

    def summary(self) -> str:
        return f"Advantages: {'; '.join(self.pros)}. Drawbacks: {'; '.join(self.cons)}."


def pros_cons_candidates(entry: Entry, topic: str) -> list[Candidate]:
    """Both questions, when the entry lists advantages and drawbacks."""
    pc = ProsCons(
        entry, topic, as_list(entry.fields.get("pros")), as_list(entry.fields.get("cons"))
    )
    if not pc.pros or not pc.cons:
        return []
    return [
        Candidate(topic, QuestionKind.TRUE_FALSE, entry.id, "pros_cons", partial(_item_tf, pc)),
        Candidate(topic, QuestionKind.MCQ, entry.id, "drawback", partial(_drawback_mcq, pc)),
    ]


def _item_tf(pc: ProsCons, rng: random.Random, truth: bool | None) -> Question | None:
    # a true statement names a listed advantage as an advantage (or a drawback as a
    # drawback); a false one swaps them: a drawback presented as an advantage
    as_pro = rng.random() < 0.5
    if as_pro:
        item = rng.choice(pc.pros if truth else pc.cons)
    else:
        item = rng.choice(pc.cons if truth else pc.pros)
    if norm_text(item) in pc.both() or (not truth and pc.entry.is_also_true(item)):
        return None  # listed both ways, or true the other way too (MSE: penalises large errors)
    what = "an advantage" if as_pro else "a drawback"
    real = "an advantage" if (as_pro == truth) else "a drawback"
    name = pc.entry.name
    q = true_false(
        pc.entry,
        pc.topic,
        "pros_cons",
        f"“{item}” is {what} of {name}.",
        bool(truth),
        f"The notes list “{item}” as {real} of {name}. {pc.summary()}",
    )
    q.data = {"item": item, "as": "pros" if as_pro else "cons"}
    return q


def _drawback_mcq(pc: ProsCons, rng: random.Random, truth: bool | None) -> Question | None:
    # which of these is a drawback of X? (the other options are X's own advantages)
    answer = rng.choice(pc.cons)
    cons = {norm_text(c) for c in pc.cons}
    wrong = [p for p in pc.pros if norm_text(p) not in cons]
    name = pc.entry.name
    return mcq(
        pc.entry,
        pc.topic,
        "drawback",
        f"Which of these is a drawback of {name}?",
        answer,
        wrong,
        f"Drawbacks of {name}: {'; '.join(pc.cons)}. The others are its "
        f"advantages: {'; '.join(pc.pros)}.",
        rng,
    )
