"""The notes' own "commonly asked questions" (``questions`` and ``answers`` of terms and
concepts): the answer among the answers to the other questions of the topic."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import partial

from studyapp.core.content import Entry
from studyapp.core.questions.builders.common import Candidate, as_list
from studyapp.core.questions.builders.shapes import mcq
from studyapp.core.questions.model import Question, QuestionKind


@dataclass(frozen=True)
class Asked:
    """Question ``index`` (0-based) of ``entry`` with the notes' answer."""

    entry: Entry
    index: int
    question: str
    answer: str

    def names(self, question: str) -> bool:
        """Does ``question`` name this entry (its name or an alias, as a word)?"""
        names = [self.entry.name, *as_list(self.entry.fields.get("aliases"))]
        return any(len(n) >= 3 and re.search(rf"\b{re.escape(n)}\b", question, re.I) for n in names)


def notes_question_candidates(entries: list[Entry], topic: str) -> list[Candidate]:
    asked = tuple(
        Asked(e, i, str(q), str(a))
        for e in entries
        for i, (q, a) in enumerate(
            zip(as_list(e.fields.get("questions")), as_list(e.fields.get("answers")), strict=False)
        )
    )
    return [
        Candidate(
            topic,
            QuestionKind.MCQ,
            a.entry.id,
            f"question{a.index + 1}",
            partial(_build, topic, asked, a),
        )
        for a in asked
    ]


def _build(
    topic: str, asked: tuple[Asked, ...], this: Asked, rng: random.Random, truth: bool | None
) -> Question | None:
    # not the answers of the same entry, nor of an entry the question names ("How does
    # the learning rate affect GD?" must not offer Learning Rate's own answers)
    named = {o.entry.id for o in asked if o.names(this.question)}
    wrong = [
        o.answer
        for o in asked
        if o.answer != this.answer and o.entry.id != this.entry.id and o.entry.id not in named
    ]
    # the notes' questions lean on their row ("How does it help training?")
    return mcq(
        this.entry,
        topic,
        f"question{this.index + 1}",
        f"{this.entry.name}: {this.question}",
        this.answer,
        wrong,
        f"{this.question} {this.answer}",
        rng,
    )
