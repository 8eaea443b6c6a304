"""Questions on imported tables (topic ``user``, any columns): mcq, true/false and typed on
every text column, matching on the first one. Column values of sibling rows are the wrong
options. Cells may hold ``$…$`` LaTeX; it is shown as unicode."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import partial

from studyapp.core.content import Content, Entry
from studyapp.core.mathtext import text_to_unicode as show
from studyapp.core.questions.builders.common import Candidate, candidates_of, norm_text, others
from studyapp.core.questions.builders.shapes import Pair, entry_question, matching, mcq, true_false
from studyapp.core.questions.model import ExpectedKind, Question, QuestionKind


def _text(entry: Entry, column: str) -> str | None:
    """The entry's value in ``column`` if it is non-blank text."""
    value = entry.fields.get(column)
    return value if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class Cell:
    """Row ``entry``'s ``value`` in ``column``, among the table's ``entries``."""

    topic: str
    entry: Entry
    entries: tuple[Entry, ...]
    column: str
    value: str

    @property
    def stated(self) -> str:
        """``Sigmoid — Equation: 1/(1+e^{-z})`` (shown)."""
        return f"{self.entry.name} — {self.column}: {show(self.value)}"


def candidates(content: Content, topic: str) -> list[Candidate]:
    entries = tuple(content.topic(topic))
    columns = sorted({k for e in entries for k in e.fields if _text(e, k) is not None})
    kinds = (
        (QuestionKind.MCQ, _mcq),
        (QuestionKind.TRUE_FALSE, _tf),
        (QuestionKind.TYPED, _typed),
    )
    out: list[Candidate] = []
    for e in entries:
        for column in columns:
            value = _text(e, column)
            if value is None:
                continue
            cell = Cell(topic, e, entries, column, value)
            out += candidates_of(topic, e.id, column, cell, kinds)
    if columns and len(entries) >= 4:
        column = columns[0]
        pairs = tuple(Pair(e, e.name, _shown(e, column)) for e in entries)
        build = partial(_match, topic, column, pairs)
        out.append(Candidate(topic, QuestionKind.MATCHING, topic, column, build))
    return out


def _shown(entry: Entry, column: str) -> str | None:
    value = entry.fields.get(column)
    return show(value) if isinstance(value, str) else None


def _mcq(cell: Cell, rng: random.Random, truth: bool | None) -> Question | None:
    wrong = [
        show(text)
        for o in others(cell.entries, cell.entry)
        if (text := _text(o, cell.column)) is not None
    ]
    return mcq(
        cell.entry,
        cell.topic,
        cell.column,
        f"{cell.entry.name} — {cell.column}?",
        show(cell.value),
        wrong,
        cell.stated,
        rng,
    )


def _tf(cell: Cell, rng: random.Random, truth: bool | None) -> Question | None:
    shown = cell.value
    if not truth:
        wrong = [
            str(o.fields[cell.column])
            for o in others(cell.entries, cell.entry)
            if isinstance(o.fields.get(cell.column), str)
            and norm_text(o.fields[cell.column]) != norm_text(cell.value)
        ]
        if not wrong:
            return None
        shown = rng.choice(wrong)
    q = true_false(
        cell.entry,
        cell.topic,
        cell.column,
        f"{cell.entry.name} — {cell.column}: {show(shown)}",
        bool(truth),
        cell.stated,
    )
    q.data = {"shown": shown, "column": cell.column}
    return q


def _typed(cell: Cell, rng: random.Random, truth: bool | None) -> Question | None:
    same = [
        o
        for o in cell.entries
        if isinstance(o.fields.get(cell.column), str)
        and norm_text(o.fields[cell.column]) == norm_text(cell.value)
    ]
    if len(same) != 1:
        return None  # two rows share this value: the name would be ambiguous
    name = cell.entry.name
    return entry_question(
        cell.entry,
        cell.topic,
        QuestionKind.TYPED,
        cell.column,
        prompt=f"Which entry has {cell.column}: “{show(cell.value)}”?",
        answer=name,
        explanation=cell.stated,
        expected_kind=ExpectedKind.TEXT,
        expected=[name],
    )


def _match(
    topic: str, column: str, pairs: tuple[Pair, ...], rng: random.Random, truth: bool | None
) -> Question | None:
    lead = f"Match each entry to its {column}."
    return matching(topic, column, list(pairs), rng, lead, formulas=False)
