"""Questions on the terms table (name, definition, key concepts): which term is defined so,
what a term is, name the term, true/false on a definition, fill in a key concept; match terms
to definitions; and the notes' own questions."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import partial

from studyapp.core.content import Content, Entry
from studyapp.core.questions.builders.common import (
    Candidate,
    as_list,
    course_vocabulary,
    others,
)
from studyapp.core.questions.builders.notes_questions import notes_question_candidates
from studyapp.core.questions.builders.shapes import (
    Pair,
    entry_question,
    matching,
    mcq,
    names_in,
    text_cloze,
    true_false,
)
from studyapp.core.questions.model import ExpectedKind, Question, QuestionKind


def mask(text: str, name: str) -> str:
    """Hide the term's own name inside its definition (it would give the answer away)."""
    words = {name, *re.split(r"\s*/\s*|\s+and\s+", name)}
    words |= {w[:-1] for w in words if w.lower().endswith("s")}  # "Epochs" hides "epoch" too
    for word in sorted(words, key=len, reverse=True):
        if len(word) >= 4:
            text = re.sub(re.escape(word), "…", text, flags=re.I)
    return text


@dataclass(frozen=True)
class Term:
    """One term of the table, with the table (its siblings) and the course's vocabulary."""

    topic: str
    entry: Entry
    entries: tuple[Entry, ...]
    vocabulary: frozenset[str]

    @property
    def definition(self) -> str:
        return str(self.entry.fields["definition"])

    @property
    def masked(self) -> str:
        return mask(self.definition, self.entry.name)

    @property
    def explained(self) -> str:
        return f"{self.entry.name}: {self.definition}"

    def siblings(self) -> list[Entry]:
        return others(self.entries, self.entry)


def candidates(content: Content, topic: str = "terms") -> list[Candidate]:
    vocabulary = frozenset(course_vocabulary(content))
    entries = tuple(e for e in content.topic(topic) if e.fields.get("definition"))
    kinds = (
        (QuestionKind.MCQ, "term", _which_term),
        (QuestionKind.MCQ, "definition", _which_definition),
        (QuestionKind.TYPED, "term", _typed),
        (QuestionKind.TRUE_FALSE, "definition", _tf),
        (QuestionKind.CLOZE, "definition", _cloze),
    )
    out: list[Candidate] = []
    for e in entries:
        term = Term(topic, e, entries, vocabulary)
        out += [
            Candidate(topic, kind, e.id, template, partial(build, term))
            for kind, template, build in kinds
        ]
    if len(entries) >= 4:
        pairs = tuple(Pair(e, e.name, mask(str(e.fields["definition"]), e.name)) for e in entries)
        build = partial(_match, topic, pairs)
        out.append(Candidate(topic, QuestionKind.MATCHING, topic, "definitions", build))
    return out + notes_question_candidates(list(entries), topic)


def _which_term(term: Term, rng: random.Random, truth: bool | None) -> Question | None:
    return mcq(
        term.entry,
        term.topic,
        "term",
        f"Which term is defined as: “{term.masked}”?",
        term.entry.name,
        [o.name for o in term.siblings()],
        term.explained,
        rng,
    )


def _which_definition(term: Term, rng: random.Random, truth: bool | None) -> Question | None:
    return mcq(
        term.entry,
        term.topic,
        "definition",
        f"What is {term.entry.name}?",
        term.definition,
        [str(o.fields["definition"]) for o in term.siblings()],
        term.explained,
        rng,
    )


def _typed(term: Term, rng: random.Random, truth: bool | None) -> Question | None:
    e = term.entry
    return entry_question(
        e,
        term.topic,
        QuestionKind.TYPED,
        "term",
        prompt=f"Name the term: “{term.masked}”",
        answer=e.name,
        explanation=term.explained,
        expected_kind=ExpectedKind.TEXT,
        expected=[e.name, *as_list(e.fields.get("aliases"))],
    )


def _tf(term: Term, rng: random.Random, truth: bool | None) -> Question | None:
    shown = term.definition
    if not truth:
        # another term's definition, unless it is also true of this one (its also_true) or names
        # it ("Regularization that randomly sets …" is dropout's, and true of regularization)
        siblings = [
            o
            for o in term.siblings()
            if not term.entry.is_also_true(o.fields["definition"])
            and not names_in(term.entry, str(o.fields["definition"]))
        ]
        other = rng.choice(siblings)
        shown = mask(str(other.fields["definition"]), other.name)
    q = true_false(
        term.entry,
        term.topic,
        "definition",
        f"{term.entry.name}: “{shown}”",
        bool(truth),
        term.explained,
    )
    q.data = {"shown": shown}
    return q


def _cloze(term: Term, rng: random.Random, truth: bool | None) -> Question | None:
    return text_cloze(
        term.entry,
        term.topic,
        "definition",
        term.definition,
        as_list(term.entry.fields.get("key_concepts")),
        rng,
        f"{term.entry.name}: ",
        term.vocabulary,
    )


def _match(topic: str, pairs: tuple[Pair, ...], rng: random.Random, truth: bool | None):
    return matching(
        topic, "definitions", list(pairs), rng, "Match each term to its definition.", formulas=False
    )
