"""Questions on the prose topics (``concepts`` and ``backprop``: sections of the notes with a
title, key points and labelled formulas): fill in a key point, which statement comes from this
section, which formula is the one labelled so; and the notes' own questions."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import partial
from typing import Any

from studyapp.core.content import Content, Entry
from studyapp.core.questions.builders.common import (
    Candidate,
    as_list,
    course_vocabulary,
    norm_text,
    others,
)
from studyapp.core.questions.builders.notes_questions import notes_question_candidates
from studyapp.core.questions.builders.shapes import mcq, text_cloze
from studyapp.core.questions.model import Question, QuestionKind


@dataclass(frozen=True)
class Section:
    """One section of the notes, with the other sections of its topic."""

    topic: str
    entry: Entry
    entries: tuple[Entry, ...]

    @property
    def title(self) -> str:
        return str(self.entry.fields.get("title") or self.entry.name)

    @property
    def points(self) -> list[str]:
        return as_list(self.entry.fields.get("key_points"))


def labelled_formulas(entry: Entry) -> list[dict[str, Any]]:
    """The entry's formulas that have a plain-text form and a label."""
    return [
        f
        for f in (entry.fields.get("formulas") or [])
        if isinstance(f, dict) and f.get("plain") and f.get("label")
    ]


def candidates(content: Content, topic: str) -> list[Candidate]:
    vocabulary = frozenset(course_vocabulary(content))
    entries = tuple(content.topic(topic))
    out: list[Candidate] = []
    for e in entries:
        section = Section(topic, e, entries)
        for idx, point in enumerate(section.points):
            tpl = f"point{idx + 1}"
            build = partial(_point_cloze, section, tpl, point, vocabulary)
            out.append(Candidate(topic, QuestionKind.CLOZE, e.id, tpl, build))
        if section.points:
            build = partial(_which_point, section)
            out.append(Candidate(topic, QuestionKind.MCQ, e.id, "key_point", build))
        formulas = labelled_formulas(e)
        if formulas:  # the first labelled formula of a section
            build = partial(_which_formula, section, formulas[0])
            out.append(Candidate(topic, QuestionKind.MCQ, e.id, "formula", build))
    return out + notes_question_candidates(list(entries), topic)


def _point_cloze(
    section: Section,
    template: str,
    point: str,
    vocabulary: frozenset[str],
    rng: random.Random,
    truth: bool | None,
) -> Question | None:
    lead = f"({section.title}) "
    return text_cloze(section.entry, section.topic, template, point, [], rng, lead, vocabulary)


def _which_point(section: Section, rng: random.Random, truth: bool | None) -> Question | None:
    points = section.points
    answer = rng.choice(points)
    wrong = [
        p
        for o in others(section.entries, section.entry)
        for p in as_list(o.fields.get("key_points"))
    ]
    return mcq(
        section.entry,
        section.topic,
        "key_point",
        f"Which of these statements comes from the notes' section “{section.title}”?",
        answer,
        wrong,
        f"“{section.title}” says: " + "; ".join(points) + ".",
        rng,
    )


def _which_formula(
    section: Section, formula: dict[str, Any], rng: random.Random, truth: bool | None
) -> Question | None:
    plain = formula["plain"]
    wrong = [
        str(g["plain"])
        for o in section.entries
        for g in (o.fields.get("formulas") or [])
        if isinstance(g, dict)
        and g.get("plain")
        and g is not formula
        and norm_text(g.get("plain")) != norm_text(plain)
    ]
    return mcq(
        section.entry,
        section.topic,
        "formula",
        f"{section.title}: which formula is the {formula['label']}?",
        str(plain),
        wrong,
        f"{formula['label']}: {plain}",
        rng,
    )
