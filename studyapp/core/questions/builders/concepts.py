"""Questions on the prose topics (``concepts`` and ``backprop``: sections of the notes with a
title, key points and labelled formulas): fill in a key point, which statement comes from this
section, which formula is the one labelled so; and the notes' own questions."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache, partial
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

    @property
    def statements(self) -> list[str]:
        """What the section says: its title, key points and formulas."""
        return [self.title, *self.points, *(str(f["plain"]) for f in labelled_formulas(self.entry))]


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
    # statements of sections about the same subject (a title word in common: the perceptron's
    # five sections, the two deltas) or saying much the same as this section could come from it
    wrong = [
        p
        for o in others(section.entries, section.entry)
        if not _same_subject(section.title, Section(section.topic, o, section.entries).title)
        for p in as_list(o.fields.get("key_points"))
        if not any(_restates(p, mine) for mine in section.statements)
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
    plain = str(formula["plain"])
    label = str(formula["label"])
    # formulas of the other sections, except those that are the same quantity: the same label
    # ("output delta" in three sections), the same left-hand side (δ^L, δ², δ^(L−1) are all a
    # delta), or a part of this one (z^m = W^m a^(m−1) + b^m inside the forward pass)
    wrong = [
        str(g["plain"])
        for o in others(section.entries, section.entry)
        for g in labelled_formulas(o)
        if norm_text(g["label"]) != norm_text(label) and not _same_quantity(str(g["plain"]), plain)
    ]
    return mcq(
        section.entry,
        section.topic,
        "formula",
        f"{section.title}: which formula is the notes' “{label}”?",
        plain,
        wrong,
        f"{label}: {plain}",
        rng,
    )


#: title words that say nothing of a section's subject
_TITLE_STOP = {"the", "of", "a", "an", "and", "in", "its", "with", "why", "vs", "two", "layer"}


def _title_words(title: str) -> set[str]:
    words = re.findall(r"[a-z]{3,}", title.lower())
    return {w.rstrip("s") for w in words if w not in _TITLE_STOP}


def _same_subject(a: str, b: str) -> bool:
    """Do two section titles share a subject word ("Perceptron learning rule", "Multi-layer
    perceptron"; "backprop" and "backpropagation" count as one)?"""
    return any(
        x == y or (min(len(x), len(y)) >= 6 and (x.startswith(y) or y.startswith(x)))
        for x in _title_words(a)
        for y in _title_words(b)
    )


_SCRIPTS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵗⁿᵐ₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₙ]|[\^_](\([^)]*\)|\{[^}]*\}|\w+)")
_MATH = re.compile(r"[∂δσ∇∘ᵀ=]")


@lru_cache(maxsize=4096)
def _core(text: str) -> str:
    """A statement with its indices and spaces dropped: ``δ^L = a^L − y`` → ``δ=a−y``."""
    return re.sub(r"\s+", "", _SCRIPTS.sub("", text)).lower()


@lru_cache(maxsize=65536)
def _restates(a: str, b: str) -> bool:
    """Do two statements say much the same: once indices and spaces are dropped, one inside the
    other, or a run in common of 8 characters ("learningrate", "shiftsthe") or of 5 with some
    maths in it ("∂c/∂z", "δ=a−y")?"""
    x, y = _core(a), _core(b)
    if not x or not y or x in y or y in x:
        return bool(x and y)
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y))
    common = x[m.a : m.a + m.size]
    return m.size >= 8 or (m.size >= 5 and bool(_MATH.search(common)))


def _same_quantity(a: str, b: str) -> bool:
    """Two formulas for the same thing: one's right-hand side inside the other, or the same
    left-hand side once indices are dropped."""
    lhs_a, _, rhs_a = a.partition("=")
    lhs_b, _, rhs_b = b.partition("=")
    if _core(lhs_a.split("←")[0]) == _core(lhs_b.split("←")[0]):
        return True
    ra, rb = _core(rhs_a or a), _core(rhs_b or b)
    return bool(ra and rb) and (ra in _core(b) or rb in _core(a))
